# shellcheck shell=bash
# What the throw-away database servers of scripts/pg.sh and scripts/mariadb.sh share, sourced by
# them: waiting for a server to start, stopping it, the traps that stop it when the script ends,
# and a socket path written into a URL. They work under `set -e` too.

# server_exited PID: the process is gone or a zombie.
server_exited() { case "$(ps -o stat= -p "$1" 2> /dev/null)" in '' | Z*) return 0 ;; *) return 1 ;; esac; }

# server_log_tail DIR: the end of DIR/server.log, on standard error.
server_log_tail() { tail -n 20 "$1/server.log" 2> /dev/null | sed 's/^/  server.log: /' >&2; }

# server_wait WHAT PID DIR READY...: waits (30 s at most) until the command READY... succeeds.
# When the server PID exits first, or is not ready by then, says so ("WHAT exited while
# starting") with the end of DIR/server.log and returns 1.
server_wait() {
  local what="$1" pid="$2" dir="$3" i
  shift 3
  for ((i = 0; i < 300; i++)); do
    if server_exited "$pid"; then
      wait "$pid" 2> /dev/null || true
      echo "$what exited while starting" >&2
      server_log_tail "$dir"
      return 1
    fi
    "$@" && return 0
    sleep 0.1
  done
  echo "$what is not ready after 30 s" >&2
  server_log_tail "$dir"
  return 1
}

# server_launch VAR WHAT DIR READY COMMAND...: starts the server COMMAND in the background, its
# output appended to DIR/server.log and its process id in variable VAR, and waits until READY
# succeeds (server_wait); returns 1 when it does not.
server_launch() {
  local var="$1" what="$2" dir="$3" ready="$4"
  shift 4
  "$@" >> "$dir/server.log" 2>&1 < /dev/null &
  printf -v "$var" '%s' "$!"
  server_wait "$what" "$!" "$dir" "$ready"
}

# server_signal VAR SIG: sends SIG to the server whose process id is in variable VAR (nothing
# when it is empty), waits for it to exit, 30 s at most, then kills it; VAR is emptied.
server_signal() {
  local pid="${!1}" i
  [ -n "$pid" ] || return 0
  kill -"$2" "$pid" 2> /dev/null || true
  for ((i = 0; i < 300; i++)); do
    server_exited "$pid" && break
    sleep 0.1
  done
  server_exited "$pid" || kill -KILL "$pid" 2> /dev/null || true
  wait "$pid" 2> /dev/null || true
  printf -v "$1" '%s' ""
}

# server_trap SIGNAL COMMAND [LAST]: runs COMMAND on SIGNAL (EXIT, INT, TERM) before what was
# set for it already, or before LAST when nothing was; so the servers of pg.sh and mariadb.sh,
# and a script's own EXIT trap set before, all compose.
server_trap() {
  local signal="$1" command="$2" last="${3:-}" previous
  previous=$(trap -p "$signal")
  if [ -n "$previous" ]; then
    eval "set -- $previous" # trap -- 'COMMAND' SIGNAL
    last="$3"
  fi
  # shellcheck disable=SC2064 # what was set before is written into this trap now
  trap "$command${last:+; $last}" "$signal"
}

# server_url_encoded TEXT: TEXT with every byte but letters, digits and -._~ written %XX.
server_url_encoded() {
  local LC_ALL=C out="" c i
  for ((i = 0; i < ${#1}; i++)); do
    c=${1:i:1}
    case "$c" in
      [A-Za-z0-9._~-]) out+="$c" ;;
      *) printf -v c '%%%02X' "'$c" && out+="$c" ;;
    esac
  done
  echo "$out"
}
