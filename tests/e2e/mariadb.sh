# telcomply against MariaDB: the example operator loaded with the client gives the same export
# package and the same scrub as on SQLite; erased values leave the table's .ibd file after
# --rebuild; connection strings with passwords, unreachable servers, missing privileges and
# tables that cannot roll back are refused in one line; typed values keep their types and
# typed dates keep the same rows as text; SQL in names and values is quoted, a locked table
# ends in exit 4; a scrub killed mid-run, or whose server restarts, leaves every record
# untouched or done, and its audit log says exactly what changed.
source "$(dirname "$0")/lib.sh"
md_start
copy_example
export TELCOMPLY_PSEUDONYM_KEY=0123456789abcdef0123456789abcdef
LITE=$(example_db)
EXAMPLE="$SRC/examples/mariadb/voipgrow.sql"
md_createdb voipgrow "$EXAMPLE" || exit 1
URL=$(md_url voipgrow)
tc_lite() { "$TC" --config "$CFG" --db "$LITE" "$@"; }
tc_md() { "$TC" --config "$CFG" --db "$URL" "$@"; }
tc_server() { tc_md "$@"; }
md() { md_sql voipgrow "$1"; }
# md_rows DB: per table its rows and a digest of them.
md_rows() {
  local t
  for t in customers subscriptions call_records call_recordings invoices payments support_tickets \
    consents app_contacts portal_logins disputes credit_checks; do
    echo "$t $(md_sql "$1" "SELECT count(*) FROM $t") $(md_sql "$1" "SELECT * FROM $t ORDER BY id" | sha256sum)"
  done
}

# --- lint and export: the same as on SQLite ----------------------------------------------
expect_status 0 "lint of the example against MariaDB" tc_md lint
md "CREATE TABLE marketing_leads (id INT PRIMARY KEY, email TEXT)"
expect_status 1 "lint against MariaDB finds a table the data map does not know" tc_md lint
expect_match "$WORK/out" "marketing_leads" "the unclassified table is named"
md "DROP TABLE marketing_leads"

same_exports MariaDB

# --- typed values: exact numbers, booleans, JSON, sets, bytes, moments ---------------------
md_createdb typed "$EXAMPLE" || exit 1
md_sql typed "ALTER TABLE customers ADD COLUMN balance DECIMAL(30,10), ADD COLUMN vip BOOLEAN,
  ADD COLUMN prefs JSON, ADD COLUMN channels SET('sms','mail','call'), ADD COLUMN tier ENUM('a','b'),
  ADD COLUMN photo BLOB, ADD COLUMN seen TIMESTAMP NULL, ADD COLUMN met DATETIME, ADD COLUMN born DATE,
  ADD COLUMN big BIGINT UNSIGNED, ADD COLUMN note VARCHAR(40) CHARACTER SET latin1;
  UPDATE customers SET balance = 12345678901234567890.0123456789, vip = TRUE,
  prefs = '{\"sms\": false, \"lang\": \"nl\"}', channels = 'sms,call', tier = 'b', photo = x'00ff41',
  seen = '2026-05-23 10:00:00', met = '2026-05-23 12:00:00', born = '1980-02-29',
  big = 18446744073709551615, note = 'Ærø' WHERE customer_number = 'C-0001'" > /dev/null
typed_values "DECIMAL, BOOLEAN, JSON, SET, ENUM, BLOB, TIMESTAMP, DATETIME, DATE, BIGINT UNSIGNED and latin1 text" \
  "$(md_url typed)" \
  '{"balance": 12345678901234567890.0123456789, "vip": true, "prefs": {"sms": false, "lang": "nl"},
    "channels": ["sms", "call"], "tier": "b", "photo": "AP9B", "seen": "2026-05-23T10:00:00Z",
    "met": "2026-05-23T12:00:00", "born": "1980-02-29", "big": 18446744073709551615, "note": "Ærø"}' \
  balance vip prefs channels tier photo seen met born big note

# --- scrub: the same rows as SQLite, and nothing on a second run ---------------------------
erased_email=$(md "SELECT email FROM customers WHERE customer_number = 'C-0002'")
tc_lite scrub --as-of 2026-11-23 > "$WORK/dry.lite" 2>&1
expect_status 0 "dry run of scrub on MariaDB" tc_md scrub --as-of 2026-11-23
expect_match "$WORK/err" "undo logs.*binary log.*replicas.*backups" \
  "the dry run says what would stay in the undo logs, the binary log, replicas and backups"
if diff <(grep -v warning "$WORK/dry.lite") <(grep -v 'warning\|partitions to drop' "$WORK/out") > /dev/null; then
  ok "the dry run plans the same on both (MariaDB adds the partitions that go whole)"
else
  fail "the dry runs differ: $(diff "$WORK/dry.lite" "$WORK/out" | head -4 | tr '\n' ' ')"
fi
expect_match "$WORK/out" "partitions to drop whole: [a-z0-9_]+" "the dry run names the partitions of call records that go whole"
parts() { md "SELECT count(*) FROM information_schema.PARTITIONS WHERE TABLE_SCHEMA = 'voipgrow' AND TABLE_NAME = 'call_records'"; }
# The partitions past retention that hold a call of a customer under a legal hold: they stay.
held_parts=""
for p in $(md "SELECT PARTITION_NAME FROM information_schema.PARTITIONS WHERE TABLE_SCHEMA = 'voipgrow'
             AND TABLE_NAME = 'call_records' AND PARTITION_DESCRIPTION <> 'MAXVALUE'"); do
  [ "$(md "SELECT count(*) FROM call_records PARTITION ($p) c JOIN subscriptions s ON s.id = c.subscription_id
          JOIN customers u ON u.id = s.customer_id WHERE u.legal_hold = 1 AND c.started_at < '2026-05-01'")" -gt 0 ] &&
    held_parts="$held_parts $p"
done
md_has() {
  [ "$(md "SELECT count(*) FROM information_schema.PARTITIONS WHERE TABLE_SCHEMA = 'voipgrow' AND PARTITION_NAME = '$1'")" = 1 ]
}
applied_scrub MariaDB "p[0-9_]+" parts md_has
expect_match "$WORK/err" "not rebuilt" "the run says the table files keep the deleted rows' bytes without --rebuild"
md_table_rows() { md "SELECT * FROM $1 ORDER BY 1" | tr '\t' '|'; }
same_tables "after scrub" md_table_rows NULL
expect_status 0 "a second scrub" tc_md scrub --as-of 2026-11-23 --apply
expect_match "$WORK/out" "total: 0 rows changed" "a second scrub changes nothing"

# An erasure request: the same rows go on both.
for customer in C-0009 C-0002; do
  tc_lite scrub --customer "$customer" --apply > "$WORK/erase.lite" 2>&1
  expect_status 0 "erasure of $customer on MariaDB" tc_md scrub --customer "$customer" --apply
  if diff <(grep -v 'warning\|erased:' "$WORK/erase.lite") <(grep -v 'warning\|erased:' "$WORK/out") > /dev/null; then
    ok "the erasure of $customer reports the same on both"
  else
    fail "the erasures of $customer differ: $(diff "$WORK/erase.lite" "$WORK/out" | head -4 | tr '\n' ' ')"
  fi
done
same_tables "after the erasures" md_table_rows NULL

# A run killed between a partition drop's "prepared" record and its commit: the next run
# settles the batch by the partition, committed when it is gone, rolled back when it is
# still there with its rows (two such records written by hand, as a killed run leaves them).
kept=$(md "SELECT PARTITION_NAME FROM information_schema.PARTITIONS WHERE TABLE_SCHEMA = 'voipgrow'
  AND TABLE_NAME = 'call_records' AND PARTITION_DESCRIPTION <> 'MAXVALUE' ORDER BY PARTITION_ORDINAL_POSITION DESC LIMIT 1")
kept_rows=$(md "SELECT count(*) FROM call_records PARTITION ($kept)")
killed_drops "$kept" "$kept_rows"

# --- erased for real: with --rebuild the old email leaves customers.ibd -----------------
# ibd_holds DB TEXT: whether the table file of customers in DB holds TEXT, once InnoDB has
# written its pages out (FLUSH TABLES ... FOR EXPORT).
ibd_holds() {
  md_client "$1" -e "FLUSH TABLES customers FOR EXPORT; SELECT SLEEP(0); UNLOCK TABLES" > /dev/null
  grep -qaF "$2" "$MD_DIR/data/$1/customers.ibd"
}
md_createdb rebuilt "$EXAMPLE" || exit 1
# The check can fail: the email is in the file before the scrub. (Whether it stays there
# after one without --rebuild depends on InnoDB's purge and page reorganisation.)
ibd_holds rebuilt "$erased_email" && ok "before the scrub the email of C-0002 is in customers.ibd" ||
  fail "the email of C-0002 is not in customers.ibd before the scrub: the check proves nothing"
expect_status 0 "scrub --apply --rebuild" "$TC" --config "$CFG" --db "$(md_url rebuilt)" scrub --as-of 2026-11-23 --apply --rebuild
expect_match "$WORK/out" "erased: ALTER TABLE ... FORCE rebuilt [0-9]+ changed table" "it says it rebuilt the changed tables"
if ibd_holds rebuilt "$erased_email"; then
  fail "after --rebuild the erased email '$erased_email' is still in customers.ibd"
else
  ok "after --rebuild the erased email is not in customers.ibd"
fi

# --- connection strings, refusals, privileges, engines -------------------------------------
url_refusals "mariadb://root:s3cr3t@localhost/voipgrow" "MYSQL_PWD" \
  "mariadb://root@localhost/voipgrow?socket=%2Fnonexistent%2Fmysqld.sock" "mariadb://root@localhost/voipgrow"
expect_status 4 "ssl-mode=REQUIRED with a server that offers no TLS" "$TC" --config "$CFG" --db "$URL&ssl-mode=REQUIRED" lint
expect_one_line "$WORK/err" "the refusal is one line"
expect_match "$WORK/err" "not encrypted, but ssl-mode=REQUIRED" "it says the connection would not be encrypted"
expect_status 2 "an unknown setting in the URL" "$TC" --config "$CFG" --db "$URL&sslmdoe=REQUIRED" lint
expect_match "$WORK/err" "unknown setting 'sslmdoe'" "it names the setting"
# The password from an option file, as the client library reads it.
md_createdb leastpriv "$EXAMPLE" || exit 1
md_sql leastpriv "CREATE USER IF NOT EXISTS reader@localhost IDENTIFIED BY 'r3ader';
  GRANT SELECT ON leastpriv.* TO reader@localhost;
  CREATE USER IF NOT EXISTS scrubber@localhost IDENTIFIED BY 'scr4bber';
  GRANT SELECT, DELETE, UPDATE, CREATE TEMPORARY TABLES ON leastpriv.* TO scrubber@localhost;
  REVOKE DELETE ON leastpriv.* FROM scrubber@localhost;
  GRANT DELETE ON leastpriv.call_records TO scrubber@localhost;
  GRANT DELETE ON leastpriv.customers TO scrubber@localhost" > /dev/null
printf '[client]\npassword=r3ader\n' > "$WORK/reader.cnf"
printf '[telcomply]\npassword=scr4bber\n' > "$WORK/scrubber.cnf"
as_user() { md_url leastpriv | sed "s|mariadb://root@|mariadb://$1@|; s|\$|\\&option-file=$WORK/$1.cnf|"; }
expect_status 0 "export needs only SELECT (the password from an option file)" "$TC" --config "$CFG" \
  --db "$(as_user reader)" export --customer C-0001 -o "$WORK/reader.json"
expect_no_match "$WORK/err" "r3ader" "the password is never shown"
before=$(md_rows leastpriv)
expect_status 4 "scrub without DELETE on most tables" "$TC" --config "$CFG" --db "$(as_user scrubber)" \
  scrub --as-of 2026-11-23 --apply
expect_one_line "$WORK/err" "the refusal is one line"
expect_match "$WORK/err" "in table '[a-z_]+' \(no DELETE privilege\)" "it names the table and the privilege"
[ "$(md_rows leastpriv)" = "$before" ] && ok "nothing changed before the refusal" || fail "rows changed before the refusal"
md_sql leastpriv "GRANT DELETE ON leastpriv.* TO scrubber@localhost" > /dev/null
expect_status 0 "scrub once the privilege is granted" "$TC" --config "$CFG" --db "$(as_user scrubber)" \
  scrub --as-of 2026-11-23 --apply
expect_match "$WORK/err" "partitions of call_records were not dropped whole" \
  "without ALTER and DROP it deletes the rows of whole partitions one by one, and says so"
[ "$(md_sql leastpriv "SELECT count(*) FROM call_records WHERE started_at < '2023-05-01' AND subscription_id NOT IN (SELECT s.id FROM subscriptions s JOIN customers c ON c.id = s.customer_id WHERE c.legal_hold = 1)")" = 0 ] &&
  ok "the rows of those partitions are deleted all the same" || fail "rows of whole partitions were left"
# A table whose engine cannot roll back is refused for --apply before anything changes.
md_createdb myisam "$EXAMPLE" || exit 1
# MyISAM keeps no foreign keys: the table's go first.
for key in $(md_sql myisam "SELECT CONSTRAINT_NAME FROM information_schema.REFERENTIAL_CONSTRAINTS
               WHERE CONSTRAINT_SCHEMA = 'myisam' AND TABLE_NAME = 'portal_logins'"); do
  md_sql myisam "ALTER TABLE portal_logins DROP FOREIGN KEY $key"
done
md_sql myisam "ALTER TABLE portal_logins ENGINE = MyISAM" ||
  fail "cannot make portal_logins a MyISAM table"
before=$(md_rows myisam)
expect_status 4 "scrub --apply with a MyISAM table among the rules' tables" \
  "$TC" --config "$CFG" --db "$(md_url myisam)" scrub --as-of 2026-11-23 --apply
expect_one_line "$WORK/err" "the refusal is one line"
expect_match "$WORK/err" "portal_logins.*MyISAM.*cannot roll" "it names the table and its engine"
[ "$(md_rows myisam)" = "$before" ] && ok "nothing changed" || fail "the refused scrub changed rows"
expect_status 0 "a dry run of the same is fine" "$TC" --config "$CFG" --db "$(md_url myisam)" scrub --as-of 2026-11-23

# --- dates in MariaDB's own types, and hostile input ---------------------------------------
md_createdb typeddates "$EXAMPLE" || exit 1
md_createdb plain "$EXAMPLE" || exit 1
md_sql typeddates "ALTER TABLE invoices MODIFY issued_on DATE NOT NULL;
  ALTER TABLE payments MODIFY paid_on DATE NOT NULL;
  ALTER TABLE customers MODIFY closed_on DATE NULL;
  ALTER TABLE disputes MODIFY resolved_on DATE NULL;
  UPDATE portal_logins SET logged_in_at = replace(replace(logged_in_at, 'T', ' '), 'Z', '');
  ALTER TABLE portal_logins MODIFY logged_in_at DATETIME NOT NULL;
  UPDATE support_tickets SET closed_at = replace(replace(closed_at, 'T', ' '), 'Z', '');
  ALTER TABLE support_tickets MODIFY closed_at TIMESTAMP NULL" > /dev/null ||
  fail "cannot give the date columns MariaDB's date types"
ids() {
  local t
  for t in invoices payments customers disputes portal_logins support_tickets consents app_contacts; do
    echo "$t $(md_sql "$1" "SELECT count(*), coalesce(sum(id), 0) FROM $t") $(md_sql "$1" "SELECT md5(group_concat(email ORDER BY id)) FROM customers")"
  done
}
expect_status 0 "scrub --apply with DATE, DATETIME and TIMESTAMP columns" \
  "$TC" --config "$CFG" --db "$(md_url typeddates)" scrub --as-of 2026-11-23 --apply
"$TC" --config "$CFG" --db "$(md_url plain)" scrub --as-of 2026-11-23 --apply > /dev/null 2>&1
md_createdb fresh "$EXAMPLE" || exit 1
if [ "$(ids typeddates)" = "$(ids plain)" ] && [ "$(ids plain)" != "$(ids fresh)" ]; then
  ok "typed dates keep the same rows as ISO 8601 text"
else
  fail "typed dates keep other rows than text: $(diff <(ids typeddates) <(ids plain) | head -2 | tr '\n' ' ')"
fi
# A date that is none: the zero date is refused at its column, before anything changes.
md_sql typeddates "SET SESSION sql_mode = '';
  UPDATE invoices SET issued_on = '0000-00-00' WHERE id = (SELECT max(id) FROM (SELECT id FROM invoices) i)" > /dev/null
before=$(ids typeddates)
expect_status 2 "scrub --apply with a zero date in a DATE column" \
  "$TC" --config "$CFG" --db "$(md_url typeddates)" scrub --as-of 2026-11-23 --apply
expect_match "$WORK/err" "invoices.issued_on.* not a date" "it names the column whose value is not a date"
[ "$(ids typeddates)" = "$before" ] && ok "nothing changed" || fail "the refused scrub changed rows"
# SQL in the subject's number and in a table's name: quoted, never run.
md_ansi() { md "SET SESSION sql_mode = 'ANSI_QUOTES'; $1"; }
md_voipgrow_ids() { ids voipgrow; }
hostile_names md_ansi md_voipgrow_ids
# A table another session holds locked: export waits out its busy timeout, then exits 4.
{
  echo "LOCK TABLES subscriptions WRITE; SELECT 'locked';"
  sleep 60
} | md_client --batch --skip-column-names voipgrow > "$WORK/locker" 2>&1 &
locker=$!
for _ in $(seq 50); do grep -q locked "$WORK/locker" 2> /dev/null && break; sleep 0.1; done
expect_status 4 "export while another session locks a table" tc_md export --customer C-0001 -o "$WORK/locked.json"
expect_one_line "$WORK/err" "one line"
expect_match "$WORK/err" "locked|lock wait" "it says the table is locked"
[ ! -e "$WORK/locked.json" ] && ok "no package written" || fail "a package was written"
pkill -P "$locker" 2> /dev/null
kill "$locker" 2> /dev/null
wait "$locker" 2> /dev/null

# --- a killed run and a restarted server: untouched or done, and the next run finishes -----
# add_calls DB: 200000 call records of 2024 for the first subscriptions, and one a day for a
# customer under a legal hold, so that their months' partitions stay and the rows go one by one.
add_calls() {
  md_sql "$1" "INSERT INTO call_records (subscription_id, started_at, duration_s, direction,
    caller_number, callee_number, cost_cents)
    SELECT 1 + seq % 5, DATE_FORMAT('2024-01-01' + INTERVAL (seq % 300) DAY, '%Y-%m-%dT%H:%i:%s'),
      seq % 600, 'outbound', '+31201234567', CONCAT('+3161234', LPAD(seq % 10000, 4, '0')), seq % 500
    FROM seq_1_to_200000;
    INSERT INTO call_records (subscription_id, started_at, duration_s, direction, caller_number,
      callee_number, cost_cents)
    SELECT (SELECT min(s.id) FROM subscriptions s JOIN customers c ON c.id = s.customer_id
            WHERE c.legal_hold = 1),
      DATE_FORMAT('2024-01-01' + INTERVAL seq DAY, '%Y-%m-%dT%H:%i:%s'), 60, 'outbound',
      '+31201234567', '+31612340000', 0
    FROM seq_0_to_299" > /dev/null
}
md_createdb big "$EXAMPLE" || exit 1
add_calls big
BIG=$(md_url big)
count_old() { md_sql big "SELECT count(*) FROM call_records WHERE started_at < '2024-11-01'"; }
# md_dump_big: a line "table id digest" per row of every table of big.
md_dump_big() {
  local t
  for t in $(md_sql big "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'big' ORDER BY 1"); do
    md_sql big "SELECT * FROM $t" | python3 -c '
import hashlib, sys
for line in sys.stdin:
    key = line.split("\t", 1)[0]
    print(sys.argv[1], key, hashlib.md5(line.encode()).hexdigest())' "$t"
  done
}
killed_runs "$BIG" big md_dump_big

md_createdb restart "$EXAMPLE" || exit 1
add_calls restart
RESTART=$(md_url restart)
restarted_run "$RESTART" md_restart

finish
