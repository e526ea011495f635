# shellcheck shell=bash
# PostgreSQL for the end-to-end tests (tests/e2e/lib.sh) and `scripts/demo --postgres`, sourced
# by scripts that set $WORK: a throw-away cluster of Debian's postgresql package in $WORK/pg, listening on a
# Unix socket in that folder only (no TCP), run as the postgres user when the tests run as
# root (the server refuses root). Nothing here runs until a script calls pg_start.
#   pg_start                 initdb and start the server, wait until it accepts connections;
#                            it is stopped when the script exits (call it in the script's own
#                            shell, not in $(...): the server also quits when that shell dies)
#   pg_createdb NAME [FILE]  (re)create database NAME and load FILE into it with psql
#   pg_url NAME              the postgresql:// URL of NAME, host = the socket folder
#   pg_psql NAME SQL         psql's unaligned, tuples-only output of SQL run in NAME
#   pg_restart               stop the server (fast shutdown) and start it on the same data
#   pg_stop                  stop it now; a script that sets its own EXIT trap after
#                            pg_start calls pg_stop in it (a trap set before is kept, and
#                            so are the traps of scripts/mariadb.sh's md_start)
# shellcheck source-path=SCRIPTDIR source=server.sh
source "$(dirname "${BASH_SOURCE[0]}")/server.sh"
PG_DIR=""
PG_PID=""
PG_PORT=5432

pg_ready() {
  [ -S "$PG_DIR/.s.PGSQL.$PG_PORT" ] &&
    "$PG_BIN/pg_isready" -q -h "$PG_DIR" -p "$PG_PORT" -U postgres -d postgres
}

# pg_launch: starts the server on $PG_DIR/data and waits (30 s at most) until it is ready.
pg_launch() {
  server_launch PG_PID "pg_start: the PostgreSQL server" "$PG_DIR" pg_ready \
    "${PG_AS[@]}" "$PG_BIN/postgres" -D "$PG_DIR/data" -k "$PG_DIR" -p "$PG_PORT" -c listen_addresses= \
    -c fsync=off -c full_page_writes=off -c synchronous_commit=off || { pg_stop; exit 1; }
}

# pg_signal SIG: sends SIG to the server and waits for it to exit, 30 s at most, then kills it.
pg_signal() { server_signal PG_PID "$1"; }

pg_stop() { pg_signal INT; }

pg_start() {
  [ -z "$PG_PID" ] || return 0
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2> /dev/null | sort -V | tail -n 1)
  [ -x "$PG_BIN/postgres" ] || { echo "pg_start: PostgreSQL is not installed (scripts/install-deps)" >&2; exit 1; }
  PG_DIR="$WORK/pg"
  # PG_AS: the prefix that runs a command as the server's user, exec'd in place (so $! of
  # `"${PG_AS[@]}" postgres ... &` is the server itself), with SIGQUIT (immediate shutdown)
  # when this shell dies.
  PG_AS=(setpriv --pdeathsig QUIT --)
  [ "$(id -u)" -ne 0 ] || PG_AS=(setpriv --reuid=postgres --regid=postgres --init-groups --pdeathsig QUIT --)
  # A Unix socket's path holds at most 107 bytes.
  if [ ${#PG_DIR} -gt 90 ]; then echo "pg_start: $PG_DIR: too long for a socket path" >&2; exit 1; fi
  rm -rf "$PG_DIR" && mkdir -m 700 "$PG_DIR" || exit 1
  [ "$(id -u)" -ne 0 ] || chown postgres: "$PG_DIR" || exit 1
  if ! "${PG_AS[@]}" "$PG_BIN/initdb" -D "$PG_DIR/data" -A trust -U postgres -E UTF8 --locale=C --no-sync \
    > "$PG_DIR/initdb.log" 2>&1 < /dev/null; then
    echo "pg_start: initdb failed" >&2
    tail -n 20 "$PG_DIR/initdb.log" | sed 's/^/  initdb: /' >&2
    exit 1
  fi
  server_trap EXIT pg_stop
  server_trap INT 'pg_signal QUIT' 'exit 130'
  server_trap TERM 'pg_signal QUIT' 'exit 143'
  pg_launch
}

pg_restart() {
  pg_stop
  pg_launch
}

# pg_sql NAME PSQL-OPTIONS...: psql on database NAME, stopping at the first error.
pg_sql() {
  local name="$1"
  shift
  "$PG_BIN/psql" -X -v ON_ERROR_STOP=1 -h "$PG_DIR" -p "$PG_PORT" -U postgres -d "$name" "$@"
}

pg_createdb() {
  pg_sql postgres -q -c "SET client_min_messages = warning" \
    -c "DROP DATABASE IF EXISTS \"$1\" WITH (FORCE)" -c "CREATE DATABASE \"$1\"" || return 1
  [ $# -lt 2 ] || pg_sql "$1" -q < "$2" > /dev/null
}

pg_psql() { pg_sql "$1" -Atq <<< "$2"; }

pg_url() { echo "postgresql://postgres@/$1?host=$(server_url_encoded "$PG_DIR")"; }
