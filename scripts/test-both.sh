#!/usr/bin/env bash
# `make test`'s two passes side by side: every test on SQLite, and on PostgreSQL every test
# whose database that changes (the `db` fixture). They share nothing: each has its own
# PostgreSQL database (the SQLite pass's store tests use one too). Run one after the other
# they took 16 minutes on this 2-core machine, most of it waiting on bot processes and the
# database, so together they fit CI's 15. Each pass's output is shown whole when it ends.
set -uo pipefail
uv="${UV:-uv}"
base="${STEADY_TEST_PG_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/steady_test}"
logs="$(mktemp -d)"
trap 'rm -rf "$logs"' EXIT
echo "test: the SQLite and the PostgreSQL passes, side by side (output when each ends)"
STEADY_TEST_PG_URL="$base" $uv run --frozen pytest -q >"$logs/sqlite" 2>&1 &
sqlite=$!
STEADY_TEST_PG_URL="${base}_pg" STEADY_TEST_BACKEND=postgres \
  $uv run --frozen pytest -q -m "not sqlite_only" >"$logs/postgres" 2>&1 &
postgres=$!
wait "$sqlite"; sqlite_rc=$?
echo "== SQLite pass (exit $sqlite_rc)"; cat "$logs/sqlite"
wait "$postgres"; postgres_rc=$?
echo "== PostgreSQL pass (exit $postgres_rc)"; cat "$logs/postgres"
[ "$sqlite_rc" -eq 0 ] && [ "$postgres_rc" -eq 0 ]
