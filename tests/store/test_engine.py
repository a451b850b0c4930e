"""Engines: platform-style PostgreSQL URLs, connect timeouts."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from bot.store.db import PG_CONNECT_TIMEOUT, make_engine, with_driver


@pytest.mark.parametrize(
    "url",
    [
        "postgres://u:pw@db.example:5432/steady",
        "postgresql://u:pw@db.example:5432/steady",
        "postgresql+psycopg://u:pw@db.example:5432/steady",
    ],
)
def test_platform_postgres_urls_use_psycopg3(url: str) -> None:
    assert with_driver(url) == "postgresql+psycopg://u:pw@db.example:5432/steady"
    engine = make_engine(url)  # no connection is made
    assert engine.dialect.driver == "psycopg"
    engine.dispose()


def test_other_urls_are_left_alone() -> None:
    for url in ("sqlite:///data/steady.db", "sqlite://", "mysql+pymysql://u@h/db"):
        assert with_driver(url) == url


class Captured(Exception):
    pass


def connect_params(url: str) -> dict[str, object]:
    """The parameters the engine would hand psycopg (captured before any network I/O)."""
    engine = make_engine(url)
    params: dict[str, object] = {}

    def capture(_dialect: object, _record: object, _args: object, kwargs: dict) -> None:
        params.update(kwargs)
        raise Captured

    event.listen(engine, "do_connect", capture)
    with pytest.raises(Captured):
        engine.connect()
    engine.dispose()
    return params


def test_postgres_connections_give_up_instead_of_hanging() -> None:
    assert connect_params("postgres://u@db.example/steady")["connect_timeout"] == (
        PG_CONNECT_TIMEOUT
    )
    assert (
        connect_params("postgresql://u@db.example/steady?connect_timeout=3")["connect_timeout"]
        == "3"
    )  # the URL's own setting wins
