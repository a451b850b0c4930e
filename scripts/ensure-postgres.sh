#!/usr/bin/env bash
# Make sure a local PostgreSQL answers on 127.0.0.1:5432 (the tests' second backend).
# Where no PostgreSQL is installed, say so: the PostgreSQL tests then skip (outside CI).
set -u
if ! command -v pg_isready >/dev/null 2>&1; then
  echo "ensure-postgres: PostgreSQL client tools not found; PostgreSQL tests will skip outside CI." >&2
  exit 0
fi
if pg_isready -q -h 127.0.0.1 -p 5432; then
  exit 0
fi
if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
  for version in $(ls /etc/postgresql); do
    pg_ctlcluster --skip-systemctl-redirect "$version" main start || [ $? -eq 2 ]
  done
  for _ in $(seq 1 30); do
    pg_isready -q -h 127.0.0.1 -p 5432 && exit 0
    sleep 1
  done
fi
echo "ensure-postgres: PostgreSQL is not answering on 127.0.0.1:5432." >&2
exit 0
