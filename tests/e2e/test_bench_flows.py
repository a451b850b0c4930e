"""The benchmark's flows (bench/flows.py) are what the bot really does, step by step.

Each flow is driven once through the bot as its simulated users run it: the same users
(prepared as the benchmark prepares them), the same texts and buttons. Every step must be
answered the way its definition says — so many new messages, or an edit in place — because
the benchmark times a step until that answer and counts replies against it.
"""

from __future__ import annotations

import pytest

from bench import flows
from tests.e2e.rig import BotRig, sent


@pytest.mark.parametrize("name", sorted(flows.FLOWS))
async def test_each_step_is_answered_as_the_flow_says(rig: BotRig, name: str) -> None:
    flow = flows.FLOWS[name]()
    if flow is None:
        pytest.skip(f"flow {name!r} not built yet")
    if flow.prepare is not None:
        flow.prepare(rig.db, [1001], rig.clock())
    user = rig.user()
    for number, step in enumerate(flow.steps, 1):
        events = await (user.ask(step.value) if step.action == "send" else user.tap(step.value))
        got = [(e.kind, (e.text or "")[:40]) for e in events]
        where = f"{flow.name}, step {number} ({step.action} {step.value!r}): got {got}"
        if step.via == "edit":
            assert sent(events) == [] and any(e.kind == "edit" for e in events), where
        else:
            assert len(sent(events)) == step.replies, where
    last = user.last_message()
    assert last is not None and flow.final_text in (last.text or "")
