#!/usr/bin/env bash
# Start a throwaway PostgreSQL on 127.0.0.1 for the database-backed tests and print its URL.
# Usage: eval "$(bash .ci/postgres.sh)"   → exports PFM_TEST_POSTGRES_URL (and PFM_TEST_PGDATA)
set -euo pipefail
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$bin" ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2 && apt-get install -y -qq postgresql >&2
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
fi
data=$(mktemp -d /tmp/pfm-pg.XXXXXX)
chown postgres "$data"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
su postgres -s /bin/sh -c "$bin/initdb -D $data -A trust -U postgres" >/dev/null
su postgres -s /bin/sh -c "$bin/pg_ctl -D $data -l $data/log -w -o \"-k $data -h 127.0.0.1 -p $port\" start" >/dev/null
su postgres -s /bin/sh -c "$bin/createdb -h 127.0.0.1 -p $port -U postgres pfm" >/dev/null
echo "export PFM_TEST_POSTGRES_URL=postgresql://postgres@127.0.0.1:$port/pfm"
echo "export PFM_TEST_PGDATA=$data"
echo "export PFM_TEST_PGBIN=$bin"
