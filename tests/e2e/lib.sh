# Shared helpers for the end-to-end tests: sourced by tests/e2e/<name>.sh, which ctest runs as
#   bash tests/e2e/<name>.sh TELCOMPLY_BINARY SOURCE_DIR SCRATCH_DIR
# Each check prints "ok" or "FAIL" with what was expected; the script exits non-zero when
# any check failed.
set -u

TC="$1"
SRC="$2"
WORK="$3"
rm -rf "$WORK" && mkdir -p "$WORK"
export LC_ALL=C.UTF-8
unset TELCOMPLY_CONFIG
CONFIG="$SRC/examples/telcomply.yaml"
passed=0
failed=0

ok() { passed=$((passed + 1)); echo "ok: $*"; }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }

# The example database, built from examples/voipgrow.sql into the scratch folder.
example_db() {
  local db="$WORK/voipgrow.db"
  if [ ! -f "$db" ]; then
    sqlite3 "$db" < "$SRC/examples/voipgrow.sql" || { echo "cannot build the example database" >&2; exit 1; }
  fi
  echo "$db"
}

# run CMD...: runs it with stdout in $WORK/out and stderr in $WORK/err; status in $STATUS.
run() {
  "$@" > "$WORK/out" 2> "$WORK/err" < /dev/null
  STATUS=$?
}

# expect_status N DESCRIPTION CMD...: runs CMD and checks its exit status.
expect_status() {
  local want="$1" what="$2"
  shift 2
  run "$@"
  if [ "$STATUS" -eq "$want" ]; then
    ok "$what (exit $want)"
  else
    fail "$what: exit $STATUS, expected $want"
    sed 's/^/  stdout: /' "$WORK/out" | head -20
    sed 's/^/  stderr: /' "$WORK/err" | head -20
  fi
}

# expect_match FILE REGEX DESCRIPTION
expect_match() {
  if grep -Eq -- "$2" "$1"; then ok "$3"; else fail "$3: no match for /$2/ in $(basename "$1")"; sed 's/^/  | /' "$1" | head -20; fi
}

# expect_no_match FILE REGEX DESCRIPTION
expect_no_match() {
  if grep -Eq -- "$2" "$1"; then fail "$3: unexpected match for /$2/"; grep -E -- "$2" "$1" | head -5 | sed 's/^/  | /'; else ok "$3"; fi
}

# expect_one_line FILE DESCRIPTION: an error message is exactly one line.
expect_one_line() {
  local n
  n=$(wc -l < "$1")
  if [ "$n" -eq 1 ]; then ok "$2"; else fail "$2: $n lines"; sed 's/^/  | /' "$1" | head -10; fi
}

finish() {
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}
