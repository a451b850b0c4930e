"""/safetyplan: a safety plan of the user's own, one question at a time, editable from a menu.

The first time, the seven Stanley–Brown questions are asked in order (states named after the
parts); every one can be skipped, and the professionals part comes pre-filled with the
helplines for the user's country and language. Afterwards /safetyplan (or the button under
/sos and /settings) shows the plan with a button per part; a part is changed in the state
``edit_<part>``. Every answer is written the moment it arrives (bot/services/safetyplan.py).
Callback data: ``sp:open``, ``sp:edit:<part>``, ``sp:next:<part>`` (Skip / Keep this),
``sp:keep:<part>``, ``sp:clear:<part>``, ``sp:done``, ``sp:switch`` / ``sp:stay``.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
)

from bot.content import t
from bot.content.keys import Family
from bot.engine import aftercare, flow
from bot.handlers.common import Button, Ctx, answer, chunk, current_user, onboarded_user, say
from bot.models import SafetyPlan, User
from bot.services import safetyplan
from bot.services.safetyplan import SECTIONS
from bot.services.textsplit import split_text
from bot.store import safetyplans

NAME = "safetyplan"
P = "sp"
EDIT = "edit_"
SWITCH = "switch"
END = ConversationHandler.END
PART = "(" + "|".join(SECTIONS) + ")"
#: The question of each part.
QUESTIONS = Family("safetyplan.ask.{}", SECTIONS)


def _part(update: Update) -> str:
    query = update.callback_query
    assert query is not None and query.data is not None
    return query.data.rsplit(":", 1)[-1]


def _question(plan: SafetyPlan, part: str, editing: bool) -> tuple[str, list[list[Button]]]:
    value = getattr(plan, part)
    blocks = [t(f"safetyplan.ask.{part}")]
    rows: list[list[Button]]
    if value and value.strip():
        key = "safetyplan.current" if editing or part != "professionals" else "safetyplan.prefilled"
        blocks += [t(key, text=value.strip()), t("safetyplan.replace_hint")]
        rows = [[(t("safetyplan.keep"), f"{P}:{'keep' if editing else 'next'}:{part}")]]
        if editing:
            rows.append([(t("safetyplan.clear"), f"{P}:clear:{part}")])
    else:
        rows = [[(t("safetyplan.skip"), f"{P}:{'keep' if editing else 'next'}:{part}")]]
    return "\n\n".join(blocks), rows


async def ask(update: Update, ctx: Ctx, plan: SafetyPlan, part: str, editing: bool) -> str:
    await flow.prompt(update, ctx, NAME, *_question(plan, part, editing))
    return EDIT + part if editing else part


async def show_plan(update: Update, ctx: Ctx, plan: SafetyPlan, intro: str | None = None) -> int:
    """The whole plan with a button per part (outside the conversation: the buttons enter it)."""
    await flow.clear_prompt(update, ctx, NAME)
    rows = chunk([(t(f"safetyplan.short.{p}"), f"{P}:edit:{p}") for p in SECTIONS], 2)
    rows.append([(t("safetyplan.done_button"), f"{P}:done")])
    text = "\n\n".join([intro or t("safetyplan.edit_intro"), safetyplan.text(plan)])
    parts = split_text(text)
    for number, part in enumerate(parts, start=1):
        await say(update, ctx, part, rows if number == len(parts) else ())
    return END


async def _user(update: Update, ctx: Ctx) -> User | None:
    await answer(update)
    return await onboarded_user(update, ctx, "safetyplan.not_onboarded")


async def open_plan(update: Update, ctx: Ctx) -> str | int:
    """/safetyplan and the buttons under /sos and /settings."""
    user = await _user(update, ctx)
    if user is None:
        return END
    if await flow.ask_switch(update, ctx, NAME, P):
        return SWITCH
    return await _begin(update, ctx, user)


async def _begin(update: Update, ctx: Ctx, user: User) -> str | int:
    plan = safetyplans.get(ctx.db, user.id)
    if plan is not None:
        return await show_plan(update, ctx, plan)
    with flow.carrying(update, ctx, NAME, SECTIONS[0]):  # (a new plan: one statement)
        plan = safetyplan.start(ctx.db, user, ctx.now(), None)
    await say(update, ctx, t("safetyplan.intro"))
    return await ask(update, ctx, plan, SECTIONS[0], editing=False)


async def switch(update: Update, ctx: Ctx) -> str | int:
    await flow.switch(update, ctx, NAME)
    return await _begin(update, ctx, current_user(update, ctx))


async def stay(update: Update, ctx: Ctx) -> int:
    await flow.stay(update, ctx, NAME)
    return END


async def edit_part(update: Update, ctx: Ctx) -> str | int:
    """A part's button under the plan: its question, to change it."""
    user = await _user(update, ctx)
    if user is None:
        return END
    plan = safetyplans.get(ctx.db, user.id) or safetyplan.start(ctx.db, user, ctx.now())
    return await ask(update, ctx, plan, _part(update), editing=True)


async def _after(
    update: Update,
    ctx: Ctx,
    user: User,
    part: str,
    editing: bool,
    plan: SafetyPlan | None = None,
    shown: str | None = None,
) -> str | int:
    """What follows an answered part (``plan``: as just written, else read): the next
    question — in place of the pressed one, ``shown`` kept under it — or the plan."""
    plan = plan or safetyplans.get(ctx.db, user.id)
    if plan is None:
        await answer(update)
        return await flow.gone(update, ctx, NAME)
    following = None if editing else safetyplan.next_section(part)
    if following is not None:
        question = _question(plan, following, editing=False)
        if shown is not None and await flow.prompt_in_place(update, ctx, NAME, shown, *question):
            return following
        return await ask(update, ctx, plan, following, editing=False)
    if shown is not None:
        await flow.settle(update, ctx, NAME, shown)
    return await show_plan(update, ctx, plan, None if editing else t("safetyplan.all_done"))


def _typed(part: str, editing: bool) -> flow.Callback:
    async def handler(update: Update, ctx: Ctx) -> str | int:
        user = current_user(update, ctx)
        await flow.clear_prompt(update, ctx, NAME)
        following = None if editing else safetyplan.next_section(part)
        with flow.carrying(update, ctx, NAME, following):  # (the next part: stored with it)
            plan = safetyplan.save(ctx.db, user.id, part, flow.text_of(update), ctx.now())
        if editing:
            await say(update, ctx, t("safetyplan.saved"))
        return await _after(update, ctx, user, part, editing, plan)

    return handler


async def next_part(update: Update, ctx: Ctx) -> str | int:
    """Skip / Keep this during the first walk through."""
    part, user = _part(update), current_user(update, ctx)
    plan = safetyplans.get(ctx.db, user.id)
    written = plan is not None and bool((getattr(plan, part) or "").strip())
    shown = t("safetyplan.keep" if written else "safetyplan.skip")
    return await _after(update, ctx, user, part, editing=False, plan=plan, shown=shown)


async def keep_or_clear(update: Update, ctx: Ctx) -> str | int:
    query = update.callback_query
    assert query is not None and query.data is not None
    part, clear = _part(update), query.data.startswith(f"{P}:clear:")
    await flow.settle(update, ctx, NAME, t("safetyplan.cleared" if clear else "safetyplan.kept"))
    user = current_user(update, ctx)
    if clear:
        safetyplan.save(ctx.db, user.id, part, None, ctx.now())
    return await _after(update, ctx, user, part, editing=True)


async def done(update: Update, ctx: Ctx) -> int:
    await flow.settle(update, ctx, NAME, t("safetyplan.done_button"), t("safetyplan.edit_intro"))
    await say(update, ctx, t("safetyplan.closed"))
    return END


async def not_text(update: Update, ctx: Ctx) -> None:
    await say(update, ctx, t("safetyplan.not_text"))


async def tap_a_button(update: Update, ctx: Ctx) -> None:
    await say(update, ctx, t("safetyplan.tap_a_button"))


# --- after a care message (aftercare.py) ----------------------------------------------------


async def keep_text(update: Update, ctx: Ctx, state: str, text: str) -> str | None:
    part, editing = state.removeprefix(EDIT), state.startswith(EDIT)
    if part not in SECTIONS:
        return None
    await flow.clear_prompt(update, ctx, NAME)
    safetyplan.save(ctx.db, current_user(update, ctx).id, part, text, ctx.now())
    following = None if editing else safetyplan.next_section(part)
    return following or aftercare.FINISH


async def resume(update: Update, ctx: Ctx, state: str) -> str | int:
    user = current_user(update, ctx)
    if state == SWITCH:
        return await open_plan(update, ctx)
    plan = safetyplans.get(ctx.db, user.id)
    part = state.removeprefix(EDIT)
    if plan is None:
        return await flow.gone(update, ctx, NAME)
    if part not in SECTIONS:
        return await show_plan(update, ctx, plan)
    return await ask(update, ctx, plan, part, editing=state.startswith(EDIT))


async def cancel_note(update: Update, ctx: Ctx) -> str:
    return t("safetyplan.cancel_note")


async def invite_after_stop(update: Update, ctx: Ctx) -> None:
    """The invitation to write a plan, at the calm moment after "Stop here for now"."""
    user = update.effective_user
    if user is not None and safetyplan.sections(safetyplans.get(ctx.db, user.id)) is None:
        await say(update, ctx, t("care.invite_plan"))


def build() -> ConversationHandler:  # type: ignore[type-arg]
    states: dict[object, list[flow.Handler]] = {}
    for part in SECTIONS:
        states[part] = flow.typed_step(
            _typed(part, editing=False),
            not_text,
            CallbackQueryHandler(next_part, pattern=rf"^{P}:next:{part}$"),
        )
        states[EDIT + part] = flow.typed_step(
            _typed(part, editing=True),
            not_text,
            CallbackQueryHandler(keep_or_clear, pattern=rf"^{P}:(keep|clear):{part}$"),
        )
    states[SWITCH] = [
        CallbackQueryHandler(switch, pattern=rf"^{P}:switch$"),
        CallbackQueryHandler(stay, pattern=rf"^{P}:stay$"),
        MessageHandler(flow.TEXT | flow.OTHER, tap_a_button),
    ]
    return flow.conversation(
        NAME,
        [
            CommandHandler("safetyplan", open_plan),
            CallbackQueryHandler(open_plan, pattern=rf"^{P}:open$"),
            CallbackQueryHandler(edit_part, pattern=rf"^{P}:edit:{PART}$"),
        ],
        states,
    )


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(build())
    app.add_handler(CallbackQueryHandler(done, pattern=rf"^{P}:done$"))
    aftercare.register(NAME, resume, keep_text)
    aftercare.after_stop(invite_after_stop)
