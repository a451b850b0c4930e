"""/practice's handlers: the menu, and the three conversations it opens (building the ladder,
logging a practice, planning one), plus the planned practice's follow-up answers."""

from __future__ import annotations

from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.features.practice import followup, ladder, log, menu, plan, remove


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(log.FLOW.conversation([menu.entry(*menu.LOG), followup.entry()]))
    app.add_handler(ladder.FLOW.conversation([menu.entry(*menu.BUILD)]))
    app.add_handler(plan.FLOW.conversation([menu.entry(*menu.PLAN)]))
    app.add_handler(CommandHandler("practice", menu.show_menu))
    app.add_handler(CallbackQueryHandler(menu.show_ladder, pattern=rf"^{menu.P}:ladder$"))
    app.add_handler(followup.let_go_handler())
    remove.register(app)
