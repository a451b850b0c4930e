"""Benchmarks with printed figures; BENCHMARKS.md keeps them.

``python -m bench`` runs the quick set (under five minutes on the 2-core machine);
``python -m bench --help`` lists the single benchmarks and their sizes.

- ``inbound``: simulated users run a full conversation through the fake Bot API over HTTP
  against the real Application (a child process, polling), on SQLite and PostgreSQL, next to a
  bare python-telegram-bot echo bot (the framework's ceiling); closed loop and open loop.
- ``outbound``: every user due in the same minute while the fake server enforces Telegram's
  flood limits; the bot (own process, its JobQueue sweeping) must send every user exactly one
  check-in at close to 30 messages/s. ``limiter``: the rate limiter alone, for comparison.
- ``taps``: 200 users onboarding at once with the bot's default rate limit on: how long a
  button press waits for answerCallbackQuery (its spinner) while replies queue at 30/s.
- ``scale``: 100,000 / 1,000,000 seeded users with histories on PostgreSQL: start-up time and
  RSS (and those of one ``run_daily`` job per user and slot, bench/run_daily_baseline.py),
  sweep cost per tick and weekly summary per user.

Standalone, each writing its own section of BENCHMARKS.md: ``python -m bench.summary_bench``
(the weekly summary, streaks, /history, the chart), ``python -m bench.sweep_bench`` (the sweep)
and ``python -m bench.report_bench`` (/report: a heavy user's 3-month PDF, time and memory).

The switch-on points for work that lands later (the sweep, the morning check-in, the weekly
summary) are in ``bench/adapters.py`` and ``bench/flows.py``.
"""
