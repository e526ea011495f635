# telcomply scrub on the example database (as of 2026-11-23) and on a generated one:
# dry run, apply, erasure requests, the guard, kills at random moments, a concurrent writer.
source "$(dirname "$0")/lib.sh"

ASOF=(--as-of 2026-11-23)
export TELCOMPLY_PSEUDONYM_KEY="e2e-pseudonym-key-0123456789abcdef"

copy_example
DB="$EX/voipgrow.db"
sqlite3 "$DB" < "$EX/voipgrow.sql" || { echo "cannot build the example database"; exit 1; }
scrub() { "$TC" --config "$CFG" --db "$DB" scrub "${ASOF[@]}" "$@"; }

# Every row of customer 3 (under a legal hold), in every table that links to it.
c3_rows() {
  sqlite3 "$1" <<'SQL'
SELECT * FROM customers WHERE id = 3;
SELECT * FROM subscriptions WHERE customer_id = 3;
SELECT * FROM call_records WHERE subscription_id IN (SELECT id FROM subscriptions WHERE customer_id = 3);
SELECT * FROM call_recordings WHERE call_record_id IN (SELECT c.id FROM call_records c JOIN subscriptions s ON s.id = c.subscription_id WHERE s.customer_id = 3);
SELECT * FROM invoices WHERE customer_id = 3;
SELECT * FROM payments WHERE invoice_id IN (SELECT id FROM invoices WHERE customer_id = 3);
SELECT * FROM support_tickets WHERE customer_id = 3;
SELECT * FROM consents WHERE customer_id = 3;
SELECT * FROM app_contacts WHERE customer_id = 3;
SELECT * FROM portal_logins WHERE customer_id = 3;
SELECT * FROM disputes WHERE customer_id = 3;
SELECT * FROM credit_checks WHERE customer_id = 3;
SQL
}
# The export of a customer without its generated_at.
export_of() {
  "$TC" --config "$CFG" --db "$DB" export --customer "$1" |
    python3 -c 'import json,sys; d=json.load(sys.stdin); d.pop("generated_at", None); print(json.dumps(d, sort_keys=True))'
}
# The raw bytes of the database and any journal or write-ahead log beside it.
raw_bytes() { cat "$1" "$1-journal" "$1-wal" 2>/dev/null; }
expect_gone() {  # FILE WHAT STRING...
  local file="$1" what="$2"
  shift 2
  local s found=""
  for s in "$@"; do
    if raw_bytes "$file" | grep -aqF -- "$s"; then found="$found '$s'"; fi
  done
  if [ -z "$found" ]; then ok "$what"; else fail "$what: still in the file:$found"; fi
}
q() { sqlite3 "$DB" "$1"; }

C2=(gerrit@bloemenhuis-zwanenburg.example Gerrit Zwanenburg "Heereweg 219b" +31252417733 NL97RABO0311447752)
C4=(thijmen.brouwer@studio-vermeulen.example Thijmen Brouwer-Akkerman "Oudegracht 301" +31302314455)

c3_before=$(c3_rows "$DB")
c3_export_before=$(export_of C-0003)
c4_invoices=$(q "SELECT count(*) FROM invoices WHERE customer_id = 4")
c1_new_calls=$(q "SELECT count(*) FROM call_records WHERE subscription_id IN (SELECT id FROM subscriptions WHERE customer_id = 1) AND started_at >= '2026-05-24'")
c1_old_calls=$(q "SELECT count(*) FROM call_records WHERE subscription_id IN (SELECT id FROM subscriptions WHERE customer_id = 1) AND started_at < '2026-05-24'")
[ "$c1_old_calls" -gt 0 ] && [ "$c1_new_calls" -gt 0 ] || fail "the example has C-0001 calls on both sides of the billing window"

# --- The dry run changes no byte ------------------------------------------------------------
before=$(sha256sum < "$DB")
expect_status 0 "a dry run" scrub
expect_equal "the dry run changes no byte of the database" "$before" "$(sha256sum < "$DB")"
expect_match "$WORK/out" "dry run, nothing changed" "says it is a dry run"
expect_match "$WORK/out" "^rule cdr-billing: delete from call_records" "the plan names each rule and table"
expect_match "$WORK/out" "kept by a hold [0-9]+" "the plan counts rows kept by a hold"
expect_match "$WORK/out" "^total: [1-9][0-9]* rows to change" "the plan has changes"
[ ! -e "$DB-journal" ] && ok "no journal left by the dry run" || fail "a journal after the dry run"
expect_status 0 "a dry run as JSON" scrub --format json
python3 - "$WORK/out" <<'PY' && ok "JSON plan: per rule table, action, rows, held" || fail "JSON plan"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["format"] == "telcomply-scrub/1" and d["applied"] is False and d["as_of"] == "2026-11-23"
rules = {a["rule"]: a for a in d["actions"]}
cdr = rules["cdr-billing"]
assert cdr["table"] == "call_records" and cdr["action"] == "delete" and cdr["rows"] > 0 and cdr["held"] > 0
assert rules["contact-after-closure"]["action"] == "anonymise"
PY
expect_equal "the JSON dry run changes no byte either" "$before" "$(sha256sum < "$DB")"

# --- Apply -----------------------------------------------------------------------------------
expect_status 0 "scrub --apply" scrub --apply --report "$WORK/report.json"
expect_match "$WORK/out" "^total: [1-9][0-9]* rows changed" "reports the changes"
expect_gone "$DB" "C-0002's email, name, address, phone and IBAN are nowhere in the file" "${C2[@]}"
expect_gone "$DB" "C-0004's contact data is nowhere in the file" "${C4[@]}"
expect_equal "C-0004's invoices stay (fiscal)" "$c4_invoices" "$(q "SELECT count(*) FROM invoices WHERE customer_id = 4")"
expect_equal "C-0004's anonymised row stays" "(verwijderd)" "$(q "SELECT contact_last_name FROM customers WHERE id = 4")"
expect_equal "C-0003 (legal hold) is untouched" "$c3_before" "$(c3_rows "$DB")"
expect_equal "C-0003 exports identically but for generated_at" "$c3_export_before" "$(export_of C-0003)"
expect_equal "C-0001's calls before the billing window are gone" 0 \
  "$(q "SELECT count(*) FROM call_records WHERE subscription_id IN (SELECT id FROM subscriptions WHERE customer_id = 1) AND started_at < '2026-05-24'")"
expect_equal "C-0001's calls inside the billing window stay" "$c1_new_calls" \
  "$(q "SELECT count(*) FROM call_records WHERE subscription_id IN (SELECT id FROM subscriptions WHERE customer_id = 1) AND started_at >= '2026-05-24'")"
expect_equal "integrity_check passes" ok "$(q "PRAGMA integrity_check")"
expect_equal "no dangling references" "" "$(q "PRAGMA foreign_key_check")"
[ ! -e "$DB-journal" ] && ok "no journal left behind" || fail "a journal is left behind"
if [ "$(stat -c %a "$WORK/report.json")" = 600 ] && python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["applied"] is True and d["changes"] > 0' "$WORK/report.json"; then
  ok "the JSON report is written, mode 0600"
else
  fail "the JSON report"
fi
if [ -f "$EX/audit.jsonl" ] && python3 -c '
import json, sys
r = [r for r in map(json.loads, open(sys.argv[1])) if r.get("command") == "scrub"][-1]
assert r["command"] == "scrub" and r["as_of"] == "2026-11-23" and r["complete"] is True
assert any(x["rule"] == "cdr-billing" and x["rows"] > 0 for x in r["rules"])
assert "time" in r and "operator" in r' "$EX/audit.jsonl"; then
  ok "an audit record for the applied run"
else
  fail "audit record"
fi
expect_no_match "$EX/audit.jsonl" "gerrit|Zwanenburg|@|\\+31" "the audit record holds no personal data"

after=$(sha256sum < "$DB")
expect_status 0 "a second --apply" scrub --apply
expect_match "$WORK/out" "^total: 0 rows changed" "the second run reports zero changes"
expect_equal "the second run changes no byte" "$after" "$(sha256sum < "$DB")"
expect_status 0 "a dry run after it" scrub
expect_match "$WORK/out" "^total: 0 rows to change" "nothing left to do"

# --- Erasure requests (art. 17) --------------------------------------------------------------
expect_status 0 "erasure of C-0009 (closed 2026-02-28, contact retention not over)" \
  scrub --customer C-0009 --apply --format json
python3 - "$WORK/out" <<'PY' && ok "the erasure report says what was kept and under which rule" || fail "erasure report"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["mode"] == "erasure" and d["customer"] == "C-0009" and d["applied"] is True
inv = [a for a in d["actions"] if a["table"] == "invoices" and a["action"] == "delete"][0]
assert any(k.get("rule") == "invoices-fiscal" and k["rows"] > 0 for k in inv["kept"]), inv
cust = [a for a in d["actions"] if a["table"] == "customers" and a["action"] == "anonymise"][0]
assert cust["rows"] == 1
PY
# (Its invoices keep the billing name and address: the fiscal rule still requires them.)
expect_gone "$DB" "C-0009's contact data is gone" kees@hetzwaantje.example Cornelis Blokland +31715123987
[ "$(q "SELECT count(*) FROM invoices WHERE customer_id = 9")" -gt 0 ] && ok "C-0009's invoices stay" || fail "C-0009's invoices"
before=$(sha256sum < "$DB")
expect_status 0 "erasure of C-0003 under a legal hold" scrub --customer C-0003 --apply
expect_match "$WORK/out" "legal holds: juridische bewaarplicht" "names the hold"
expect_equal "C-0003 is untouched by its erasure request" "$c3_before" "$(c3_rows "$DB")"
expect_status 3 "an unknown customer" scrub --customer C-9999 --apply
expect_one_line "$WORK/err" "one line"

# --- Errors and the guard --------------------------------------------------------------------
expect_status 2 "a bad --as-of" "$TC" --config "$CFG" --db "$DB" scrub --as-of 2026-13-01
expect_status 2 "a bad --format" scrub --format xml
sqlite3 "$EX/fresh.db" < "$EX/voipgrow.sql"
(unset TELCOMPLY_PSEUDONYM_KEY; "$TC" --config "$CFG" --db "$EX/fresh.db" scrub "${ASOF[@]}" --apply > "$WORK/out" 2> "$WORK/err")
[ $? -eq 2 ] && grep -q "TELCOMPLY_PSEUDONYM_KEY" "$WORK/err" && ok "apply without the pseudonym key: exit 2" || fail "apply without key"
mkdir -p "$WORK/guard/policies"
cp "$EX/telcomply.yaml" "$WORK/guard/"
cp "$EX/policies/"*.yaml "$WORK/guard/policies/"
sed -i 's/^mass_delete_limit: .*/mass_delete_limit: 10%/' "$WORK/guard/policies/retention.yaml"
ln -sfn "$SRC/policies" "$WORK/policies"
before=$(sha256sum < "$EX/fresh.db")
expect_status 1 "the guard refuses a plan over mass_delete_limit" \
  "$TC" --config "$WORK/guard/telcomply.yaml" --db "$EX/fresh.db" scrub "${ASOF[@]}" --apply
expect_match "$WORK/out" "^refused: the plan changes [0-9]+ of [0-9]+ rows of call_records" "names the table"
expect_equal "the refused plan changed nothing" "$before" "$(sha256sum < "$EX/fresh.db")"
expect_status 0 "--allow-mass-delete lifts the guard" \
  "$TC" --config "$WORK/guard/telcomply.yaml" --db "$EX/fresh.db" scrub "${ASOF[@]}" --apply --allow-mass-delete

# --- A database in WAL mode: the log is truncated, nothing old stays in it -------------------
sqlite3 "$EX/wal.db" < "$EX/voipgrow.sql"
sqlite3 "$EX/wal.db" "PRAGMA journal_mode = WAL" > /dev/null
expect_status 0 "apply on a WAL database" "$TC" --config "$CFG" --db "$EX/wal.db" scrub "${ASOF[@]}" --apply
expect_gone "$EX/wal.db" "C-0002 is nowhere in the WAL database or its log" "${C2[@]}"
wal_size=$(stat -c %s "$EX/wal.db-wal" 2>/dev/null || echo 0)
expect_equal "the write-ahead log is empty" 0 "$wal_size"

# --- Killed at random moments on a generated database ----------------------------------------
GEN="$WORK/gen.db"
generate_db "$GEN" --customers 1500 --calls 150000 --big-customer-calls 15000
gscrub() { "$TC" --config "$CFG" --db "$1" scrub "${ASOF[@]}" --allow-mass-delete "${@:2}"; }
cp "$GEN" "$WORK/ref.db"
start=$(date +%s%N)
gscrub "$WORK/ref.db" --apply --batch-size 3000 > /dev/null 2>&1 || fail "the reference run"
took_ms=$(( ($(date +%s%N) - start) / 1000000 ))
reference=$(data_dump "$WORK/ref.db")
held=$(held_rows "$GEN")
kills=0
for round in 1 2 3 4 5 6 7 8; do
  cp "$GEN" "$WORK/kill.db"
  rm -f "$WORK/kill.db-journal"
  for attempt in 1 2 3; do
    "$TC" --config "$CFG" --db "$WORK/kill.db" scrub "${ASOF[@]}" --allow-mass-delete --apply \
      --batch-size 3000 > /dev/null 2>&1 &
    pid=$!
    sleep "$(awk -v r="$RANDOM" -v t="$took_ms" 'BEGIN { printf "%.3f", (r % 1000) / 1000 * t / 1000 }')"
    kill -9 "$pid" 2> /dev/null && kills=$((kills + 1))
    wait "$pid" 2> /dev/null
    # Between runs: the file is a consistent database with no half-done record.
    check=$(sqlite3 "$WORK/kill.db" "PRAGMA integrity_check")
    [ "$check" = ok ] || fail "round $round: integrity_check after a kill: $check"
    [ "$(half_done "$WORK/kill.db")" = 0 ] || fail "round $round: a half-anonymised record after a kill"
    [ "$(held_rows "$WORK/kill.db")" = "$held" ] || fail "round $round: held data changed after a kill"
  done
  # A dry run works after a kill too (an interrupted transaction is rolled back first).
  gscrub "$WORK/kill.db" > "$WORK/out" 2>&1 || fail "round $round: a dry run after the kills failed"
  gscrub "$WORK/kill.db" --apply --batch-size 3000 > "$WORK/out" 2>&1 || fail "round $round: the rerun failed"
  [ "$(data_dump "$WORK/kill.db")" = "$reference" ] || fail "round $round: the rerun does not end where an uninterrupted run ends"
  gscrub "$WORK/kill.db" --apply > "$WORK/out" 2>&1
  grep -q "^total: 0 rows changed" "$WORK/out" || fail "round $round: a run after the rerun still changes rows"
  [ "$(sqlite3 "$WORK/kill.db" "PRAGMA integrity_check")" = ok ] || fail "round $round: integrity_check after the rerun"
done
ok "8 rounds, $kills kills at random moments: every rerun ends where an uninterrupted run ends"
raw_bytes "$WORK/kill.db" | grep -aqF "$(sqlite3 "$GEN" "SELECT email FROM customers WHERE closed_on < '2025-01-01' AND legal_hold = 0 AND id NOT IN (SELECT customer_id FROM disputes) LIMIT 1")" &&
  fail "an anonymised email is still in the file after the kills" || ok "anonymised data is gone from the file after the kills"

# --- Another process writes while scrub runs -------------------------------------------------
cp "$GEN" "$WORK/busy.db"
python3 - "$WORK/busy.db" "$WORK/inserted" "$WORK/stop" > "$WORK/writer.log" 2>&1 <<'PY' &
import os, sqlite3, sys, time
db, log, stop = sys.argv[1:4]
con = sqlite3.connect(db, timeout=120, isolation_level=None)
n = 0
with open(log, "w") as out:
    while not os.path.exists(stop) and n < 5000:
        con.execute("BEGIN IMMEDIATE")
        cur = con.execute(
            "INSERT INTO call_records (subscription_id, started_at, duration_s, direction, caller_number,"
            " callee_number, cost_cents) VALUES (1, '2026-11-21T12:00:00', 60, 'outbound', '+31200000001', ?, 6)",
            ("+3161%07d" % n,))
        rowid = cur.lastrowid
        con.execute("COMMIT")
        out.write("%d\n" % rowid)
        out.flush()
        n += 1
        time.sleep(0.002)
PY
writer=$!
# The writer is running (it has committed a row) before scrub starts, however slow the
# machine is to start Python.
for _ in $(seq 300); do [ -s "$WORK/inserted" ] && break; sleep 0.1; done
before_scrub=$(wc -l < "$WORK/inserted")
gscrub "$WORK/busy.db" --apply --batch-size 1000 > "$WORK/out" 2> "$WORK/err"
status=$?
during_scrub=$(( $(wc -l < "$WORK/inserted") - before_scrub ))
touch "$WORK/stop"
wait "$writer"
[ "$status" -eq 0 ] && ok "scrub completes while another process writes" || { fail "scrub with a concurrent writer: exit $status"; cat "$WORK/err"; }
inserted=$(wc -l < "$WORK/inserted")
python3 - "$WORK/busy.db" "$WORK/inserted" <<'PY' && ok "every one of the $inserted rows the other process inserted is there" || fail "rows of the other process were lost"
import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
ids = [int(l) for l in open(sys.argv[2]) if l.strip()]
assert ids, "the writer inserted nothing"
have = {r[0] for r in con.execute("SELECT id FROM call_records WHERE started_at = '2026-11-21T12:00:00'")}
missing = [i for i in ids if i not in have]
assert not missing, missing[:10]
PY
[ "$during_scrub" -gt 0 ] && ok "the other process inserted $during_scrub rows while scrub ran" || fail "no insert happened while scrub ran"
[ "$(sqlite3 "$WORK/busy.db" "PRAGMA integrity_check")" = ok ] && ok "integrity_check after the concurrent run" || fail "integrity after the concurrent run"

# --- A data map naming a column the database lacks: scrub and export refuse it alike -------
sed 's/^      city: .*$/&\n      fax_number: contact/' "$EX/policies/datamap.yaml" > "$EX/policies/datamap-fax.yaml"
sed 's|data_map: policies/datamap.yaml|data_map: policies/datamap-fax.yaml|' "$CFG" > "$EX/fax.yaml"
sqlite3 "$EX/map.db" < "$EX/voipgrow.sql"
before=$(sha256sum < "$EX/map.db")
for request in "" "--customer C-0009"; do
  # shellcheck disable=SC2086
  expect_status 2 "scrub $request --apply with a data map naming a missing column" \
    "$TC" --config "$EX/fax.yaml" --db "$EX/map.db" scrub "${ASOF[@]}" $request --apply
  expect_match "$WORK/err" "datamap-fax.yaml:[0-9]+:[0-9]+: .*customers.fax_number.* not in the database" "names the column and where"
done
expect_status 2 "export with the same data map" "$TC" --config "$EX/fax.yaml" --db "$EX/map.db" export --customer C-0001
expect_equal "the database is unchanged" "$before" "$(sha256sum < "$EX/map.db")"

# --- The audit log: a regular file of the user's own, never a link, a FIFO or a device --------
sqlite3 "$EX/audit-kinds.db" < "$EX/voipgrow.sql"
before=$(sha256sum < "$EX/audit-kinds.db")
printf 'precious\n' > "$WORK/target"
chmod 644 "$WORK/target"
ln -sfn "$WORK/target" "$WORK/link.jsonl"
mkfifo "$WORK/fifo.jsonl"
for kind in link fifo; do
  sed "s|^audit_log: .*|audit_log: $WORK/$kind.jsonl|" "$CFG" > "$EX/audit-$kind.yaml"
  expect_status 2 "scrub --apply with a $kind as audit log" timeout 20 \
    "$TC" --config "$EX/audit-$kind.yaml" --db "$EX/audit-kinds.db" scrub "${ASOF[@]}" --apply
  expect_one_line "$WORK/err" "one line"
  expect_status 2 "export with a $kind as audit log" timeout 20 \
    "$TC" --config "$EX/audit-$kind.yaml" --db "$EX/audit-kinds.db" export --customer C-0001 -o "$WORK/kinds.json"
  [ -e "$WORK/kinds.json" ] && fail "export delivered without an audit record" || ok "nothing delivered"
done
expect_equal "the database is unchanged" "$before" "$(sha256sum < "$EX/audit-kinds.db")"
expect_equal "the link's target is unchanged" "precious 644" "$(cat "$WORK/target") $(stat -c %a "$WORK/target")"
printf '' > "$WORK/open.jsonl"
chmod 644 "$WORK/open.jsonl"
sed "s|^audit_log: .*|audit_log: $WORK/open.jsonl|" "$CFG" > "$EX/audit-open.yaml"
expect_status 0 "scrub --apply with an audit log of mode 0644" \
  "$TC" --config "$EX/audit-open.yaml" --db "$EX/audit-kinds.db" scrub "${ASOF[@]}" --apply
expect_equal "the audit log is made 0600" 600 "$(stat -c %a "$WORK/open.jsonl")"
grep -v '^audit_log:' "$CFG" > "$EX/no-audit.yaml"
expect_status 2 "scrub --apply without an audit log configured" \
  "$TC" --config "$EX/no-audit.yaml" --db "$EX/audit-kinds.db" scrub "${ASOF[@]}" --apply
expect_match "$WORK/err" "names no audit_log" "says why"

# --- A database another process keeps locked: scrub waits --busy-timeout, at open too --------
sqlite3 "$EX/locked.db" < "$EX/voipgrow.sql"
lock_db() {  # lock_db DB SECONDS &: holds an exclusive lock for SECONDS, saying "locked" once held
  exec python3 -c '
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
db.execute("COMMIT")' "$1" "$2" > "$WORK/lock"
}
locked() { for _ in $(seq 100); do grep -q locked "$WORK/lock" 2> /dev/null && return; sleep 0.1; done; }
before=$(sha256sum < "$EX/locked.db")
rm -f "$WORK/lock"
lock_db "$EX/locked.db" 60 &
locker=$!
locked
t0=$(date +%s%N)
expect_status 4 "scrub --apply on a database locked longer than --busy-timeout 1" \
  "$TC" --config "$CFG" --db "$EX/locked.db" scrub "${ASOF[@]}" --apply --busy-timeout 1
waited=$(( ($(date +%s%N) - t0) / 1000000 ))
expect_one_line "$WORK/err" "one line"
expect_match "$WORK/err" "locked by another process" "says the database is locked"
[ "$waited" -ge 900 ] && [ "$waited" -lt 8000 ] && ok "it gave up after about a second ($waited ms)" || fail "it gave up after $waited ms"
kill "$locker" 2> /dev/null
wait "$locker" 2> /dev/null
expect_equal "nothing changed" "$before" "$(sha256sum < "$EX/locked.db")"
rm -f "$WORK/lock"
lock_db "$EX/locked.db" 2 &
locker=$!
locked
expect_status 0 "scrub --apply waits at open for a lock released within --busy-timeout 30" \
  "$TC" --config "$CFG" --db "$EX/locked.db" scrub "${ASOF[@]}" --apply --busy-timeout 30
wait "$locker"
expect_match "$WORK/out" "^total: [1-9][0-9]* rows changed" "and then does its work"

# --- A legal hold placed while an erasure runs is honoured from its commit on ----------------
HOLD="$WORK/hold.db"
generate_db "$HOLD" --customers 60 --calls 61000 --big-customer-calls 60000
sed "s|^audit_log: .*|audit_log: $WORK/hold-audit.jsonl|" "$CFG" > "$EX/hold.yaml"
c1=$(sqlite3 "$HOLD" "SELECT id FROM customers WHERE customer_number = 'C-0001'")
c1_calls=$(sqlite3 "$HOLD" "SELECT count(*) FROM call_records WHERE subscription_id IN (SELECT id FROM subscriptions WHERE customer_id = $c1)")
[ "$c1_calls" -ge 60000 ] || fail "C-0001 has $c1_calls call records, not 60000"
# hold.py DB ID place LOG OUT: another process waits until the erasure has committed its first
# batch of call records (its audit trail says so; other tables may come first), then takes the write lock as soon as the erasure is between
# two transactions, sets the legal hold of customer ID, writes everything of the customer to
# OUT and commits. hold.py DB ID same OUT: everything of the customer is still as in OUT.
cat > "$WORK/hold.py" <<'PY'
import sqlite3, sys, time
db, c, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3]
def rows(con):  # every row of the customer, in every table that links to it (as c3_rows)
    out = []
    for table, where in [
        ("customers", "id = :c"), ("subscriptions", "customer_id = :c"),
        ("call_records", "subscription_id IN (SELECT id FROM subscriptions WHERE customer_id = :c)"),
        ("call_recordings", "call_record_id IN (SELECT c.id FROM call_records c JOIN subscriptions s ON s.id = c.subscription_id WHERE s.customer_id = :c)"),
        ("invoices", "customer_id = :c"), ("payments", "invoice_id IN (SELECT id FROM invoices WHERE customer_id = :c)"),
        ("support_tickets", "customer_id = :c"), ("consents", "customer_id = :c"), ("app_contacts", "customer_id = :c"),
        ("portal_logins", "customer_id = :c"), ("disputes", "customer_id = :c"), ("credit_checks", "customer_id = :c")]:
        out += [repr(r) for r in con.execute("SELECT * FROM %s WHERE %s ORDER BY rowid" % (table, where), {"c": c})]
    return "\n".join(out) + "\n"
if mode == "same":
    now, was = rows(sqlite3.connect(db)), open(sys.argv[4]).read()
    sys.exit(0 if now == was else "%d rows at the hold, %d now" % (was.count("\n"), now.count("\n")))
log, out = sys.argv[4:6]
deadline = time.time() + 300
def committed():
    try:
        return any('"state":"committed"' in line and '"table":"call_records"' in line for line in open(log))
    except FileNotFoundError:
        return False
while not committed():
    if time.time() > deadline:
        sys.exit("the erasure committed no batch")
    time.sleep(0.005)
con = sqlite3.connect(db, timeout=0, isolation_level=None)
while True:
    try:
        con.execute("BEGIN IMMEDIATE")
        break
    except sqlite3.OperationalError:
        if time.time() > deadline:
            sys.exit("the erasure never let go of the database")
con.execute("UPDATE customers SET legal_hold = 1 WHERE id = ?", (c,))
at_hold = rows(con)
con.execute("COMMIT")
open(out, "w").write(at_hold)
PY
python3 "$WORK/hold.py" "$HOLD" "$c1" place "$WORK/hold-audit.jsonl" "$WORK/at-hold" > "$WORK/holder.log" 2>&1 &
holder=$!
"$TC" --config "$EX/hold.yaml" --db "$HOLD" scrub "${ASOF[@]}" --customer C-0001 --apply \
  --batch-size 50 --format json > "$WORK/hold.json" 2> "$WORK/err"
status=$?
wait "$holder" || fail "the process placing the hold: $(cat "$WORK/holder.log")"
[ "$status" -eq 0 ] && ok "the erasure ends with exit 0" || fail "the erasure: exit $status: $(cat "$WORK/err")"
python3 "$WORK/hold.py" "$HOLD" "$c1" same "$WORK/at-hold" > "$WORK/check" 2>&1 &&
  ok "nothing of C-0001 changed after the hold was committed" || fail "C-0001 changed after the hold: $(cat "$WORK/check")"
python3 - "$WORK/hold.json" "$WORK/hold-audit.jsonl" "$c1_calls" <<'PY' && ok "the report and the audit trail name the hold and what it kept" || fail "the report of the stopped erasure"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["applied"] is True, d["applied"]
assert d["holds_placed"] == ["juridische bewaarplicht"], d["holds_placed"]
assert "juridische bewaarplicht" in d["holds"], d["holds"]
assert d["kept_by_placed_holds"] > 0, d["kept_by_placed_holds"]
calls = [a for a in d["actions"] if a["table"] == "call_records" and a["action"] == "delete"][0]
assert 0 < calls["rows"] and calls["held"] > 0, calls
records = [json.loads(l) for l in open(sys.argv[2])]
assert records[-1]["outcome"] == "stopped" and records[-1]["holds_placed"] == ["juridische bewaarplicht"]
deleted = sum(r["deleted"] for r in records if r.get("state") == "committed" and r["table"] == "call_records")
assert deleted == calls["rows"], (deleted, calls["rows"])
PY

finish
