# shellcheck shell=bash
# MariaDB for the end-to-end tests (tests/e2e/lib.sh) and `scripts/demo --mariadb`, sourced by
# scripts that set $WORK: a throw-away server of Debian's mariadb-server package in $WORK/md,
# listening on a Unix socket in that folder only (no TCP), run as the mysql user when the tests
# run as root. The MariaDB user root has no password. Nothing here runs until a script calls
# md_start.
#   md_start                 mariadb-install-db and start the server, wait until it accepts
#                            connections; it is stopped when the script exits (call it in the
#                            script's own shell, not in $(...): the server is also killed when
#                            that shell dies)
#   md_createdb NAME [FILE]  (re)create database NAME (utf8mb4, utf8mb4_unicode_ci), cutting
#                            the connections that use it, and load FILE into it with the
#                            client, stopping at the first error
#   md_url NAME              the mariadb:// URL of NAME, socket = the server's socket
#   md_sql NAME SQL          the client's output of SQL run in NAME: batch mode, no column
#                            names, columns separated by tabs, NULL written NULL
#   md_client ARGS...        the client (`mariadb`) on the server as root, utf8mb4
#   md_restart               stop the server (clean shutdown) and start it on the same data
#   md_stop                  stop it now; a script that sets its own EXIT trap after
#                            md_start calls md_stop in it (a trap set before is kept, and so
#                            are the traps of scripts/pg.sh's pg_start)
# shellcheck source-path=SCRIPTDIR source=server.sh
source "$(dirname "${BASH_SOURCE[0]}")/server.sh"
MD_DIR=""
MD_PID=""

md_client() { mariadb --no-defaults -S "$MD_DIR/mysqld.sock" -u root --default-character-set=utf8mb4 "$@"; }

md_ready() {
  [ -S "$MD_DIR/mysqld.sock" ] &&
    mariadb-admin --no-defaults -S "$MD_DIR/mysqld.sock" -u root --connect-timeout=5 ping > /dev/null 2>&1
}

# md_launch: starts the server on $MD_DIR/data and waits (30 s at most) until it is ready.
md_launch() {
  # The server writes its log itself (--log-error), as its user.
  touch "$MD_DIR/server.log" && chmod 600 "$MD_DIR/server.log" || exit 1
  [ "$(id -u)" -ne 0 ] || chown mysql: "$MD_DIR/server.log" || exit 1
  # Small and fast: the data is thrown away.
  server_launch MD_PID "md_start: the MariaDB server" "$MD_DIR" md_ready \
    "${MD_AS[@]}" "$MD_SERVER" --no-defaults "${MD_USER[@]}" --datadir="$MD_DIR/data" \
    --socket="$MD_DIR/mysqld.sock" --skip-networking --pid-file="$MD_DIR/mysqld.pid" \
    --log-error="$MD_DIR/server.log" --tmpdir="$MD_DIR" \
    --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci --skip-log-bin \
    --innodb-buffer-pool-size=128M --innodb-log-file-size=16M --innodb-flush-log-at-trx-commit=0 \
    --innodb-doublewrite=0 --innodb-buffer-pool-load-at-startup=0 \
    --innodb-buffer-pool-dump-at-shutdown=0 --skip-sync-frm || { md_stop; exit 1; }
}

# md_signal SIG: sends SIG to the server and waits for it to exit, 30 s at most, then kills it.
md_signal() { server_signal MD_PID "$1"; }

md_stop() { md_signal TERM; }

md_start() {
  [ -z "$MD_PID" ] || return 0
  MD_SERVER=$(PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin" command -v mariadbd)
  if [ -z "$MD_SERVER" ] || ! command -v mariadb-install-db > /dev/null; then
    echo "md_start: MariaDB is not installed (scripts/install-deps)" >&2
    exit 1
  fi
  MD_DIR="$WORK/md"
  # MD_AS: the prefix that runs the server as its user, exec'd in place (so $! of
  # `"${MD_AS[@]}" mariadbd ... &` is the server itself), killed when this shell dies; the
  # server switching user itself would lose that signal, so --user only says who it is.
  MD_AS=(setpriv --pdeathsig KILL --)
  MD_USER=()
  if [ "$(id -u)" -eq 0 ]; then
    MD_AS=(setpriv --reuid=mysql --regid=mysql --init-groups --pdeathsig KILL --)
    MD_USER=(--user=mysql)
  fi
  # A Unix socket's path holds at most 107 bytes.
  local socket="$MD_DIR/mysqld.sock"
  if [ ${#socket} -gt 107 ]; then echo "md_start: $socket: too long for a socket path" >&2; exit 1; fi
  rm -rf "$MD_DIR" && mkdir -m 700 "$MD_DIR" || exit 1
  [ "$(id -u)" -ne 0 ] || chown mysql: "$MD_DIR" || exit 1
  if ! mariadb-install-db --no-defaults "${MD_USER[@]}" --datadir="$MD_DIR/data" \
    --auth-root-authentication-method=normal --skip-test-db --skip-name-resolve \
    --tmpdir="$MD_DIR" --innodb-log-file-size=16M > "$MD_DIR/install.log" 2>&1 < /dev/null; then
    echo "md_start: mariadb-install-db failed" >&2
    tail -n 20 "$MD_DIR/install.log" | sed 's/^/  mariadb-install-db: /' >&2
    exit 1
  fi
  server_trap EXIT md_stop
  server_trap INT 'md_signal KILL' 'exit 130'
  server_trap TERM 'md_signal KILL' 'exit 143'
  md_launch
}

md_restart() {
  md_stop
  md_launch
}

md_createdb() {
  local ids
  # As PostgreSQL's DROP DATABASE ... WITH (FORCE): a connection in a transaction on the
  # database would hold DROP DATABASE up.
  ids=$(md_client --batch --skip-column-names -e "SELECT id FROM information_schema.PROCESSLIST
    WHERE db = '$1' AND id <> CONNECTION_ID()") || return 1
  # shellcheck disable=SC2086 # one id a word
  [ -z "$ids" ] || printf 'KILL CONNECTION %s;\n' $ids | md_client --force 2> /dev/null || true
  md_client -e "DROP DATABASE IF EXISTS \`$1\`;
    CREATE DATABASE \`$1\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci" || return 1
  [ $# -lt 2 ] || md_client "$1" < "$2" > /dev/null
}

md_sql() { md_client --batch --skip-column-names "$1" <<< "$2"; }

md_url() { echo "mariadb://root@localhost/$1?socket=$(server_url_encoded "$MD_DIR/mysqld.sock")"; }
