"""`make demo`: Steady in a terminal, with no bot token and no network.

The real bot (``bot.app.build_application``, the same database code) runs against the tests'
Bot API emulator (``tests/fakebot``) on 127.0.0.1, which checks every request against the Bot
API description kept in the repository. The terminal is the chat: ``chat.py`` shows what the
bot sends as it would read in Telegram, ``session.py`` runs the bot and the emulator and turns
what a person types into updates, and ``clock.py`` is the demo's own clock, which can run fast
or skip ahead (the production clock is untouched).
"""
