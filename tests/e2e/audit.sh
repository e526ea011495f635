# The erasure ledger and scrub --replay (an erasure survives a restore from a backup), and the
# audit log's hash chain (audit verify, audit show) on the example operator.
source "$(dirname "$0")/lib.sh"

ASOF=(--as-of 2026-11-23)
export TELCOMPLY_PSEUDONYM_KEY="e2e-pseudonym-key-0123456789abcdef"

copy_example
DB="$EX/voipgrow.db"
LOG="$EX/audit.jsonl"
LEDGER="$EX/audit.erasures.jsonl"
sqlite3 "$DB" < "$EX/voipgrow.sql" || { echo "cannot build the example database"; exit 1; }
tc() { "$TC" --config "$CFG" --db "$DB" "$@"; }
dump() { sqlite3 "$1" .dump | grep -v '^PRAGMA\|^BEGIN\|^COMMIT'; }
# Every row that is not C-0009's (id 9), in every table that links to a customer.
others() {
  sqlite3 "$1" <<'SQL'
SELECT * FROM customers WHERE id <> 9;
SELECT * FROM subscriptions WHERE customer_id <> 9;
SELECT * FROM call_records WHERE subscription_id NOT IN (SELECT id FROM subscriptions WHERE customer_id = 9);
SELECT * FROM invoices WHERE customer_id <> 9;
SELECT * FROM payments WHERE invoice_id NOT IN (SELECT id FROM invoices WHERE customer_id = 9);
SELECT * FROM support_tickets WHERE customer_id <> 9;
SELECT * FROM consents WHERE customer_id <> 9;
SELECT * FROM app_contacts WHERE customer_id <> 9;
SELECT * FROM portal_logins WHERE customer_id <> 9;
SELECT * FROM disputes WHERE customer_id <> 9;
SELECT * FROM credit_checks WHERE customer_id <> 9;
SQL
}

# --- An erasure survives a restore -----------------------------------------------------------
# The retention rules first, so that the backup holds nothing a retention run would change.
expect_status 0 "a retention run" tc scrub "${ASOF[@]}" --apply
[ -f "$LEDGER" ] && [ "$(stat -c %a "$LEDGER")" = 600 ] && ok "the retention run wrote the ledger, mode 0600" ||
  fail "no ledger at $LEDGER, or not mode 0600"
grep -q '"kind":"retention"' "$LEDGER" && ok "the ledger records the retention run" || fail "no retention record in the ledger"
cp "$DB" "$WORK/backup.db"
backup_others=$(others "$WORK/backup.db")
expect_status 0 "erasure of C-0009" tc scrub "${ASOF[@]}" --customer C-0009 --apply
erased=$(dump "$DB")
[ "$(grep -c '"kind":"erasure"' "$LEDGER")" -eq 2 ] && ok "the erasure wrote its ledger records (start and end)" ||
  fail "erasure records in the ledger: $(grep -c '"kind":"erasure"' "$LEDGER")"
found=""
for s in C-0009 kees@hetzwaantje.example +31715123987 Cornelis Blokland "Het Zwaantje"; do
  grep -qF -- "$s" "$LEDGER" && found="$found '$s'"
done
[ -z "$found" ] && ok "the ledger holds no number, email, phone or name of C-0009" || fail "in the ledger:$found"

cp "$WORK/backup.db" "$DB"
[ "$(sqlite3 "$DB" "SELECT email FROM customers WHERE customer_number = 'C-0009'")" = kees@hetzwaantje.example ] &&
  ok "the restored database has C-0009 back" || fail "the backup lacks C-0009"
before=$(sha256sum < "$DB")
expect_status 0 "a replay's dry run" tc scrub "${ASOF[@]}" --replay
expect_match "$WORK/out" "1 subject; 1 found in the database" "the dry run finds C-0009"
expect_equal "the dry run changes nothing" "$before" "$(sha256sum < "$DB")"
lines=$(wc -l < "$LEDGER")
expect_status 0 "a replay" tc scrub "${ASOF[@]}" --replay --apply --format json
python3 - "$WORK/out" <<'PY' && ok "the replay reports the erasure it found and applied" || fail "replay report: $(head -c 600 "$WORK/out")"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["applied"] and d["subjects"] == 1 and d["found"] == 1, d
assert d["erasures"][0]["customer"] == "C-0009" and d["erasures"][0]["changes"] > 0
assert d["retention"]["changes"] == 0
PY
expect_equal "C-0009 is erased again, the same way" "$erased" "$(dump "$DB")"
expect_equal "nothing else changed" "$backup_others" "$(others "$DB")"
expect_equal "a replay adds nothing to the ledger" "$lines" "$(wc -l < "$LEDGER")"
grep '"replay":true' "$LOG" | grep -q '"customer":"C-0009"' && ok "the replay wrote its own audit records" ||
  fail "no replay record in the audit log"
after=$(sha256sum < "$DB")
expect_status 0 "a second replay" tc scrub "${ASOF[@]}" --replay --apply
expect_match "$WORK/out" "1 found in the database, 0 rows changed" "the second replay reports no change"
expect_equal "the second replay changes no byte" "$after" "$(sha256sum < "$DB")"
expect_status 0 "a replay of erasures since tomorrow" tc scrub "${ASOF[@]}" --replay --since 2099-01-01
expect_match "$WORK/out" "0 erasure records since 2099-01-01, 0 subjects" "--since leaves older erasures out"

# The ledger with another key, a hostile one, none.
run env TELCOMPLY_PSEUDONYM_KEY=another-key-0123456789abcdef "$TC" --config "$CFG" --db "$DB" scrub --replay
[ "$STATUS" -eq 2 ] && grep -q "audit.erasures.jsonl:[0-9]*: recorded with another pseudonym key" "$WORK/err" &&
  ok "another pseudonym key cannot match the ledger: exit 2" || fail "another key: exit $STATUS: $(cat "$WORK/err")"
expect_one_line "$WORK/err" "one line"
cp "$LEDGER" "$WORK/ledger.good"
for bad in '{"kind":"erasure",' '{"kind":"erasure","time":"2026-12-01T00:00:00Z","subject":7}' '[]' \
  "$(head -c 1100000 /dev/zero | tr '\0' x)"; do
  cp "$WORK/ledger.good" "$LEDGER"
  printf '%s\n' "$bad" >> "$LEDGER"
  n=$(wc -l < "$LEDGER")
  run tc scrub --replay
  [ "$STATUS" -eq 2 ] && grep -q "^telcomply: error: .*audit.erasures.jsonl:$n: " "$WORK/err" &&
    [ "$(wc -l < "$WORK/err")" -eq 1 ] && ok "a hostile ledger line: exit 2 naming line $n" ||
    fail "hostile ledger line ${bad:0:40}: exit $STATUS: $(head -c 300 "$WORK/err")"
done
cp "$WORK/ledger.good" "$LEDGER"
sed "s|^audit_log: .*|audit_log: $WORK/none/audit.jsonl|" "$CFG" > "$EX/noledger.yaml"
run "$TC" --config "$EX/noledger.yaml" --db "$DB" scrub --replay
[ "$STATUS" -eq 2 ] && grep -q "erasure ledger .* does not exist" "$WORK/err" && ok "a missing ledger: exit 2" ||
  fail "a missing ledger: exit $STATUS: $(cat "$WORK/err")"
expect_status 2 "--since without --replay" tc scrub --since 2026-01-01
expect_status 2 "--replay with --customer" tc scrub --replay --customer C-0009
expect_status 2 "a bad --since" tc scrub --replay --since 2026-02-30

# --- The audit log's hash chain --------------------------------------------------------------
expect_status 0 "an export for the log" tc export --customer C-0001 --ticket REQ-42 -o "$WORK/C-0001.json"
expect_status 0 "the untouched audit log verifies" tc audit verify
expect_match "$WORK/out" "chain intact" "says the chain is intact"
n=$(wc -l < "$LOG")
[ "$n" -ge 6 ] || fail "the audit log has only $n lines"
cp "$LOG" "$WORK/audit.good"
check_broken() {  # WHAT LINE: the changed copy in $WORK/audit.bad breaks at LINE
  run tc audit verify --log "$WORK/audit.bad"
  [ "$STATUS" -eq 1 ] && grep -q "^$WORK/audit.bad:$2: broken link" "$WORK/out" && ok "$1: exit 1 naming line $2" ||
    fail "$1: exit $STATUS: $(cat "$WORK/out" "$WORK/err")"
}
sed '3s/"operator":"[^"]*"/"operator":"mallory"/' "$WORK/audit.good" > "$WORK/audit.bad"
check_broken "an edited line" 4
sed '3d' "$WORK/audit.good" > "$WORK/audit.bad"
check_broken "a deleted line" 3
awk 'NR == 3 { held = $0; next } { print } NR == 4 { print held }' "$WORK/audit.good" > "$WORK/audit.bad"
check_broken "two swapped lines" 3
sed '4p' "$WORK/audit.good" > "$WORK/audit.bad"
check_broken "an inserted (repeated) line" 5
printf 'not json\n' | cat "$WORK/audit.good" - > "$WORK/audit.bad"
check_broken "a line that is no JSON" $((n + 1))
expect_status 2 "a log that is not there" tc audit verify --log "$WORK/no-such.jsonl"
expect_one_line "$WORK/err" "one line"

# The package the export handed out, by its SHA-256.
expect_status 0 "the package is named by its export record" tc audit verify --package "$WORK/C-0001.json"
expect_match "$WORK/out" "is named by $LOG:$n " "names the record's line"
printf ' ' >> "$WORK/C-0001.json"
expect_status 1 "a changed package is named by no record" tc audit verify --package "$WORK/C-0001.json"

# audit show
expect_status 0 "audit show --ticket" tc audit show --ticket REQ-42
expect_match "$WORK/out" "export .*ticket=REQ-42" "shows the export"
[ "$(grep -c 'ticket=' "$WORK/out")" -eq 1 ] && ok "only that ticket" || fail "audit show --ticket: $(cat "$WORK/out")"
expect_match "$WORK/out" "opdracht" "in the configured language (nl)"
expect_status 0 "audit show --command scrub --format json" tc audit show --command scrub --format json --since 2000-01-01
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d and all(r["command"] == "scrub" and r["line"] >= 1 for r in d)' "$WORK/out" &&
  ok "JSON records of scrub with their lines" || fail "audit show --format json"
expect_status 2 "a bad --until" tc audit show --until yesterday
expect_status 2 "audit show of a hostile log" tc audit show --log "$WORK/audit.bad"
expect_one_line "$WORK/err" "one line"

finish
