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
  sleep "$(awk -v r="$RANDOM" -v t="$took_ms" 'BEGIN { printf "%.3f", (r % 1000) / 1000 * t / 1000 }')"
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
gscrub "$WORK/ref.db" --apply --batch-size 3000 > "$WORK/out" 2>&1 || { fail "the reference scrub: $(cat "$WORK/out")"; finish; exit; }
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

finish
