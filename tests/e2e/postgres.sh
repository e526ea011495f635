# telcomply against PostgreSQL: the example operator loaded with psql gives the same export
# package and the same scrub as on SQLite; erased values leave the table files; connection
# strings with passwords, unreachable servers and missing privileges are refused in one line;
# dates in date, timestamp and timestamptz columns keep the same rows as text; SQL in names and
# values is quoted, a locked table ends in exit 4; a scrub killed mid-run, or whose server
# restarts, leaves every record untouched or done, and its audit log says exactly what changed.
source "$(dirname "$0")/lib.sh"
pg_start
copy_example
export TELCOMPLY_PSEUDONYM_KEY=0123456789abcdef0123456789abcdef
LITE=$(example_db)
pg_createdb voipgrow "$SRC/examples/postgresql/voipgrow.sql" || exit 1
URL=$(pg_url voipgrow)
tc_lite() { "$TC" --config "$CFG" --db "$LITE" "$@"; }
tc_pg() { "$TC" --config "$CFG" --db "$URL" "$@"; }
tc_server() { tc_pg "$@"; }
pg() { pg_psql voipgrow "$1"; }

# --- lint and export: the same as on SQLite ----------------------------------------------
expect_status 0 "lint of the example against PostgreSQL" tc_pg lint
expect_no_match "$WORK/out" "call_records_20" "partitions are not unclassified tables"
pg "CREATE TABLE marketing_leads (id int PRIMARY KEY, email text)"
expect_status 1 "lint against PostgreSQL finds a table the data map does not know" tc_pg lint
expect_match "$WORK/out" "marketing_leads" "the unclassified table is named"
pg "DROP TABLE marketing_leads"

same_exports PostgreSQL

# --- typed values: exact numbers, booleans, JSON, arrays, bytes, moments ------------------
pg_createdb typed "$SRC/examples/postgresql/voipgrow.sql" || exit 1
pg_psql typed "ALTER TABLE customers ADD COLUMN balance numeric(30,10), ADD COLUMN vip boolean,
  ADD COLUMN prefs jsonb, ADD COLUMN tags text[], ADD COLUMN scores int[], ADD COLUMN photo bytea,
  ADD COLUMN seen timestamptz, ADD COLUMN born date, ADD COLUMN uid uuid;
  UPDATE customers SET balance = 12345678901234567890.0123456789, vip = true,
  prefs = '{\"sms\": false, \"lang\": \"nl\"}', tags = '{a,\"b c\",NULL}', scores = '{1,2,3}',
  photo = '\\x00ff41', seen = '2026-05-23 12:00:00+02', born = '1980-02-29',
  uid = 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11' WHERE customer_number = 'C-0001'" > /dev/null
typed_values "numeric, boolean, jsonb, arrays, bytea, timestamptz, date and uuid" "$(pg_url typed)" \
  '{"balance": 12345678901234567890.0123456789, "vip": true, "prefs": {"sms": false, "lang": "nl"},
    "tags": ["a", "b c", null], "scores": [1, 2, 3], "photo": "AP9B", "seen": "2026-05-23T10:00:00Z",
    "born": "1980-02-29", "uid": "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"}' \
  balance vip prefs tags scores photo seen born uid

# --- scrub: the same rows as SQLite, and nothing on a second run ---------------------------
erased_email=$(pg "SELECT email FROM customers WHERE customer_number = 'C-0002'")
tc_lite scrub --as-of 2026-11-23 > "$WORK/dry.lite" 2>&1
expect_status 0 "dry run of scrub on PostgreSQL" tc_pg scrub --as-of 2026-11-23
expect_match "$WORK/err" "write-ahead log.*standbys.*backups" "the dry run says what would stay in the WAL, standbys and backups"
if diff <(grep -v warning "$WORK/dry.lite") <(grep -v 'warning\|partitions to drop' "$WORK/out") > /dev/null; then
  ok "the dry run plans the same on both (PostgreSQL adds the partitions that go whole)"
else
  fail "the dry runs differ: $(diff "$WORK/dry.lite" "$WORK/out" | head -4 | tr '\n' ' ')"
fi
expect_match "$WORK/out" "partitions to drop whole: call_records_2017_01, call_records_2017_02," \
  "the dry run names the partitions of call records that go whole"
parts() { pg "SELECT count(*) FROM pg_inherits WHERE inhparent = 'call_records'::regclass"; }
# The partitions past retention that hold a call of a customer under a legal hold: they stay.
held_parts=$(pg "SELECT DISTINCT c.tableoid::regclass FROM call_records c JOIN subscriptions s ON s.id = c.subscription_id
                 JOIN customers u ON u.id = s.customer_id WHERE u.legal_hold = 1 AND c.started_at < '2026-05-01' ORDER BY 1")
pg_has() { [ "$(pg "SELECT count(*) FROM pg_class WHERE relname = '$1'")" = 1 ]; }
applied_scrub PostgreSQL call_records_2017_01 parts pg_has
expect_match "$WORK/err" "write-ahead log" "the run says what stays in the WAL, standbys and backups"
pg_table_rows() { pg_psql voipgrow "\\pset null '<null>'
SELECT * FROM $1 ORDER BY 1"; }
same_tables "after scrub" pg_table_rows "<null>"
expect_status 0 "a second scrub" tc_pg scrub --as-of 2026-11-23 --apply
expect_match "$WORK/out" "total: 0 rows changed" "a second scrub changes nothing"

# A run killed between a partition drop's "prepared" record and its commit: the next run
# settles the batch by the partition, committed when it is gone, rolled back when it is
# still there with its rows (two such records written by hand, as a killed run leaves them).
kept=$(pg "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
  WHERE i.inhparent = 'call_records'::regclass AND pg_get_expr(c.relpartbound, c.oid) <> 'DEFAULT'
  ORDER BY c.relname DESC LIMIT 1")
kept_rows=$(pg "SELECT count(*) FROM $kept")
killed_drops "$kept" "$kept_rows"

# Erased for real: after the run's VACUUM (and a checkpoint writing the pages out) the old
# email is in none of the files of the customers table, its indexes or its TOAST table.
pg "CHECKPOINT" > /dev/null
files=$(pg "SELECT pg_relation_filepath(oid) FROM pg_class WHERE oid = 'customers'::regclass
  OR oid IN (SELECT indexrelid FROM pg_index WHERE indrelid = 'customers'::regclass)
  OR oid = (SELECT reltoastrelid FROM pg_class WHERE oid = 'customers'::regclass)")
found=0
for f in $files; do grep -qF "$erased_email" "$PG_DIR/data/$f" && found=$((found + 1)); done
if [ -n "$erased_email" ] && [ "$found" -eq 0 ]; then
  ok "the erased email is in none of the $(echo $files | wc -w) files of customers"
else
  fail "the erased email '$erased_email' is still in $found file(s) of customers"
fi
# ... and without the VACUUM, it is: the test can fail.
pg_createdb novacuum "$SRC/examples/postgresql/voipgrow.sql" || exit 1
pg_psql novacuum "ALTER TABLE customers SET (autovacuum_enabled = false)" > /dev/null
"$TC" --config "$CFG" --db "$(pg_url novacuum)" scrub --as-of 2026-11-23 --apply --no-vacuum > /dev/null 2> "$WORK/err"
expect_match "$WORK/err" "VACUUM was not run" "--no-vacuum says the old rows stay"
pg_psql novacuum "CHECKPOINT" > /dev/null
f=$(pg_psql novacuum "SELECT pg_relation_filepath('customers')")
if grep -qF "$erased_email" "$PG_DIR/data/$f"; then
  ok "without VACUUM the old email stays in the table file"
else
  fail "without VACUUM the old email is gone too: the check above proves nothing"
fi

# --- connection strings, refusals, privileges ----------------------------------------------
url_refusals "postgresql://postgres:s3cr3t@localhost/voipgrow" "pgpass" \
  "postgresql://postgres@/voipgrow?host=%2Fnonexistent" "postgresql://postgres@/voipgrow"

pg_createdb leastpriv "$SRC/examples/postgresql/voipgrow.sql" || exit 1
pg_psql leastpriv "CREATE ROLE reader LOGIN; GRANT SELECT ON ALL TABLES IN SCHEMA public TO reader;
  CREATE ROLE scrubber LOGIN; GRANT SELECT ON ALL TABLES IN SCHEMA public TO scrubber;
  GRANT DELETE, UPDATE ON ALL TABLES IN SCHEMA public TO scrubber;
  REVOKE DELETE ON portal_logins FROM scrubber" > /dev/null 2>&1 || true
as_role() { echo "$(pg_url leastpriv)" | sed "s|postgresql://postgres@|postgresql://$1@|"; }
expect_status 0 "export needs only SELECT" "$TC" --config "$CFG" --db "$(as_role reader)" \
  export --customer C-0001 -o "$WORK/reader.json"
before=$(pg_psql leastpriv "SELECT count(*) FROM call_records")
expect_status 4 "scrub without DELETE on one table" "$TC" --config "$CFG" --db "$(as_role scrubber)" \
  scrub --as-of 2026-11-23 --apply
expect_one_line "$WORK/err" "the refusal is one line"
expect_match "$WORK/err" "portal_logins.*DELETE" "it names the table and the privilege"
[ "$(pg_psql leastpriv "SELECT count(*) FROM call_records")" = "$before" ] &&
  ok "nothing changed before the refusal" || fail "call records changed before the refusal"
pg_psql leastpriv "GRANT DELETE ON portal_logins TO scrubber" > /dev/null
expect_status 0 "a dry run by a role that does not own call_records" "$TC" --config "$CFG" \
  --db "$(as_role scrubber)" scrub --as-of 2026-11-23
expect_match "$WORK/err" "partitions of call_records were not dropped whole \(the database role does not own table 'call_records'\)" \
  "says that the partitions of call records go row by row, and why"
expect_no_match "$WORK/out" "partitions to drop whole" "and lists no partition to drop"
expect_status 0 "scrub once the privilege is granted" "$TC" --config "$CFG" --db "$(as_role scrubber)" \
  scrub --as-of 2026-11-23 --apply
expect_match "$WORK/err" "VACUUM of [a-z_]+ was skipped: only the table's owner" \
  "a role that does not own the tables is told which it could not vacuum"
expect_match "$WORK/err" "partitions of call_records were not dropped whole \(the database role does not own table 'call_records'\)" \
  "and that it deleted the rows of whole partitions one by one, asking for ownership first"
[ "$(pg_psql leastpriv "SELECT count(*) FROM call_records WHERE started_at < '2023-05-01' AND subscription_id NOT IN (SELECT s.id FROM subscriptions s JOIN customers c ON c.id = s.customer_id WHERE c.legal_hold = 1)")" = 0 ] &&
  ok "the rows of those partitions are deleted all the same" || fail "rows of whole partitions were left"

# --- dates in PostgreSQL's own types, and hostile input ------------------------------------
# The example with its date columns as date, timestamp and timestamptz (read as UTC) keeps the
# same rows through scrub as with ISO 8601 text.
pg_createdb typed "$SRC/examples/postgresql/voipgrow.sql" || exit 1
pg_createdb plain "$SRC/examples/postgresql/voipgrow.sql" || exit 1
pg_psql typed "ALTER TABLE invoices ALTER COLUMN issued_on TYPE date USING CAST(issued_on AS date);
  ALTER TABLE payments ALTER COLUMN paid_on TYPE date USING CAST(paid_on AS date);
  ALTER TABLE customers ALTER COLUMN closed_on TYPE date USING CAST(closed_on AS date);
  ALTER TABLE disputes ALTER COLUMN resolved_on TYPE date USING CAST(resolved_on AS date);
  ALTER TABLE portal_logins ALTER COLUMN logged_in_at TYPE timestamp USING CAST(logged_in_at AS timestamp);
  ALTER TABLE support_tickets ALTER COLUMN closed_at TYPE timestamptz
    USING CAST(closed_at AS timestamp) AT TIME ZONE 'UTC'" > /dev/null
ids() {
  local t
  for t in invoices payments customers disputes portal_logins support_tickets consents app_contacts; do
    echo "$t $(pg_psql "$1" "SELECT count(*), coalesce(sum(id), 0) FROM $t") $(pg_psql "$1" "SELECT md5(string_agg(email, ',' ORDER BY id)) FROM customers")"
  done
}
expect_status 0 "scrub --apply with date, timestamp and timestamptz columns" \
  "$TC" --config "$CFG" --db "$(pg_url typed)" scrub --as-of 2026-11-23 --apply
"$TC" --config "$CFG" --db "$(pg_url plain)" scrub --as-of 2026-11-23 --apply > /dev/null 2>&1
if [ "$(ids typed)" = "$(ids plain)" ] && [ "$(ids plain)" != "$(pg_createdb fresh "$SRC/examples/postgresql/voipgrow.sql"; ids fresh)" ]; then
  ok "typed dates keep the same rows as ISO 8601 text"
else
  fail "typed dates keep other rows than text: $(diff <(ids typed) <(ids plain) | head -2 | tr '\n' ' ')"
fi
# A date that is none: -infinity is refused at its column, before anything changes.
pg_psql typed "UPDATE invoices SET issued_on = '-infinity' WHERE id = (SELECT max(id) FROM invoices)" > /dev/null
before=$(ids typed)
expect_status 2 "scrub --apply with -infinity in a date column" \
  "$TC" --config "$CFG" --db "$(pg_url typed)" scrub --as-of 2026-11-23 --apply
expect_match "$WORK/err" "invoices.issued_on.* not a date" "it names the column whose value is not a date"
[ "$(ids typed)" = "$before" ] && ok "nothing changed" || fail "the refused scrub changed rows"
# SQL in the subject's number and in a table's name: quoted, never run.
pg_voipgrow_ids() { ids voipgrow; }
hostile_names pg pg_voipgrow_ids
# A table another session holds locked: export waits out its busy timeout, then exits 4.
# Debian's python3 (psycopg2 is its python3-psycopg2), whichever python3 comes first in PATH.
/usr/bin/python3 -c '
import psycopg2, sys, time
db = psycopg2.connect(host=sys.argv[1], port=sys.argv[2], user="postgres", dbname="voipgrow")
db.cursor().execute("LOCK TABLE subscriptions IN ACCESS EXCLUSIVE MODE")
print("locked", flush=True)
time.sleep(60)' "$PG_DIR" "$PG_PORT" > "$WORK/locker" 2>&1 &
locker=$!
for _ in $(seq 50); do grep -q locked "$WORK/locker" 2> /dev/null && break; sleep 0.1; done
expect_status 4 "export while another session locks a table" tc_pg export --customer C-0001 -o "$WORK/locked.json"
expect_one_line "$WORK/err" "one line"
expect_match "$WORK/err" "locked|lock timeout" "it says the table is locked"
[ ! -e "$WORK/locked.json" ] && ok "no package written" || fail "a package was written"
kill "$locker" 2> /dev/null
wait "$locker" 2> /dev/null

# --- a killed run and a restarted server: untouched or done, and the next run finishes -----
pg_createdb big "$SRC/examples/postgresql/voipgrow.sql" || exit 1
pg_psql big "INSERT INTO call_records (subscription_id, started_at, duration_s, direction,
  caller_number, callee_number, cost_cents)
  SELECT s.id, to_char(timestamp '2024-01-01' + (g % 300) * interval '1 day', 'YYYY-MM-DD\"T\"HH24:MI:SS'),
    g % 600, 'outbound', coalesce(s.phone_number, '+31201234567'), '+3161234' || lpad((g % 10000)::text, 4, '0'), g % 500
  FROM generate_series(1, 200000) g JOIN subscriptions s ON s.id = 1 + g % 5" > /dev/null
BIG=$(pg_url big)
count_old() { pg_psql big "SELECT count(*) FROM call_records WHERE started_at < '2024-11-01'"; }
# pg_dump_rows: a line "table id digest" per row of every table of big.
pg_dump_rows() {
  local t
  for t in $(pg_psql big "SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace
               AND relkind IN ('r', 'p') AND NOT relispartition ORDER BY 1"); do
    pg_psql big "SELECT '$t', id, md5(CAST(t.* AS text)) FROM $t t" | tr '|' ' '
  done
}
killed_runs "$BIG" big pg_dump_rows

pg_createdb restart "$SRC/examples/postgresql/voipgrow.sql" || exit 1
pg_psql restart "INSERT INTO call_records (subscription_id, started_at, duration_s, direction,
  caller_number, callee_number, cost_cents)
  SELECT 1 + g % 5, to_char(timestamp '2024-01-01' + (g % 300) * interval '1 day', 'YYYY-MM-DD\"T\"HH24:MI:SS'),
    g % 600, 'outbound', '+31201234567', '+31612340000', 0 FROM generate_series(1, 200000) g" > /dev/null
RESTART=$(pg_url restart)
restarted_run "$RESTART" pg_restart


# --- an erasure survives a restore from a backup (the erasure ledger, scrub --replay) -------
pg_createdb replay "$SRC/examples/postgresql/voipgrow.sql" || exit 1
sed "s|^audit_log: .*|audit_log: $WORK/replay.jsonl|" "$CFG" > "$EX/replay.yaml"
tc_replay() { "$TC" --config "$EX/replay.yaml" --db "$(pg_url replay)" scrub --as-of 2026-11-23 "$@"; }
# pg_rows DB: per table its rows and a digest of them.
pg_rows() {
  local t
  for t in customers subscriptions call_records call_recordings invoices payments support_tickets \
    consents app_contacts portal_logins disputes credit_checks; do
    pg_psql "$1" "SELECT '$t', count(*), md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM $t x"
  done
}
expect_status 0 "PostgreSQL: a retention run before the backup" tc_replay --apply
pg_sql postgres -q -c "CREATE DATABASE replay_backup TEMPLATE replay" || fail "cannot copy the database"
expect_status 0 "PostgreSQL: erasure of C-0009" tc_replay --customer C-0009 --apply
erased=$(pg_rows replay)
pg_sql postgres -q -c "DROP DATABASE replay WITH (FORCE)" -c "CREATE DATABASE replay TEMPLATE replay_backup" ||
  fail "cannot restore the database"
[ "$(pg_rows replay)" != "$erased" ] && ok "PostgreSQL: the restore brings C-0009 back" || fail "the restore changed nothing"
expect_status 0 "PostgreSQL: a replay" tc_replay --replay --apply
expect_match "$WORK/out" "1 found in the database" "PostgreSQL: the replay finds C-0009"
expect_equal "PostgreSQL: the replay erases C-0009 again and changes nothing else" "$erased" "$(pg_rows replay)"
expect_status 0 "PostgreSQL: a second replay" tc_replay --replay --apply
expect_match "$WORK/out" "0 rows changed" "PostgreSQL: the second replay changes nothing"
expect_equal "PostgreSQL: every row as after the first" "$erased" "$(pg_rows replay)"

finish
