"""python-telegram-bot persistence over the project's database (no pickle files).

Only conversation states are persisted: every answer a user gives is written to its own
record by the services, and settings live in the users table, so user/chat/bot data stay in
memory. ``SteadyApplication`` flushes persistence after each update, so a restart (or a
SIGKILL) between two answers resumes the conversation at the same step.

PTB reports a conversation's state after every update, changed or not (a tap in the feelings
picker keeps the state). A state already stored is not written again unless the stored row is
older than ``REFRESH``: one statement saved on most taps, and ``updated_at`` (which closes
conversations left hanging for hours) stays accurate to within minutes.

A step that stores an answer knows the state it leads to, and ``carry`` writes that state with
the answer (one statement and one commit on PostgreSQL, bot/store/conversations.py), before the
reply is sent; PTB's report of the same state afterwards is then not written again. Should the
update end in another state, PTB reports that one and it is written; should it report none (the
handler failed after the answer was stored), ``unconfirmed`` names the conversations whose
stored state may now differ from this process's, and the application writes them back.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any

from telegram.ext import BasePersistence, PersistenceInput
from telegram.ext._utils.types import CDCData, ConversationDict, ConversationKey

from bot.store import conversations
from bot.store.db import Database

#: A stored state that hasn't changed is written again (to move ``updated_at``) after this.
REFRESH = timedelta(minutes=10)


class DatabasePersistence(BasePersistence[dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    def __init__(self, db: Database, clock: Callable[[], datetime], update_interval: float = 60):
        super().__init__(
            store_data=PersistenceInput(
                bot_data=False, chat_data=False, user_data=False, callback_data=False
            ),
            update_interval=update_interval,
        )
        self.db = db
        self.clock = clock
        #: (name, key) -> (state, when written) of what this process stored last.
        self._stored: dict[tuple[str, tuple[Any, ...]], tuple[object, datetime]] = {}
        #: States written with an answer (``carry``) that PTB has not reported yet.
        self._carried: set[tuple[str, tuple[Any, ...]]] = set()

    @contextlib.contextmanager
    def carry(self, name: str, key: ConversationKey, state: object) -> Iterator[None]:
        """The answer stored inside also stores ``state`` as the conversation's (see the
        module's docstring; ``conversations.STEP_OF_ROW``: the step the row written records;
        None: the conversation ends, its stored state is forgotten)."""
        now = self.clock()
        user_id = key[-1] if key and isinstance(key[-1], int) else None
        with conversations.carrying(name, tuple(key), state, user_id, now) as carried:
            yield
        if carried.written:
            stored_key = (name, tuple(key))
            self._stored[stored_key] = (carried.state, now)
            self._carried.add(stored_key)

    def unconfirmed(self, user_id: int) -> list[tuple[str, tuple[Any, ...]]]:
        """The user's carried states PTB did not report since (their conversations' states
        are to be written as PTB has them); forgotten once asked. (A user's updates take
        turns, bot/concurrency.py: none of theirs is half done when their last one ends.)"""
        left = [k for k in self._carried if k[1] and k[1][-1] == user_id]
        for stored_key in left:
            self._carried.discard(stored_key)
            self._stored.pop(stored_key, None)
        return left

    async def get_conversations(self, name: str) -> ConversationDict:
        return conversations.load(self.db, name)

    async def update_conversation(
        self, name: str, key: ConversationKey, new_state: object | None
    ) -> None:
        now = self.clock()
        stored_key = (name, tuple(key))
        carried = stored_key in self._carried
        self._carried.discard(stored_key)
        stored = self._stored.get(stored_key)
        if new_state is None and carried and stored is not None and stored[0] is None:
            del self._stored[stored_key]  # (forgotten with the answer that ended it)
            return
        if new_state is not None and stored is not None:
            state, written = stored
            if state == new_state and timedelta(0) <= now - written < REFRESH:
                return
        user_id = key[-1] if key and isinstance(key[-1], int) else None
        conversations.save(self.db, name, tuple(key), new_state, user_id, now)
        if new_state is None:
            self._stored.pop(stored_key, None)
        else:
            self._stored[stored_key] = (new_state, now)

    def forget(self, user_id: int) -> None:
        """Forget what this process stored for the user (another replica may have written
        since: the next state is written whatever this process wrote last)."""
        for stored_key in [k for k in self._stored if k[1] and k[1][-1] == user_id]:
            del self._stored[stored_key]

    def known(self, user_id: int, stored: conversations.Written) -> None:
        """The user's states as the database has them now (read at the start of their turn,
        bot/replicas/steps.py): a state PTB then reports unchanged is not written again."""
        self.forget(user_id)
        self._stored.update(stored)

    # Nothing else is persisted (see the module docstring).
    async def get_user_data(self) -> dict[int, dict[Any, Any]]:
        return {}

    async def get_chat_data(self) -> dict[int, dict[Any, Any]]:
        return {}

    async def get_bot_data(self) -> dict[Any, Any]:
        return {}

    async def get_callback_data(self) -> CDCData | None:
        return None

    async def update_user_data(self, user_id: int, data: dict[Any, Any]) -> None:
        return None

    async def update_chat_data(self, chat_id: int, data: dict[Any, Any]) -> None:
        return None

    async def update_bot_data(self, data: dict[Any, Any]) -> None:
        return None

    async def update_callback_data(self, data: CDCData) -> None:
        return None

    async def drop_chat_data(self, chat_id: int) -> None:
        return None

    async def drop_user_data(self, user_id: int) -> None:
        return None

    async def refresh_user_data(self, user_id: int, user_data: dict[Any, Any]) -> None:
        return None

    async def refresh_chat_data(self, chat_id: int, chat_data: dict[Any, Any]) -> None:
        return None

    async def refresh_bot_data(self, bot_data: dict[Any, Any]) -> None:
        return None

    async def flush(self) -> None:
        return None
