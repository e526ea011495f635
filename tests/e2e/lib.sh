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

# copy_example: the example operator in $EX (configuration in $CFG), so that its audit log and
# databases stay in the scratch folder.
copy_example() {
  EX="$WORK/ex"
  CFG="$EX/telcomply.yaml"
  mkdir -p "$EX"
  cp -r "$SRC/examples/." "$EX/"
  ln -sfn "$SRC/policies" "$WORK/policies"
}

# generate_db PATH ARGS...: a synthetic database in the example's schema (bench/generate.cpp).
generate_db() {
  local generator
  generator="$(dirname "$TC")/../bench/telcomply_generate"
  [ -x "$generator" ] || { echo "the generator $generator is not built" >&2; exit 1; }
  "$generator" "$@" 2> /dev/null || { echo "cannot generate $1" >&2; exit 1; }
}

# For scrubs of a generated database (scrub's rules of examples/policies/retention.yaml):
# data_dump DB: a digest of every row.
data_dump() { sqlite3 "$1" .dump | grep -v '^PRAGMA\|^BEGIN\|^COMMIT' | sha256sum; }
# held_rows DB: the rows that legal holds and open disputes keep.
held_rows() {
  sqlite3 "$1" "SELECT * FROM customers WHERE legal_hold = 1 OR id IN (SELECT customer_id FROM disputes WHERE resolved_on IS NULL);
    SELECT count(*) FROM call_records WHERE subscription_id IN (SELECT s.id FROM subscriptions s JOIN customers c ON c.id = s.customer_id WHERE c.legal_hold = 1)"
}
# A record is untouched or fully done: a customer is anonymised in every column or in none.
half_done() {
  sqlite3 "$1" "SELECT count(*) FROM customers WHERE (email LIKE 'anon:%') != (contact_last_name = '(verwijderd)')
    OR (email LIKE 'anon:%') != (street IS NULL AND city IS NULL AND iban IS NULL AND kvk_number IS NULL)"
}

# For the example operator in a server's form (pg_example.sh, mariadb_example.sh): what SQLite
# says of examples/voipgrow.sql, one line each, and the comparisons with the server, whose rows
# the test's function `server SQL` gives and whose name is in $SERVER.
# The tables.
EXAMPLE_TABLES="SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
# The columns in order, with their declared type, NOT NULL (a primary key's columns are never
# NULL) and default: 'table.column type[ not null][ default X]'.
EXAMPLE_COLUMNS="SELECT m.name || '.' || p.name || ' ' || lower(p.type) ||
    CASE WHEN p.\"notnull\" OR p.pk > 0 THEN ' not null' ELSE '' END ||
    coalesce(' default ' || p.dflt_value, '')
  FROM sqlite_master m, pragma_table_info(m.name) p WHERE m.type = 'table' ORDER BY m.name, p.cid"
# UNIQUE constraints and the indexes made by hand, with their columns: 'table unique (a, b)'
# or 'table index (a, b)'.
EXAMPLE_INDEXES="SELECT m.name || ' ' || CASE i.origin WHEN 'u' THEN 'unique' ELSE i.name END || ' (' ||
    (SELECT group_concat(name, ', ') FROM pragma_index_info(i.name)) || ')'
  FROM sqlite_master m, pragma_index_list(m.name) i
  WHERE m.type = 'table' AND i.origin IN ('u', 'c') ORDER BY 1"
# The foreign keys: 'table.column -> table.column'.
EXAMPLE_FOREIGN_KEYS="SELECT m.name || '.' || f.\"from\" || ' -> ' || f.\"table\" || '.' || f.\"to\"
  FROM sqlite_master m, pragma_foreign_key_list(m.name) f WHERE m.type = 'table' ORDER BY 1"

# load_example CLIENT CREATEDB FILE: `CREATEDB voipgrow $SRC/FILE` loads the example in the
# server's form with its client CLIENT (pg_createdb, psql); when it cannot, the test ends.
load_example() {
  if "$2" voipgrow "$SRC/$3" 2> "$WORK/err"; then
    ok "$1 loads $3"
  else
    fail "$1 cannot load $3"
    sed 's/^/  | /' "$WORK/err" | head -20
    finish
    exit
  fi
}

# same_as_example WHAT SQLITE-QUERY SERVER-QUERY [SQLITE-ONLY [SERVER-ONLY]]: both give the same
# lines in the same order, but the lines of SQLITE-ONLY (one a line) that only SQLite has and
# those of SERVER-ONLY that only the server has.
same_as_example() {
  sqlite3 -bail "$(example_db)" "$2" | grep -vxF -e "${4:-}" > "$WORK/schema.sqlite"
  server "$3" | grep -vxF -e "${5:-}" > "$WORK/schema.server"
  if diff "$WORK/schema.sqlite" "$WORK/schema.server" > "$WORK/diff"; then
    ok "the same $(wc -l < "$WORK/schema.sqlite") $1"
  else
    fail "the $1 differ (< SQLite, > $SERVER): $(grep '^[<>]' "$WORK/diff" | tr '\n' ' ')"
  fi
}

# same_rows TABLE FILE: FILE holds the server's rows of TABLE as SQLite's example gives them: a
# header, fields separated by US (0x1f), NULL as \N, ordered by the first column.
same_rows() {
  sqlite3 -bail "$(example_db)" -header -separator $'\x1f' -nullvalue '\N' \
    "SELECT * FROM \"$1\" ORDER BY 1" > "$WORK/rows.sqlite"
  if cmp -s "$WORK/rows.sqlite" "$2"; then
    ok "$1: the same $(($(wc -l < "$WORK/rows.sqlite") - 1)) rows"
  else
    fail "$1: the rows differ (< SQLite, > $SERVER)"
    diff "$WORK/rows.sqlite" "$2" | grep '^[<>]' | head -6 | tr '\037' '|' | sed 's/^/  | /'
  fi
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

# expect_equal DESCRIPTION A B
expect_equal() {
  if [ "$2" = "$3" ]; then ok "$1"; else fail "$1: '$2' != '$3'"; fi
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

# wait_batches PID: waits (30 s at most) until the scrub PID has committed three batches more
# than the audit log ($EX/audit.jsonl) held when it started, so that what follows lands mid-run.
wait_batches() {
  local start i
  start=$(grep -c '"batch":' "$EX/audit.jsonl" 2> /dev/null)
  for ((i = 0; i < 300; i++)); do
    [ "$(grep -c '"batch":' "$EX/audit.jsonl" 2> /dev/null)" -ge $((start + 3)) ] && return 0
    kill -0 "$1" 2> /dev/null || return 0
    sleep 0.1
  done
}

# --- For the tests of a server backend (postgres.sh, mariadb.sh): the example on SQLite
# ($LITE, through tc_lite) beside the same example on the server (tc_server).

# same_exports SERVER: C-0001, C-0002 and C-0007 exported as JSON, and C-0001 as HTML, give the
# same packages from the server as from SQLite, but for the moment each was made.
same_exports() {
  local customer
  for customer in C-0001 C-0002 C-0007; do
    tc_lite export --customer "$customer" -o "$WORK/$customer.lite.json" > /dev/null 2>&1
    expect_status 0 "export of $customer from $1" tc_server export --customer "$customer" -o "$WORK/$customer.server.json"
    if python3 - "$WORK/$customer.lite.json" "$WORK/$customer.server.json" << 'PY'; then
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
for doc in (a, b):
    doc.pop("generated_at", None)
sys.exit(0 if a == b else 1)
PY
      ok "the package of $customer is the same on $1 as on SQLite"
    else
      fail "the package of $customer differs between SQLite and $1"
    fi
  done
  tc_lite export --customer C-0001 --format html -o "$WORK/c1.lite.html" > /dev/null 2>&1
  tc_server export --customer C-0001 --format html -o "$WORK/c1.server.html" > /dev/null 2>&1
  # The moment each package was made may differ by a second: its line is left out.
  if diff <(grep -v 'generated\|Generated\|gegenereerd\|Opgesteld op' "$WORK/c1.lite.html") \
    <(grep -v 'generated\|Generated\|gegenereerd\|Opgesteld op' "$WORK/c1.server.html") > /dev/null; then
    ok "the HTML package is the same on both"
  else
    fail "the HTML package differs: $(diff "$WORK/c1.lite.html" "$WORK/c1.server.html" | head -4 | tr '\n' ' ')"
  fi
}

# typed_values WHAT URL EXPECTED COLUMN...: the example's data map with customers' COLUMNs as
# account data ($EX/typed.yaml), and C-0001's package from URL holds EXPECTED (a JSON object
# of COLUMN: value, tests/e2e/typed_record.py).
typed_values() {
  local what="$1" url="$2" expected="$3"
  shift 3
  python3 - "$EX" "$@" << 'PY'
import sys, yaml
ex = sys.argv[1]
datamap = yaml.safe_load(open(f"{ex}/policies/datamap.yaml"))
for column in sys.argv[2:]:
    datamap["tables"]["customers"]["columns"][column] = "account"
yaml.safe_dump(datamap, open(f"{ex}/policies/typed-datamap.yaml", "w"), allow_unicode=True)
config = yaml.safe_load(open(f"{ex}/telcomply.yaml"))
config["policies"]["data_map"] = "policies/typed-datamap.yaml"
yaml.safe_dump(config, open(f"{ex}/typed.yaml", "w"), allow_unicode=True)
PY
  if "$TC" --config "$EX/typed.yaml" --db "$url" export --customer C-0001 -o "$WORK/typed.json" > "$WORK/out" 2> "$WORK/err" &&
    python3 "$SRC/tests/e2e/typed_record.py" "$WORK/typed.json" "$expected" > "$WORK/typed" 2>&1; then
    ok "$what keep their values"
  else
    fail "typed values: $(cat "$WORK/out" "$WORK/err" "$WORK/typed" | tail -3 | tr '\n' ' ')"
  fi
}

# same_tables WHEN ROWS NULL: every table of $LITE holds the same rows as the function ROWS
# TABLE prints of the server's (in the order of the first column, columns separated by |,
# NULL as NULL).
same_tables() {
  local table
  for table in $(sqlite3 "$LITE" "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"); do
    sqlite3 -separator '|' -nullvalue "$3" "$LITE" "SELECT * FROM $table ORDER BY 1" > "$WORK/rows.lite"
    "$2" "$table" > "$WORK/rows.server"
    cmp -s "$WORK/rows.lite" "$WORK/rows.server" || fail "$1, $table differs between SQLite and the server"
  done
  ok "$1, every table holds the same rows on both"
}

# killed_drops KEPT KEPT_ROWS: a run killed between partition drops' "prepared" records and
# their commits, written into $EX/audit.jsonl by hand as such a run leaves them: the first
# batch for two partitions the last run dropped ($WORK/out.apply), the second for KEPT, still
# there with its KEPT_ROWS rows, the third for one of each. The next run settles the first as
# committed, the second as rolled back and the third, half there, as unknown.
killed_drops() {
  local database gone case batch parts states
  database=$(jq -r 'select(.event == "start") | .database' "$EX/audit.jsonl" | tail -1)
  gone=$(grep -o "partitions dropped whole: .*" "$WORK/out.apply" | cut -d' ' -f4- | tr -d ',')
  read -r -a gone <<< "$gone"
  for case in "1 ${gone[0]}:5 ${gone[1]}:7" "2 $1:$2" "3 ${gone[0]}:5 $1:$2"; do
    read -r batch parts <<< "$case"
    jq -cn --arg db "$database" --arg parts "$parts" --argjson b "$batch" \
      '($parts | split(" ") | map(split(":") | {partition: .[0], rows: (.[1] | tonumber)})) as $p |
       {event: "batch", command: "scrub", run: "killed-run", batch: $b, state: "prepared",
        database: $db, table: "call_records", deleted: ($p | map(.rows) | add), anonymised: 0,
        check: {table: "call_records", partitions: $p}}' >> "$EX/audit.jsonl"
  done
  expect_status 0 "a scrub after a run killed while dropping partitions" tc_server scrub --as-of 2026-11-23 --apply
  states=$(jq -r 'select(.run == "killed-run" and .state != "prepared") | "\(.batch) \(.state)"' "$EX/audit.jsonl" | tr '\n' ' ')
  [ "${#gone[@]}" -ge 2 ] && [ "$states" = "1 committed 2 rolled_back 3 unknown " ] &&
    ok "it settles the killed drops of ${gone[0]} and ${gone[1]} as committed, that of $1 ($2 rows) as rolled back, and that of both ${gone[0]} and $1 as unknown" ||
    fail "the killed partition drops settled as '$states' (gone: '${gone[*]}', kept: '$1')"
}

# applied_scrub SERVER FIRST PARTS HAS: scrub --apply of the example on SQLite and on the
# server (its output also in $WORK/out.apply): the server's run names the partitions it
# dropped whole, starting with FIRST (a regular expression), exactly as many as PARTS (the
# caller's function counting the partitions of call_records) lost, and every partition in
# $held_parts (past retention, holding a held customer's calls) stays: HAS NAME (the
# caller's function) succeeds for each.
applied_scrub() {
  local parts_before dropped gone=0 p
  parts_before=$("$3")
  tc_lite scrub --as-of 2026-11-23 --apply > /dev/null 2>&1
  expect_status 0 "scrub --apply on $1" tc_server scrub --as-of 2026-11-23 --apply
  expect_match "$WORK/out" "partitions dropped whole: $2" "the run says which partitions it dropped"
  cp "$WORK/out" "$WORK/out.apply"
  dropped=$(grep -o "partitions dropped whole: .*" "$WORK/out" | tr ',' '\n' | wc -l)
  [ "$("$3")" -eq $((parts_before - dropped)) ] && ok "$dropped partitions are gone, $("$3") stay" ||
    fail "partitions: $parts_before before, $("$3") after, $dropped reported dropped"
  [ -n "$held_parts" ] || fail "the example has no held call records in a partition past retention"
  for p in $held_parts; do "$4" "$p" || gone=$((gone + 1)); done
  [ "$gone" -eq 0 ] && ok "the $(echo $held_parts | wc -w) partitions past retention that hold a held customer's calls stay" ||
    fail "$gone partition(s) holding a held customer's calls were dropped (of $held_parts)"
}

# url_refusals PASSWORD_URL POINTER UNREACHABLE_URL SHOWN: a location holding a password
# (PASSWORD_URL, whose password is s3cr3t) is refused in one line that points at the client
# library's own mechanisms (POINTER, a regular expression) without the password, also from
# the configuration (lint, naming file, line and column); an unreachable server
# (UNREACHABLE_URL) is exit 4 in one line naming the database as SHOWN, and no package.
url_refusals() {
  expect_status 2 "a URL with a password is refused" "$TC" --config "$CFG" \
    --db "$1" export --customer C-0001 -o "$WORK/x.json"
  expect_one_line "$WORK/err" "the refusal is one line"
  expect_match "$WORK/err" "$2" "the refusal points at the client library's own password files"
  expect_no_match "$WORK/err" "s3cr3t" "the refusal does not repeat the password"
  sed "s|^database: .*|database: \"$1\"|" "$CFG" > "$EX/with-password.yaml"
  expect_status 2 "lint refuses a configuration whose database URL holds a password" \
    "$TC" --config "$EX/with-password.yaml" lint
  expect_match "$WORK/err" "with-password.yaml:[0-9]+:[0-9]+: " "the refusal names the file, line and column"
  expect_no_match "$WORK/err" "s3cr3t" "and not the password"
  expect_status 4 "an unreachable server" "$TC" --config "$CFG" --db "$3" export --customer C-0001 -o "$WORK/x.json"
  expect_one_line "$WORK/err" "the connection failure is one line"
  expect_match "$WORK/err" "cannot open database '$4" "it names the database"
  [ ! -e "$WORK/x.json" ] && ok "no package is written" || fail "a package was written"
}

# hostile_names SQL TABLES: SQL in the subject's number and in a table's name is quoted,
# never run: export and scrub --apply of "C-0001' OR '1'='1" find no customer (exit 3) and
# change nothing (TABLES, the caller's function, prints a digest of the tables), and a table
# named 'x"; DROP TABLE customers; --' (made and dropped with SQL, the caller's function
# running one statement with ANSI quotes) is an unclassified table to lint --db.
hostile_names() {
  local before
  expect_status 3 "SQL in --customer (export)" tc_server export --customer "C-0001' OR '1'='1" -o "$WORK/sqli.json"
  [ ! -e "$WORK/sqli.json" ] && ok "no package written" || fail "a package was written for an injected number"
  expect_status 3 "a backslash and a quote in --customer (export)" tc_server export --customer "C-0001\\' OR 1=1 -- " -o "$WORK/sqli.json"
  before=$("$2")
  expect_status 3 "SQL in --customer (scrub --apply)" tc_server scrub --customer "C-0001' OR '1'='1" --apply
  [ "$("$2")" = "$before" ] && ok "nothing changed" || fail "an injected --customer changed rows"
  "$1" 'CREATE TABLE "x""; DROP TABLE customers; --" (id integer)' > /dev/null
  expect_status 1 "a table named with SQL in it (lint --db)" tc_server lint
  expect_match "$WORK/out" 'DROP TABLE customers' "lint names it as an unclassified table"
  [ "$("$1" "SELECT count(*) FROM customers")" -gt 0 ] && ok "customers is still there" || fail "customers was dropped"
  "$1" 'DROP TABLE "x""; DROP TABLE customers; --"' > /dev/null
}

# killed_runs URL DB ROWS: three scrubs of URL killed at random moments after their first
# batches, then a run to the end and one that changes nothing. The function count_old (the
# caller's) counts the call records the scrub removes: the first kill must leave more of
# them than the runs after it. ROWS (the caller's function) prints a line "table key digest"
# per row of DB (database name in the audit log): the log's committed batches must sum per
# table to exactly the rows deleted and changed (tests/e2e/audit_covers.py).
killed_runs() {
  local url="$1" kills=0 round victim left checked batches
  "$3" > "$WORK/rows.before"
  for round in 1 2 3; do
    "$TC" --config "$CFG" --db "$url" scrub --as-of 2026-11-23 --apply --allow-mass-delete --batch-size 500 > /dev/null 2>&1 &
    victim=$!
    wait_batches "$victim"
    sleep "0.$((RANDOM % 3))"
    kill -KILL "$victim" 2> /dev/null && kills=$((kills + 1))
    wait "$victim" 2> /dev/null
    [ "$round" -eq 1 ] && left=$(count_old)
  done
  [ "$kills" -ge 2 ] && ok "$kills of 3 scrubs killed mid-run" || fail "only $kills of 3 scrubs were killed mid-run"
  expect_status 0 "the run after the killed ones" "$TC" --config "$CFG" --db "$url" scrub --as-of 2026-11-23 --apply --allow-mass-delete --batch-size 20000
  expect_status 0 "and one more" "$TC" --config "$CFG" --db "$url" scrub --as-of 2026-11-23 --apply
  expect_match "$WORK/out" "total: 0 rows changed" "after the killed runs the next run finished the job"
  [ "$left" -gt "$(count_old)" ] && ok "the first kill came mid-run: it left $left old call records, the rerun $(count_old) (held)" ||
    fail "the kill came too late: $left old call records left, as many as after the rerun"
  "$3" > "$WORK/rows.after"
  if python3 "$SRC/tests/e2e/audit_covers.py" "$WORK/rows.before" "$WORK/rows.after" "$EX/audit.jsonl" "$2" > "$WORK/covers" 2>&1; then
    read -r checked batches < "$WORK/covers"
    ok "the log's $batches committed batches ($checked settled by a later run) sum per table to exactly the rows deleted and changed"
  else
    fail "the audit log does not cover what changed: $(tail -1 "$WORK/covers")"
  fi
}

# restarted_run URL RESTART: a scrub of URL whose server RESTART (a command) restarts mid-run
# ends with status 4 and a one-line error, and the next run finishes the job.
restarted_run() {
  local victim status
  "$TC" --config "$CFG" --db "$1" scrub --as-of 2026-11-23 --apply --allow-mass-delete --batch-size 2000 > "$WORK/restart.out" 2> "$WORK/restart.err" &
  victim=$!
  wait_batches "$victim"
  "$2"
  wait "$victim"
  status=$?
  if [ "$status" -eq 4 ]; then
    ok "a scrub whose server restarts mid-run ends with status 4"
  else
    fail "a scrub whose server restarts ends with status $status: $(tail -2 "$WORK/restart.err" | tr '\n' ' ')"
  fi
  expect_one_line "$WORK/restart.err" "its error is one line"
  expect_match "$WORK/restart.err" "connection|terminat|shut|gone|lost" "it says the server went away"
  expect_status 0 "the run after the restart" "$TC" --config "$CFG" --db "$1" scrub --as-of 2026-11-23 --apply --allow-mass-delete
  expect_status 0 "and one more" "$TC" --config "$CFG" --db "$1" scrub --as-of 2026-11-23 --apply
  expect_match "$WORK/out" "total: 0 rows changed" "after the restart the next run finished the job"
}

finish() {
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}

# PostgreSQL: pg_start, pg_createdb, pg_url, pg_psql, pg_restart and pg_stop (scripts/pg.sh).
source "$SRC/scripts/pg.sh"
# MariaDB: md_start, md_createdb, md_url, md_sql, md_client, md_restart and md_stop
# (scripts/mariadb.sh).
source "$SRC/scripts/mariadb.sh"
