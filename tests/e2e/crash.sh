# Crash safety: telcomply export killed at random moments, and export and scrub on a disk
# that fills up while they write. No partial file ever remains and no record is half done.
source "$(dirname "$0")/lib.sh"

export TELCOMPLY_PSEUDONYM_KEY="e2e-pseudonym-key-0123456789abcdef"
copy_example
GEN="$WORK/gen.db"
generate_db "$GEN" --customers 400 --calls 60000 --big-customer-calls 30000
tc_export() { "$TC" --config "$CFG" --db "$GEN" export --customer C-0001 "$@"; }
gscrub() { "$TC" --config "$CFG" --db "$1" scrub --as-of 2026-11-23 --allow-mass-delete "${@:2}"; }
records() { python3 -c 'import json, sys; p = json.load(open(sys.argv[1])); print(sum(len(c["records"]) for c in p["data"].values()))' "$1"; }
mounts=()
cleanup() { for m in "${mounts[@]}"; do umount "$m" 2> /dev/null; done; }
trap cleanup EXIT

# --- export killed at random moments ---------------------------------------------------------
OUT="$WORK/out-dir"
mkdir -p "$OUT"
start=$(date +%s%N)
tc_export -o "$WORK/reference.json" > "$WORK/out" 2>&1 || { fail "the reference export: $(cat "$WORK/out")"; finish; exit; }
took_ms=$(( ($(date +%s%N) - start) / 1000000 ))
want=$(records "$WORK/reference.json")
kills=0 complete=0 bad=0
for round in $(seq 1 12); do
  rm -f "$OUT/c1.json"
  tc_export -o "$OUT/c1.json" > /dev/null 2>&1 &
  pid=$!
  sleep "$(awk -v r="$RANDOM" -v t="$took_ms" 'BEGIN { printf "%.3f", (r % 1000) / 1000 * t / 2000 }')"
  kill -9 "$pid" 2> /dev/null && kills=$((kills + 1))
  wait "$pid" 2> /dev/null
  if [ -e "$OUT/c1.json" ]; then
    complete=$((complete + 1))
    [ "$(records "$OUT/c1.json" 2> /dev/null)" = "$want" ] || { bad=$((bad + 1)); fail "round $round: a partial export"; }
  fi
  left=$(find "$OUT" -mindepth 1 ! -name c1.json | wc -l)
  [ "$left" -eq 0 ] || { bad=$((bad + 1)); fail "round $round: $left temporary files left after a kill"; }
done
[ -n "$want" ] && [ "$bad" -eq 0 ] && ok "12 exports of $want records, $kills killed at random moments: no partial or temporary file ($complete finished first)"
# Killed while replacing a file: the old file stays whole until the new one is complete.
echo '{"old": true}' > "$OUT/keep.json"
for round in 1 2 3 4 5; do
  tc_export -o "$OUT/keep.json" --force > /dev/null 2>&1 &
  pid=$!
  sleep "$(awk -v r="$RANDOM" -v t="$took_ms" 'BEGIN { printf "%.3f", (r % 1000) / 1000 * t / 2000 }')"
  kill -9 "$pid" 2> /dev/null
  wait "$pid" 2> /dev/null
  if [ "$(cat "$OUT/keep.json")" != '{"old": true}' ] && [ "$(records "$OUT/keep.json" 2> /dev/null)" != "$want" ]; then
    fail "round $round: a killed --force export left a partial file"
  fi
  echo '{"old": true}' > "$OUT/keep.json"
done
[ "$(find "$OUT" -name '.*' | wc -l)" -eq 0 ] && ok "killed --force exports leave the old file or the whole new one, nothing else" ||
  fail "temporary files left by killed --force exports"

# --- a disk that fills up (small tmpfs; needs root) ------------------------------------------
small_fs() {  # small_fs DIR SIZE: mounts a tmpfs of SIZE at DIR
  mkdir -p "$1"
  [ "$(id -u)" -eq 0 ] && mount -t tmpfs -o "size=$2" tmpfs "$1" 2> /dev/null && mounts+=("$1")
}
size=$(stat -c %s "$WORK/reference.json")
if small_fs "$WORK/full" $((size / 2)); then
  expect_status 4 "export of $size bytes to a disk with room for half of it" tc_export -o "$WORK/full/c1.json"
  expect_one_line "$WORK/err" "one line"
  expect_match "$WORK/err" "disk full|No space left" "says the disk is full"
  [ "$(find "$WORK/full" -mindepth 1 | wc -l)" -eq 0 ] && ok "nothing left on the full disk" || fail "files left on the full disk"
  echo '{"old": true}' > "$WORK/full/keep.json"
  expect_status 4 "export --force over a file on a full disk" tc_export -o "$WORK/full/keep.json" --force
  [ "$(cat "$WORK/full/keep.json")" = '{"old": true}' ] && ok "the file it would replace is unchanged" || fail "the replaced file changed"
  [ "$(find "$WORK/full" -mindepth 1 | wc -l)" -eq 1 ] && ok "no temporary file left" || fail "a temporary file left"
else
  echo "skip: export to a full disk: cannot mount a tmpfs (needs root)"
fi

db_size=$(stat -c %s "$GEN")
cp "$GEN" "$WORK/ref.db"
start=$(date +%s%N)
gscrub "$WORK/ref.db" --apply --batch-size 3000 > "$WORK/out" 2>&1 || { fail "the reference scrub: $(cat "$WORK/out")"; finish; exit; }
scrub_ms=$(( ($(date +%s%N) - start) / 1000000 ))
reference=$(data_dump "$WORK/ref.db")
held=$(held_rows "$GEN")
original=$(data_dump "$GEN")
[ "$reference" != "$original" ] || { fail "the reference scrub changed nothing"; finish; exit; }
if small_fs "$WORK/dbfs" $((db_size + 64 * 1024)); then
  cp "$GEN" "$WORK/dbfs/full.db"
  expect_status 4 "scrub --apply with 64 KiB to spare for its journal" gscrub "$WORK/dbfs/full.db" --apply --batch-size 3000
  expect_one_line "$WORK/err" "one line"
  expect_match "$WORK/err" "full" "says the disk is full"
  [ "$(sqlite3 "$WORK/dbfs/full.db" "PRAGMA integrity_check")" = ok ] && ok "the database is consistent" || fail "integrity_check after a full disk"
  [ "$(half_done "$WORK/dbfs/full.db")" = 0 ] && ok "no half-anonymised record" || fail "a half-anonymised record after a full disk"
  [ "$(held_rows "$WORK/dbfs/full.db")" = "$held" ] && ok "held data unchanged" || fail "held data changed after a full disk"
  now=$(data_dump "$WORK/dbfs/full.db")
  [ "$now" = "$original" ] || [ "$now" != "$reference" ] || fail "the failed scrub claims to have finished"
  mount -o remount,size=$((db_size * 3)) "$WORK/dbfs"
  expect_status 0 "the rerun with room on the disk" gscrub "$WORK/dbfs/full.db" --apply --batch-size 3000
  [ "$(data_dump "$WORK/dbfs/full.db")" = "$reference" ] && ok "the rerun ends where an uninterrupted run ends" ||
    fail "the rerun after a full disk differs from an uninterrupted run"
else
  echo "skip: scrub on a full disk: cannot mount a tmpfs (needs root)"
fi

# --- scrub's audit trail is written ahead: it always covers exactly what changed -------------
# with_audit NAME LOG: the example's configuration with its audit log at LOG.
with_audit() { sed "s|^audit_log: .*|audit_log: $2|" "$CFG" > "$EX/$1.yaml"; echo "$EX/$1.yaml"; }
cp "$GEN" "$WORK/unaudited.db"
sum=$(sha256sum < "$WORK/unaudited.db")
"$TC" --config "$(with_audit lost "$WORK/no-such-folder/audit.jsonl")" --db "$WORK/unaudited.db" \
  scrub --as-of 2026-11-23 --allow-mass-delete --apply > "$WORK/out" 2> "$WORK/err"
status=$?
[ "$status" -eq 4 ] && [ "$(wc -l < "$WORK/err")" -eq 1 ] && grep -q "cannot open audit log" "$WORK/err" &&
  ok "an audit log that cannot be opened: scrub --apply exits 4" || fail "an audit log that cannot be opened: exit $status: $(cat "$WORK/err")"
if small_fs "$WORK/auditfs" 64k; then
  dd if=/dev/zero of="$WORK/auditfs/filler" bs=4k status=none 2> /dev/null
  "$TC" --config "$(with_audit full "$WORK/auditfs/audit.jsonl")" --db "$WORK/unaudited.db" \
    scrub --as-of 2026-11-23 --allow-mass-delete --apply > "$WORK/out" 2> "$WORK/err"
  status=$?
  [ "$status" -eq 4 ] && grep -q "cannot write audit log" "$WORK/err" &&
    ok "an audit log on a full disk: scrub --apply exits 4" || fail "an audit log on a full disk: exit $status: $(cat "$WORK/err")"
  mount -o remount,ro "$WORK/auditfs"
  "$TC" --config "$(with_audit ro "$WORK/auditfs/other.jsonl")" --db "$WORK/unaudited.db" \
    scrub --as-of 2026-11-23 --allow-mass-delete --apply > "$WORK/out" 2> "$WORK/err"
  status=$?
  [ "$status" -eq 4 ] && ok "an audit log on a read-only filesystem: scrub --apply exits 4" || fail "an audit log on a read-only filesystem: exit $status"
else
  echo "skip: an audit log on a full or read-only disk: cannot mount a tmpfs (needs root)"
fi
[ "$(sha256sum < "$WORK/unaudited.db")" = "$sum" ] && ok "without an audit trail nothing changed (sha256)" || fail "scrub changed the database without an audit trail"

# Killed at random moments: the committed batches of the log sum to what changed. A batch
# recorded as prepared when its run was killed is settled by the next run. Rounds on fresh
# copies, each killed up to three times and then run to the end, until 20 kills hit a run.
# A kill comes within the first half of how long a whole run took: later runs of a round have
# less left to do, and the machine may be faster now than when the run was timed.
# audit_covers ORIGINAL DB LOG MODE: per table, rows deleted and rows changed since ORIGINAL,
# against the log's committed batches (each counted once); MODE "exact" wants them equal and
# nothing unsettled, "between" wants the committed batches at most what changed and what
# changed at most the committed and the unsettled batches.
audit_covers() {
  python3 - "$@" <<'PY'
import json, os, sqlite3, sys
original, current, log, mode = sys.argv[1:5]
def rows(db):
    con = sqlite3.connect(db)
    tables = [r[0] for r in con.execute("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    return {t: dict((r[0], r[1:]) for r in con.execute('SELECT rowid, * FROM "%s"' % t)) for t in tables}
a, b = rows(original), rows(current)
changed = {}
for t in a:
    deleted = sum(1 for k in a[t] if k not in b[t])
    modified = sum(1 for k, v in a[t].items() if k in b[t] and b[t][k] != v)
    changed[t] = (deleted, modified)
prepared, settled = {}, {}
for line in open(log) if os.path.exists(log) else []:
    r = json.loads(line)
    if r.get("event") != "batch":
        continue
    key = (r["run"], r["batch"])
    if r["state"] == "prepared":
        prepared[key] = r
    elif key not in settled:
        settled[key] = r
assert all(r["state"] in ("committed", "rolled_back") for r in settled.values()), "a batch settled as unknown"
done, open_ = {}, {}
for key, r in settled.items():
    if r["state"] == "committed":
        d = done.setdefault(r["table"], [0, 0])
        d[0] += r["deleted"]; d[1] += r["anonymised"]
for key, r in prepared.items():
    if key not in settled:
        o = open_.setdefault(r["table"], [0, 0])
        o[0] += r["deleted"]; o[1] += r["anonymised"]
for t, (deleted, modified) in changed.items():
    d, o = done.get(t, [0, 0]), open_.get(t, [0, 0])
    if mode == "exact":
        assert not open_, "unsettled batches: %s" % open_
        assert [deleted, modified] == d, "%s: %d deleted, %d changed; the log: %s" % (t, deleted, modified, d)
    else:
        assert d[0] <= deleted <= d[0] + o[0] and d[1] <= modified <= d[1] + o[1], \
            "%s: %d deleted, %d changed; committed %s, unsettled %s" % (t, deleted, modified, d, o)
committed = [r for r in settled.values() if r["state"] == "committed"]
print(sum(d[0] + d[1] for d in done.values()), len(committed), sum(1 for r in settled.values() if "checked_by" in r))
PY
}
KCFG=$(with_audit kills "$WORK/kills.jsonl")
kills=0 rounds=0 batches=0 settled=0
while [ "$kills" -lt 20 ] && [ "$rounds" -lt 30 ]; do
  rounds=$((rounds + 1))
  cp "$GEN" "$WORK/kills.db"
  rm -f "$WORK/kills.jsonl"
  for attempt in 1 2 3; do
    "$TC" --config "$KCFG" --db "$WORK/kills.db" scrub --as-of 2026-11-23 --allow-mass-delete --apply \
      --batch-size 2000 > /dev/null 2>&1 &
    pid=$!
    sleep "$(awk -v r="$RANDOM" -v t="$scrub_ms" 'BEGIN { printf "%.3f", (r % 1000) / 1000 * t / 2000 }')"
    kill -9 "$pid" 2> /dev/null && kills=$((kills + 1))
    wait "$pid" 2> /dev/null
    audit_covers "$GEN" "$WORK/kills.db" "$WORK/kills.jsonl" between > "$WORK/covers" 2>&1 ||
      fail "round $rounds, kill $attempt: the audit log does not cover what changed: $(tail -1 "$WORK/covers")"
  done
  "$TC" --config "$KCFG" --db "$WORK/kills.db" scrub --as-of 2026-11-23 --allow-mass-delete --apply \
    --batch-size 2000 > "$WORK/out" 2>&1 || fail "round $rounds: the run after the kills: $(cat "$WORK/out")"
  if audit_covers "$GEN" "$WORK/kills.db" "$WORK/kills.jsonl" exact > "$WORK/covers" 2>&1; then
    read -r rows committed checked < "$WORK/covers"
    batches=$((batches + committed)) settled=$((settled + checked))
  else
    fail "round $rounds: the audit log does not sum to what changed: $(tail -1 "$WORK/covers")"
  fi
  [ "$(data_dump "$WORK/kills.db")" = "$reference" ] || fail "round $rounds: the killed runs end elsewhere than an uninterrupted run"
done
[ "$kills" -ge 20 ] && ok "$kills SIGKILLs of scrub --apply in $rounds rounds: after each the log's committed batches never claim more than changed, and at the end of each round they ($batches in all, $settled settled by a later run) sum to exactly the rows that changed" ||
  fail "only $kills kills hit a running scrub"

# --- A damaged database: scrub --apply refuses it before changing anything; export delivers a
# whole package or nothing -------------------------------------------------------------------
page=$(sqlite3 "$GEN" "PRAGMA page_size")
pages=$(sqlite3 "$GEN" "PRAGMA page_count")
damaged=0
failed_stdout=0
for n in 1 2 3 4 5 6; do
  cp "$GEN" "$WORK/damaged.db"
  if [ "$n" -eq 6 ]; then
    what="a copy cut to nine tenths"
    truncate -s $((pages * 9 / 10 * page)) "$WORK/damaged.db"
  else
    p=$((pages * n / 6))
    what="a copy with page $p of $pages overwritten at its start"
    printf '\xa5\xa5\xa5\xa5' | dd of="$WORK/damaged.db" bs=1 seek=$(((p - 1) * page)) conv=notrunc status=none
  fi
  [ "$(sqlite3 "$WORK/damaged.db" "PRAGMA integrity_check" 2>&1 | head -1)" != ok ] || { echo "note: $what passes integrity_check"; continue; }
  damaged=$((damaged + 1))
  sum=$(sha256sum < "$WORK/damaged.db")
  gscrub "$WORK/damaged.db" --apply > "$WORK/out" 2> "$WORK/err"
  status=$?
  [ "$status" -eq 4 ] && [ "$(wc -l < "$WORK/err")" -eq 1 ] || fail "$what: scrub --apply exit $status, expected 4: $(head -3 "$WORK/err")"
  [ "$(sha256sum < "$WORK/damaged.db")" = "$sum" ] || fail "$what: scrub --apply changed it"
  rm -f "$OUT/damaged.json"
  "$TC" --config "$CFG" --db "$WORK/damaged.db" export --customer C-0001 -o "$OUT/damaged.json" > /dev/null 2> "$WORK/err"
  status=$?
  if [ "$status" -eq 0 ]; then
    [ "$(records "$OUT/damaged.json")" = "$want" ] || fail "$what: export delivered a partial package"
  elif [ "$status" -ne 4 ] || [ -e "$OUT/damaged.json" ]; then
    fail "$what: export exit $status, expected 4 and no file, or 0 and the whole package"
  fi
  # The same to standard output, through a pipe: the whole package or not one byte.
  "$TC" --config "$CFG" --db "$WORK/damaged.db" export --customer C-0001 2> "$WORK/err" | cat > "$OUT/piped.json"
  status=${PIPESTATUS[0]}
  if [ "$status" -eq 0 ]; then
    [ "$(records "$OUT/piped.json")" = "$want" ] || fail "$what: export to a pipe delivered a partial package"
  elif [ "$status" -ne 4 ] || [ -s "$OUT/piped.json" ]; then
    fail "$what: export to a pipe: exit $status and $(wc -c < "$OUT/piped.json") bytes, expected 4 and none, or 0 and the whole package"
  else
    failed_stdout=$((failed_stdout + 1))
  fi
done
echo "note: $failed_stdout of $damaged exports to a pipe failed on the damage and wrote nothing"
[ "$damaged" -ge 4 ] && ok "$damaged damaged copies: scrub --apply refuses each (exit 4, unchanged); export delivers the whole package or nothing, to a file and to a pipe" ||
  fail "only $damaged of 6 copies were damaged"

finish
