# Hostile input across every subcommand: a table of cases, each a command line and the exit
# status the man pages document. Every case also checks: no crash (status >= 128) and no
# sanitizer report; stderr is exactly one line "telcomply: error: ..." (exit 2, 3, 4); no output
# file or ".tmp-" file left behind (-o and --report cases); the database unchanged (export and
# scrub cases, by sha256). A case the binary still gets wrong is marked KNOWN with the reason:
# it is reported, and does not fail the run.
source "$(dirname "$0")/lib.sh"
DB=$(example_db)
H="$WORK/h"
mkdir -p "$H/cwd" "$H/out" "$H/example"
cp -r "$SRC/examples/." "$H/example/"
ln -s "$SRC/policies" "$H/policies"
rm -f "$H/example/audit.jsonl"
EX="$H/example"
CFG="$EX/telcomply.yaml"
COOKIE_POLICY=(--policy "$SRC/policies/cookies-nl.yaml" --policy "$EX/policies/cookies.yaml")
export USER=e2e-operator TELCOMPLY_PSEUDONYM_KEY=0123456789abcdef0123456789abcdef
cd "$H/cwd" || exit 1
pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2> /dev/null; done
  mountpoint -q "$H/ro" 2> /dev/null && umount "$H/ro"
  mountpoint -q "$H/full" 2> /dev/null && umount "$H/full"
}
trap cleanup EXIT

known=0
skipped=0
skip() { skipped=$((skipped + 1)); echo "skip: $*"; }

# hcase NAME WANT [out=FILE] [db=FILE] [known=REASON] [rss=MB] -- CMD...
hcase() {
  local name="$1" want="$2" out="" db="" why="" rss="" before="" problems=() t0 t1
  shift 2
  while [ "$1" != -- ]; do
    case "$1" in
      out=*) out="${1#out=}" ;;
      db=*) db="${1#db=}" ;;
      known=*) why="${1#known=}" ;;
      rss=*) rss="${1#rss=}" ;;
    esac
    shift
  done
  shift
  [ -n "$db" ] && before=$(sha256sum < "$db")
  t0=$(date +%s)
  if [ -n "$rss" ]; then
    /usr/bin/time -v -o "$WORK/time" "$@" > "$WORK/out" 2> "$WORK/err" < /dev/null
  else
    "$@" > "$WORK/out" 2> "$WORK/err" < /dev/null
  fi
  STATUS=$?
  t1=$(date +%s)
  [ "$STATUS" -eq "$want" ] || problems+=("exit $STATUS, expected $want")
  [ "$STATUS" -ge 128 ] && problems+=("killed by a signal or aborted")
  grep -Eq 'AddressSanitizer|LeakSanitizer|runtime error' "$WORK/err" && problems+=("sanitizer report")
  if [ "$want" -ge 2 ]; then
    # A bad option gets the fixed hint "Run 'telcomply --help' for usage." after the message.
    grep -vx "Run 'telcomply --help' for usage." "$WORK/err" > "$WORK/err1"
    [ "$(wc -l < "$WORK/err1")" -eq 1 ] || problems+=("stderr has $(wc -l < "$WORK/err") lines")
    grep -q '^telcomply: error: ' "$WORK/err" || problems+=("stderr does not start with 'telcomply: error:'")
  fi
  if [ "$want" -eq 1 ] && [ ! -s "$WORK/out" ]; then problems+=("no findings on stdout"); fi
  if [ -n "$out" ]; then
    if [ -d "$out" ]; then
      [ -z "$(ls -A "$out")" ] || problems+=("output folder $out was written into")
    elif [ -e "$out" ]; then
      problems+=("output file $out left behind")
    fi
    ls -a "$(dirname "$out")" 2> /dev/null | grep -q '\.tmp-' && problems+=("temporary file left in $(dirname "$out")")
  fi
  if [ -n "$db" ] && [ "$(sha256sum < "$db")" != "$before" ]; then problems+=("database changed"); fi
  if [ -n "$rss" ]; then
    local kb
    kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$WORK/time")
    [ "${kb:-0}" -lt $((rss * 1024)) ] || problems+=("peak RSS ${kb} kB over $rss MB")
    [ $((t1 - t0)) -le 5 ] || problems+=("took $((t1 - t0)) s")
  fi
  if [ ${#problems[@]} -eq 0 ]; then
    [ -n "$why" ] && echo "note: $name is marked known but passes now; remove the mark"
    ok "$name (exit $want)"
  elif [ -n "$why" ]; then
    known=$((known + 1))
    echo "KNOWN: $name: ${problems[*]} ($why)"
  else
    fail "$name: ${problems[*]}"
    sed 's/^/  stdout: /' "$WORK/out" | head -5
    sed 's/^/  stderr: /' "$WORK/err" | head -5
  fi
}

# A configuration like the example's with one entry replaced: cfg NAME KEY VALUE.
cfg() {
  local file="$H/cfg-$1.yaml"
  sed -e "s|^\(  *$2:\).*|\1 $3|" -e "s|^\($2:\).*|\1 $3|" "$CFG" > "$EX/cfg-$1.yaml"
  echo "$EX/cfg-$1.yaml"
}

F="$H/files"
mkdir -p "$F"
# Deterministic garbage: 4096 bytes of SHA-256 counter output.
python3 - "$F/garbage" << 'PY'
import hashlib, sys
out = b"".join(hashlib.sha256(b"telcomply-hostile-%d" % i).digest() for i in range(128))
open(sys.argv[1], "wb").write(out)
PY
: > "$F/empty"
truncate -s 1G "$F/big.yaml"
truncate -s 1G "$F/big.har"
python3 -c 'print("categories: " + "[" * 100000 + "]" * 100000)' > "$F/deep-flow.yaml"
python3 -c '
lines = ["categories:"]
for i in range(2000): lines.append("  " * (i + 1) + "k%d:" % i)
print("\n".join(lines))' > "$F/deep-block.yaml"
# The largest policy file there may be, all '[' (yaml-cpp would read all of it ahead).
python3 -c 'import sys; sys.stdout.write("[" * (16 * 1024 * 1024))' > "$F/deep-flow-16m.yaml"
# Billion laughs: ten levels of nine aliases each, 9^10 strings if anything expanded them, in a
# data map and in a registry, under keys the loaders know.
python3 - "$F" << 'PY'
import sys
items = ['&a [lol,lol,lol,lol,lol,lol,lol,lol,lol]']
for i in range(1, 10):
    p, c = chr(ord("a") + i - 1), chr(ord("a") + i)
    items.append("&%s [%s]" % (c, ",".join(["*" + p] * 9)))
laughs = "[" + ", ".join(items) + "]"
open(sys.argv[1] + "/bomb-datamap.yaml", "w").write(
    "categories:\n  account:\n    name: A\n    purposes: %s\n    description: *j\n" % laughs)
open(sys.argv[1] + "/bomb-registry.yaml", "w").write(
    "notice_period: 30 days\nsubprocessors:\n  x:\n    legal_name: X\n"
    "    data_subjects: %s\n    categories: *j\n" % laughs)
PY
# Wrong types, unknown keys, invalid dates and invalid UTF-8, each in a copy of a real policy.
sed 's/^  - name: cdr-billing$/  - name: [cdr, billing]/' "$EX/policies/retention.yaml" > "$F/wrong-type-retention.yaml"
sed 's/^    keep: billing-dispute$/    keep: 12/; 0,/keep: 12/!s/keep: 12/keep: billing-dispute/' \
  "$EX/policies/retention.yaml" > "$F/wrong-keep.yaml"
sed 's/^categories:$/categories: "all of them"/' "$EX/policies/datamap.yaml" > "$F/wrong-type-datamap.yaml"
sed 's/^    role: controller$/    rol: controller/' "$EX/policies/datamap.yaml" > "$F/unknown-key-datamap.yaml"
sed 's/^notice_period: 30 days$/notice_period: 30 days\nnotice_perod: 14 days/' "$EX/policies/subprocessors.yaml" > "$F/unknown-key-sub.yaml"
sed '0,/^    effective: 2019-01-15$/s//    effective: 2026-02-30/' "$EX/policies/subprocessors.yaml" > "$F/bad-date-sub.yaml"
printf 'name: caf\xc3\x28 \xff\xfe\n' > "$F/bad-utf8-fragment"
sed "s/^    name: Klantgegevens$/    name: Klant$(printf '\xff\xfe')gegevens/" "$EX/policies/datamap.yaml" > "$F/bad-utf8-datamap.yaml"
printf 'name,domain,path,expires\n_ga\xff\xfe,.voipgrid.nl,/,session\n' > "$F/bad-utf8.csv"
# A data map naming a table whose name is an SQL injection attempt.
sed 's/^  customers:$/  '"'"'x"; DROP TABLE customers; --'"'"':/' "$EX/policies/datamap.yaml" > "$EX/policies/sqli-datamap.yaml"
CFG_SQLI=$(cfg sqli data_map policies/sqli-datamap.yaml)
# A second database file for the cases that may write, the example kept pristine.
cp "$DB" "$H/work.db"
WDB="$H/work.db"

# ---- empty files: each policy kind, the configuration, each inventory format
for kind in data_map retention cookies subprocessors transfers; do
  cp "$F/empty" "$EX/policies/empty-$kind.yaml"
  hcase "empty $kind policy" 2 -- "$TC" --config "$(cfg "empty-$kind" "$kind" "policies/empty-$kind.yaml")" lint
done
hcase "empty configuration" 2 -- "$TC" --config "$F/empty" lint
for fmt in har edps netscape playwright csv scan auto; do
  hcase "empty $fmt inventory" 2 -- "$TC" cookies check "${COOKIE_POLICY[@]}" --input-format "$fmt" "$F/empty"
done
hcase "empty registry (subprocessors list)" 2 -- "$TC" subprocessors list "$F/empty"
# SQLite takes an empty file for an empty database: the data map does not fit it.
hcase "empty database file (export)" 2 out="$H/out/e.json" -- \
  "$TC" --config "$CFG" --db "$F/empty" export --customer C-0001 -o "$H/out/e.json"

# ---- binary garbage
hcase "garbage policy (lint)" 2 -- "$TC" lint "$F/garbage"
hcase "garbage configuration" 2 -- "$TC" --config "$F/garbage" lint
hcase "garbage inventory" 2 -- "$TC" cookies check "${COOKIE_POLICY[@]}" "$F/garbage"
hcase "garbage HAR" 2 -- "$TC" cookies check "${COOKIE_POLICY[@]}" --input-format har "$F/garbage"
hcase "garbage registry (subprocessors check)" 2 -- "$TC" subprocessors check "$F/garbage"
hcase "garbage database (export)" 4 -- "$TC" --config "$CFG" --db "$F/garbage" export --customer C-0001
hcase "garbage database (scrub --apply)" 4 db="$F/garbage" -- "$TC" --config "$CFG" --db "$F/garbage" scrub --apply

# ---- a 1 GB file: refused quickly, never read into memory
hcase "1 GB policy" 2 rss=200 -- "$TC" lint "$F/big.yaml"
hcase "1 GB configuration" 2 rss=200 -- "$TC" --config "$F/big.yaml" lint
hcase "1 GB inventory" 2 rss=200 -- "$TC" cookies check "${COOKIE_POLICY[@]}" "$F/big.har"
hcase "1 GB registry (subprocessors diff)" 2 rss=200 -- "$TC" subprocessors diff "$EX/policies/subprocessors.yaml" "$F/big.yaml"

# ---- deeply nested YAML, alias bombs
hcase "deeply nested flow YAML" 2 -- "$TC" lint "$F/deep-flow.yaml"
hcase "deeply nested block YAML" 2 -- "$TC" lint "$F/deep-block.yaml"
hcase "16 MiB of nested flow YAML" 2 rss=200 -- "$TC" lint "$F/deep-flow-16m.yaml"
hcase "alias bomb (lint)" 2 rss=200 -- "$TC" lint "$F/bomb-datamap.yaml"
hcase "alias bomb (subprocessors check)" 2 rss=200 -- "$TC" subprocessors check "$F/bomb-registry.yaml"

# ---- wrong types, unknown keys
hcase "wrong type: rule name a list" 2 -- "$TC" lint "$F/wrong-type-retention.yaml"
hcase "wrong type: keep a number" 2 -- "$TC" lint "$F/wrong-keep.yaml"
hcase "wrong type: categories a string" 2 -- "$TC" lint "$F/wrong-type-datamap.yaml"
hcase "unknown key in a data map" 2 -- "$TC" lint "$F/unknown-key-datamap.yaml"
hcase "unknown key in a registry" 2 -- "$TC" subprocessors check "$F/unknown-key-sub.yaml"
hcase "wrong type: --batch-size text" 2 db="$WDB" -- "$TC" --config "$CFG" --db "$WDB" scrub --batch-size many
hcase "wrong type: --max-pages negative" 2 -- "$TC" cookies scan --max-pages -3 http://127.0.0.1:9/

# ---- invalid UTF-8
hcase "invalid UTF-8 in a policy" 2 -- "$TC" lint "$F/bad-utf8-datamap.yaml"
# A cookie name with invalid UTF-8 is an undeclared cookie like any other; the JSON stays valid.
hcase "invalid UTF-8 in a CSV inventory" 1 -- "$TC" cookies check "${COOKIE_POLICY[@]}" --format json --input-format csv "$F/bad-utf8.csv"
if python3 -c 'import json, sys; json.load(open(sys.argv[1], encoding="utf-8"))' "$WORK/out" 2> /dev/null; then
  ok "findings with an invalid UTF-8 name are valid JSON"
else
  fail "findings with an invalid UTF-8 name are not valid JSON"
fi
hcase "invalid UTF-8 in --customer" 2 db="$DB" -- "$TC" --config "$CFG" --db "$DB" export --customer "$(printf 'C-\xff\xfe')"

# ---- impossible dates
hcase "2026-02-30 in a registry" 2 -- "$TC" subprocessors check "$F/bad-date-sub.yaml"
hcase "2026-02-30 as --as-of" 2 db="$WDB" -- "$TC" --config "$CFG" --db "$WDB" scrub --as-of 2026-02-30 --apply
hcase "2026-02-30 as subprocessors --date" 2 -- "$TC" subprocessors list --date 2026-02-30 "$EX/policies/subprocessors.yaml"
hcase "2026-02-30 as --captured-at" 2 -- "$TC" cookies check "${COOKIE_POLICY[@]}" \
  --captured-at 2026-02-30T09:00:00Z --input-format csv "$F/bad-utf8.csv"

# ---- SQL metacharacters in identifiers and in values
hcase "SQL in a table name (export)" 2 db="$DB" -- "$TC" --config "$CFG_SQLI" --db "$DB" export --customer C-0001
hcase "SQL in a table name (scrub --apply)" 2 db="$WDB" -- "$TC" --config "$CFG_SQLI" --db "$WDB" scrub --apply --as-of 2026-11-23
hcase "SQL in a table name (lint --db)" 1 db="$DB" -- "$TC" --config "$CFG_SQLI" lint --db "$DB"
hcase "SQL in --customer (export)" 3 db="$DB" out="$H/out/sqli.json" -- \
  "$TC" --config "$CFG" --db "$DB" export --customer "C-0001' OR '1'='1" -o "$H/out/sqli.json"
hcase "SQL in --customer (scrub --apply)" 3 db="$WDB" -- \
  "$TC" --config "$CFG" --db "$WDB" scrub --customer "C-0001' OR '1'='1" --apply
hcase "SQL in --email (export)" 3 db="$DB" -- "$TC" --config "$CFG" --db "$DB" export --email "x'or'1'='1@example.nl"
hcase "SQL and spaces in --email (export)" 2 db="$DB" -- "$TC" --config "$CFG" --db "$DB" export --email "x' OR 1=1 --@example.nl"
hcase "SQL in --kvk (export)" 2 db="$DB" -- "$TC" --config "$CFG" --db "$DB" export --kvk "1; DROP TABLE x"
hcase "option injection in --git" 2 -- "$TC" subprocessors diff --git=--output="$H/out/git" "$EX/policies/subprocessors.yaml"
hcase "shell metacharacters in --git" 2 out="$H/out/pwned" -- \
  "$TC" subprocessors diff --git "HEAD;touch $H/out/pwned" "$EX/policies/subprocessors.yaml"

# ---- a directory where a file is expected
mkdir -p "$H/adir" "$H/out/target-dir"
hcase "directory as configuration" 2 -- "$TC" --config "$H/adir" lint
hcase "directory as policy" 2 -- "$TC" lint "$H/adir"
hcase "directory as inventory" 2 -- "$TC" cookies check "${COOKIE_POLICY[@]}" "$H/adir"
hcase "directory as database" 2 -- "$TC" --config "$CFG" --db "$H/adir" export --customer C-0001
hcase "directory as -o target (export)" 2 db="$DB" out="$H/out/target-dir" -- \
  "$TC" --config "$CFG" --db "$DB" export --customer C-0001 -o "$H/out/target-dir"
hcase "directory as -o target with --force" 2 db="$DB" out="$H/out/target-dir" -- \
  "$TC" --config "$CFG" --db "$DB" export --customer C-0001 --force -o "$H/out/target-dir"
hcase "directory as --report target (scrub)" 2 db="$WDB" out="$H/out/target-dir" -- \
  "$TC" --config "$CFG" --db "$WDB" scrub --as-of 2026-11-23 --report "$H/out/target-dir"
hcase "missing folder for -o (cookies table)" 4 out="$H/out/nowhere/t.md" -- \
  "$TC" cookies table "${COOKIE_POLICY[@]}" -o "$H/out/nowhere/t.md"

# ---- no read permission (as root permissions do not apply: drop to nobody when possible)
cp "$EX/policies/datamap.yaml" "$H/unreadable.yaml"
chmod 000 "$H/unreadable.yaml"
AS=()
if [ "$(id -u)" -eq 0 ]; then
  if command -v setpriv > /dev/null && setpriv --reuid=65534 --regid=65534 --clear-groups true 2> /dev/null; then
    AS=(setpriv --reuid=65534 --regid=65534 --clear-groups)
    chmod 755 "$WORK" "$H" "$H/cwd" "$EX" "$EX/policies" && chmod a+r "$EX"/policies/* "$CFG"
    chmod a+rx "$(dirname "$TC")" 2> /dev/null
  fi
fi
if [ "$(id -u)" -ne 0 ] || [ ${#AS[@]} -gt 0 ]; then
  hcase "unreadable policy" 2 -- "${AS[@]}" "$TC" lint "$H/unreadable.yaml"
  hcase "unreadable configuration" 2 -- "${AS[@]}" "$TC" --config "$H/unreadable.yaml" lint
  hcase "unreadable inventory" 2 -- "${AS[@]}" "$TC" cookies check "${COOKIE_POLICY[@]}" "$H/unreadable.yaml"
else
  skip "no read permission: running as root and cannot drop privileges"
fi

# ---- a locked database: another process holds an exclusive lock
cp "$DB" "$H/locked.db"
python3 -c '
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN EXCLUSIVE")
db.execute("SELECT 1")
print("locked", flush=True)
time.sleep(60)' "$H/locked.db" > "$H/lock-held" &
pids+=($!)
for _ in $(seq 50); do grep -q locked "$H/lock-held" 2> /dev/null && break; sleep 0.1; done
hcase "locked database (export)" 4 out="$H/out/locked.json" -- \
  "$TC" --config "$CFG" --db "$H/locked.db" export --customer C-0001 -o "$H/out/locked.json"
# A dry run reads with the same 10 s busy timeout. (scrub --apply retries for two minutes by
# design, too long for this table; tests/e2e/scrub.sh runs it beside a concurrent writer.)
hcase "locked database (scrub dry run)" 4 db="$H/locked.db" out="$H/out/locked-report.json" -- \
  "$TC" --config "$CFG" --db "$H/locked.db" scrub --as-of 2026-11-23 --report "$H/out/locked-report.json"
kill "${pids[-1]}" 2> /dev/null
wait "${pids[-1]}" 2> /dev/null

# ---- a corrupt database: a copy with its header overwritten, one truncated
cp "$DB" "$H/corrupt.db"
printf 'this is no longer sqlite' | dd of="$H/corrupt.db" conv=notrunc status=none
cp "$DB" "$H/truncated.db"
truncate -s 5000 "$H/truncated.db"
hcase "corrupt header (export)" 4 db="$H/corrupt.db" -- "$TC" --config "$CFG" --db "$H/corrupt.db" export --customer C-0001
hcase "corrupt header (scrub --apply)" 4 db="$H/corrupt.db" -- "$TC" --config "$CFG" --db "$H/corrupt.db" scrub --apply --as-of 2026-11-23
hcase "corrupt header (lint --db)" 4 -- "$TC" --config "$CFG" lint --db "$H/corrupt.db"
hcase "truncated database (export)" 4 db="$H/truncated.db" -- "$TC" --config "$CFG" --db "$H/truncated.db" export --customer C-0001
hcase "truncated database (scrub --apply)" 4 db="$H/truncated.db" -- "$TC" --config "$CFG" --db "$H/truncated.db" scrub --apply --as-of 2026-11-23

# ---- export targets on a read-only and on a full filesystem
mkdir -p "$H/ro" "$H/full"
if [ "$(id -u)" -eq 0 ] && mount -t tmpfs -o size=64k,mode=755 tmpfs "$H/ro" 2> /dev/null; then
  mount -o remount,ro "$H/ro"
  hcase "export to a read-only filesystem" 4 db="$DB" out="$H/ro/c1.json" -- \
    "$TC" --config "$CFG" --db "$DB" export --customer C-0001 -o "$H/ro/c1.json"
  hcase "cookies table to a read-only filesystem" 4 out="$H/ro/t.md" -- \
    "$TC" cookies table "${COOKIE_POLICY[@]}" -o "$H/ro/t.md"
else
  skip "read-only filesystem: cannot mount a tmpfs"
fi
if [ "$(id -u)" -eq 0 ] && mount -t tmpfs -o size=64k tmpfs "$H/full" 2> /dev/null; then
  mkdir "$H/full/out"
  dd if=/dev/zero of="$H/full/filler" bs=4k status=none 2> /dev/null
  hcase "export to a full filesystem" 4 db="$DB" out="$H/full/out/c1.json" -- \
    "$TC" --config "$CFG" --db "$DB" export --customer C-0001 -o "$H/full/out/c1.json"
  hcase "subprocessors list to a full filesystem" 4 out="$H/full/out/list.html" -- \
    "$TC" subprocessors list --format html --all -o "$H/full/out/list.html" "$EX/policies/subprocessors.yaml"
else
  skip "full filesystem: cannot mount a tmpfs"
fi

# ---- scan targets on 127.0.0.1: silent, endless, redirecting to other protocols
python3 - "$H/ports" << 'PY' &
import socket, sys, threading, time
def serve(handler):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(8)
    def loop():
        while True:
            c, _ = s.accept()
            threading.Thread(target=handler, args=(c,), daemon=True).start()
    threading.Thread(target=loop, daemon=True).start()
    return s.getsockname()[1]
def silent(c):
    time.sleep(60)
def endless(c):
    c.recv(65536)
    try:
        c.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nSet-Cookie: a=1\r\n\r\n")
        chunk = b"<p>" + b"x" * 65533
        while True: c.sendall(chunk)
    except OSError:
        pass
def redirect(target):
    def h(c):
        c.recv(65536)
        c.sendall(b"HTTP/1.1 302 Found\r\nLocation: " + target + b"\r\nContent-Length: 0\r\n\r\n")
        c.close()
    return h
ports = [serve(silent), serve(endless), serve(redirect(b"file:///etc/passwd")),
         serve(redirect(b"gopher://127.0.0.1:70/1")), serve(redirect(b"ftp://127.0.0.1/x"))]
open(sys.argv[1] + ".tmp", "w").write(" ".join(map(str, ports)))
import os; os.rename(sys.argv[1] + ".tmp", sys.argv[1])
time.sleep(90)
PY
pids+=($!)
for _ in $(seq 50); do [ -f "$H/ports" ] && break; sleep 0.1; done
read -r P_SILENT P_ENDLESS P_FILE P_GOPHER P_FTP < "$H/ports"
hcase "scan target that never answers" 4 out="$H/out/silent.json" -- \
  timeout 20 "$TC" cookies scan --timeout 2 -o "$H/out/silent.json" "http://127.0.0.1:$P_SILENT/?token=s3cr3t-t0ken"
expect_no_match "$WORK/err" 's3cr3t' "the error leaves out the URL's query (it may carry a token)"
hcase "scan target with endless data" 0 rss=200 -- \
  timeout 20 "$TC" cookies scan --timeout 10 --max-body 100000 "http://127.0.0.1:$P_ENDLESS/"
if grep -q '"truncated": *true' "$WORK/out"; then ok "endless page marked truncated"; else fail "endless page not marked truncated"; fi
hcase "redirect to file://" 4 -- timeout 20 "$TC" cookies scan --timeout 2 "http://127.0.0.1:$P_FILE/"
expect_no_match "$WORK/err" 'root:' "no file content in the message"
hcase "redirect to gopher://" 4 -- timeout 20 "$TC" cookies scan --timeout 2 "http://127.0.0.1:$P_GOPHER/"
hcase "redirect to ftp://" 4 -- timeout 20 "$TC" cookies scan --timeout 2 "http://127.0.0.1:$P_FTP/"
hcase "scan of a file:// URL" 2 -- "$TC" cookies scan file:///etc/passwd
hcase "scan of a gopher:// URL" 2 -- "$TC" cookies scan gopher://127.0.0.1:70/

# ---- standard output that fails: full, closed, or a reader that goes away (exit 4)
to_full() { "$@" > /dev/full; }
closed_stdout() { "$@" >&-; }
hcase "--help to a full stdout" 4 -- to_full "$TC" --help
hcase "--version to a full stdout" 4 -- to_full "$TC" --version
hcase "lint to a full stdout" 4 -- to_full "$TC" --config "$CFG" lint
hcase "lint --db to a full stdout" 4 -- to_full "$TC" --config "$CFG" lint --db "$DB"
hcase "cookies check (findings) to a full stdout" 4 -- \
  to_full "$TC" cookies check "${COOKIE_POLICY[@]}" --format json --input-format csv "$F/bad-utf8.csv"
hcase "cookies table to a full stdout" 4 -- to_full "$TC" cookies table "${COOKIE_POLICY[@]}"
hcase "cookies scan to a full stdout" 4 -- \
  to_full timeout 20 "$TC" cookies scan --timeout 5 --max-body 1000 "http://127.0.0.1:$P_ENDLESS/"
hcase "subprocessors list to a full stdout" 4 -- to_full "$TC" --config "$CFG" subprocessors list
hcase "subprocessors check to a full stdout" 4 -- to_full "$TC" --config "$CFG" subprocessors check
hcase "subprocessors diff to a full stdout" 4 -- \
  to_full "$TC" subprocessors diff "$EX/policies/subprocessors.yaml" "$EX/policies/subprocessors.yaml"
hcase "scrub dry run to a full stdout" 4 db="$WDB" -- to_full "$TC" --config "$CFG" --db "$WDB" scrub --as-of 2026-11-23
hcase "scrub --format json to a full stdout" 4 db="$WDB" -- \
  to_full "$TC" --config "$CFG" --db "$WDB" scrub --as-of 2026-11-23 --format json
cp "$DB" "$H/applied.db"
hcase "scrub --apply to a full stdout" 4 -- \
  to_full "$TC" --config "$CFG" --db "$H/applied.db" scrub --customer C-0004 --apply
hcase "export to a full stdout" 4 db="$DB" -- to_full "$TC" --config "$CFG" --db "$DB" export --customer C-0001
hcase "lint with stdout closed" 4 -- closed_stdout "$TC" --config "$CFG" lint
hcase "export with stdout closed" 4 db="$DB" -- closed_stdout "$TC" --config "$CFG" --db "$DB" export --customer C-0001
# A reader that stops after 2,000 bytes of an 800 kB package: exit 4, not death by SIGPIPE,
# and the audit log records the bytes that went out, with no hash of a package not delivered.
"$TC" --config "$CFG" --db "$DB" export --customer C-0001 --ticket REQ-PIPE 2> "$WORK/err" | head -c 2000 > /dev/null
status=${PIPESTATUS[0]}
[ "$status" -eq 4 ] && ok "export cut off by its reader (exit 4)" || fail "export cut off by its reader: exit $status, expected 4"
expect_one_line "$WORK/err" "one line for the cut-off export"
expect_match "$WORK/err" "^telcomply: error: cannot write to standard output: Broken pipe$" "says the pipe broke"
python3 - "$EX/audit.jsonl" > "$WORK/check" 2>&1 << 'PY'
import json, sys
r = [json.loads(l) for l in open(sys.argv[1])][-1]
ok = (r.get("ticket") == "REQ-PIPE" and r.get("outcome") == "interrupted" and r.get("bytes", 0) >= 2000
      and "sha256" not in r and "counts" not in r and r.get("customer_number") == "C-0001")
print("all good" if ok else "last record: %s" % r)
PY
expect_match "$WORK/check" "^all good$" "the audit log records the interrupted delivery"

# ---- FIFOs and devices where a file is read: refused at once (exit 2), never opened
mkfifo "$H/fifo"
sed 's/^pseudonym_key: .*/pseudonym_key: {file: ..\/..\/fifo}/' "$EX/policies/retention.yaml" > "$EX/policies/fifo-key.yaml"
CFG_FIFO_KEY=$(cfg fifo-key retention "[../policies/retention-nl.yaml, policies/fifo-key.yaml]")
hcase "FIFO as --db (export)" 2 -- timeout 10 "$TC" --config "$CFG" --db "$H/fifo" export --customer C-0001
hcase "FIFO as --db (scrub --apply)" 2 -- timeout 10 "$TC" --config "$CFG" --db "$H/fifo" scrub --apply
hcase "FIFO as --db (lint)" 2 -- timeout 10 "$TC" --config "$CFG" lint --db "$H/fifo"
hcase "device as --db (export)" 2 -- timeout 10 "$TC" --config "$CFG" --db /dev/zero export --customer C-0001
hcase "FIFO as configuration" 2 -- timeout 10 "$TC" --config "$H/fifo" lint
hcase "FIFO as policy (lint)" 2 -- timeout 10 "$TC" lint "$H/fifo"
hcase "device as policy (lint)" 2 -- timeout 10 "$TC" lint /dev/zero
hcase "FIFO as cookie policy" 2 -- timeout 10 "$TC" cookies check --policy "$H/fifo" "$F/bad-utf8.csv"
hcase "FIFO as inventory" 2 -- timeout 10 "$TC" cookies check "${COOKIE_POLICY[@]}" "$H/fifo"
hcase "FIFO as HAR inventory" 2 -- timeout 10 "$TC" cookies check "${COOKIE_POLICY[@]}" --input-format har "$H/fifo"
hcase "FIFO as registry" 2 -- timeout 10 "$TC" subprocessors check "$H/fifo"
hcase "FIFO as --key-file" 2 db="$WDB" -- timeout 10 "$TC" --config "$CFG" --db "$WDB" scrub --apply --key-file "$H/fifo"
hcase "FIFO as the policy's key file" 2 db="$WDB" -- timeout 10 "$TC" --config "$CFG_FIFO_KEY" --db "$WDB" scrub --apply

# ---- devices and FIFOs as output: written into as a stream, never replaced
if [ "$(id -u)" -eq 0 ] && mknod "$H/devnull" c 1 3 2> /dev/null; then
  hcase "a character device as -o with --force" 0 db="$DB" -- \
    "$TC" --config "$CFG" --db "$DB" export --customer C-0001 -o "$H/devnull" --force
  [ -c "$H/devnull" ] && ok "the device is still a device" || fail "the device was replaced by $(stat -c %F "$H/devnull")"
else
  skip "a device as -o: cannot make a device node (needs root)"
fi
mkfifo "$H/out-fifo"
timeout 60 cat "$H/out-fifo" > "$H/fifo-got" &
reader=$!
hcase "a FIFO as -o with --force" 0 db="$DB" -- \
  timeout 20 "$TC" --config "$CFG" --db "$DB" export --customer C-0001 -o "$H/out-fifo" --force
wait "$reader"
[ -p "$H/out-fifo" ] && ok "the FIFO is still a FIFO" || fail "the FIFO was replaced by $(stat -c %F "$H/out-fifo")"
python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$H/fifo-got" 2> /dev/null &&
  ok "the reader of the FIFO got the whole package" || fail "the reader of the FIFO got no whole package"
hcase "-o /dev/stdout" 0 db="$DB" -- "$TC" --config "$CFG" --db "$DB" export --customer C-0001 -o /dev/stdout
python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$WORK/out" 2> /dev/null &&
  ok "-o /dev/stdout writes the package to standard output" || fail "-o /dev/stdout: no package on standard output"

# ---- no /proc: the temporary file of a killed export never outlives it
# AddressSanitizer reads the stack's bounds from /proc/self/maps: without /proc a sanitized
# build reports false errors, so these cases run in the plain build (scripts/test) only.
if ldd "$TC" 2> /dev/null | grep -q libasan; then
  skip "no /proc: a build under AddressSanitizer cannot run without /proc (the plain build runs these)"
elif [ "$(id -u)" -eq 0 ] && unshare -m sh -c 'mount -t tmpfs none /proc' 2> /dev/null; then
  noproc() { unshare -m sh -c 'mount -t tmpfs none /proc && exec "$@"' sh "$@"; }
  mkdir -p "$H/np"
  generate_db "$H/big.db" --customers 50 --calls 200000 --big-customer-calls 200000
  start=$(date +%s%N)
  hcase "export without /proc" 0 -- noproc "$TC" --config "$CFG" --db "$H/big.db" export --customer C-0001 -o "$H/np/whole.json"
  took_ms=$(( ($(date +%s%N) - start) / 1000000 ))
  python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$H/np/whole.json" && ok "the package is whole" || fail "the package is not whole"
  for round in 1 2 3; do
    noproc "$TC" --config "$CFG" --db "$H/big.db" export --customer C-0001 -o "$H/np/killed.json" > /dev/null 2>&1 &
    pid=$!
    sleep "$(awk -v t="$took_ms" -v r="$round" 'BEGIN { printf "%.3f", t * r / 4000 }')"
    kill -9 "$pid" 2> /dev/null
    wait "$pid" 2> /dev/null
    rm -f "$H/np/killed.json"
  done
  left=$(ls -A "$H/np" | grep -c '\.tmp-')
  [ "$left" -eq 0 ] && ok "exports killed without /proc leave no temporary file" || fail "$left temporary files left by exports killed without /proc"
  # One left by a run before (a filesystem without unnamed files) goes with the next run there.
  printf 'personal data' > "$H/np/.old.json.tmp-0a1b2c3d"
  hcase "export next to a stale temporary file" 0 -- noproc "$TC" --config "$CFG" --db "$DB" export --customer C-0002 -o "$H/np/c2.json"
  [ -e "$H/np/.old.json.tmp-0a1b2c3d" ] && fail "a stale temporary file stays" || ok "the stale temporary file is removed"
else
  skip "no /proc: cannot unshare a mount namespace (needs root)"
fi

# ---- a secret file named as a policy: an error that repeats none of it
printf 'root:$6$Kq8x9ZAb$Xy7hAsh5upEr5ecret:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n' > "$H/shadow"
for args in "--config $H/shadow lint" "lint $H/shadow" "subprocessors check $H/shadow" "cookies table --policy $H/shadow" \
  "cookies check ${COOKIE_POLICY[*]} $H/shadow" "cookies check ${COOKIE_POLICY[*]} --input-format csv $H/shadow" \
  "cookies check ${COOKIE_POLICY[*]} --input-format har $H/shadow"; do
  # shellcheck disable=SC2086
  hcase "a password file: $args" 2 -- "$TC" $args
  expect_no_match "$WORK/err" 'root|daemon|\$6\$|5ecret' "no line of the password file in the message"
done

# ---- invalid UTF-8 in an argument: refused before anything changes
hcase "invalid UTF-8 in scrub --customer --apply" 2 db="$WDB" -- \
  "$TC" --config "$CFG" --db "$WDB" scrub --customer "$(printf 'C-0009\xff')" --apply --format json

# ---- an output that is an input: refused (exit 2), even with --force
audit_sum=$(sha256sum < "$EX/audit.jsonl")
hcase "-o the audit log" 2 db="$DB" -- "$TC" --config "$CFG" --db "$DB" export --customer C-0001 -o "$EX/audit.jsonl" --force
[ "$(sha256sum < "$EX/audit.jsonl")" = "$audit_sum" ] && ok "the audit log is unchanged" || fail "the audit log changed"
hcase "-o the database" 2 db="$DB" -- "$TC" --config "$CFG" --db "$DB" export --customer C-0001 -o "$DB" --force
hcase "--report the database" 2 db="$WDB" -- "$TC" --config "$CFG" --db "$WDB" scrub --as-of 2026-11-23 --report "$WDB" --force
cfg_sum=$(sha256sum < "$CFG")
hcase "--report the configuration" 2 db="$WDB" -- "$TC" --config "$CFG" --db "$WDB" scrub --as-of 2026-11-23 --report "$CFG" --force
[ "$(sha256sum < "$CFG")" = "$cfg_sum" ] && ok "the configuration is unchanged" || fail "the configuration changed"
sed "s|^audit_log: .*|audit_log: $H/out/new-audit.jsonl|" "$CFG" > "$EX/cfg-new-audit.yaml"
hcase "-o the audit log it has not written yet" 2 db="$DB" out="$H/out/new-audit.jsonl" -- \
  "$TC" --config "$EX/cfg-new-audit.yaml" --db "$DB" export --customer C-0001 -o "$H/out/new-audit.jsonl" --force
hcase "-o a policy file by another name" 2 -- \
  "$TC" cookies table "${COOKIE_POLICY[@]}" -o "$EX/policies/../policies/cookies.yaml" --force
hcase "-o the registry it reads" 2 -- \
  "$TC" subprocessors list "$EX/policies/subprocessors.yaml" -o "$EX/policies/subprocessors.yaml" --force

# ---- output that attacks its reader: terminal escapes, line breaks, bidi controls and bytes
# that are not UTF-8 in data reach no text output raw, and XML stays well-formed.
# clean_text FILE DESCRIPTION: the file is UTF-8 with no control character but line feeds
# and no bidirectional control, so nothing in it can drive a terminal or reorder text.
clean_text() {
  if python3 - "$1" << 'PY'
import sys, unicodedata
text = open(sys.argv[1], "rb").read().decode("utf-8")
bidi = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u2028\u2029")
sys.exit(any((unicodedata.category(c) == "Cc" and c != "\n") or c in bidi for c in text))
PY
  then ok "$2"; else fail "$2"; cat -v "$1" | head -5 | sed 's/^/  | /'; fi
}
# well_formed_xml FILE DESCRIPTION: a real XML parser reads the file.
well_formed_xml() {
  if python3 -c 'import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])' "$1" 2> "$WORK/xml-err"; then
    ok "$2"
  else
    fail "$2: $(cat "$WORK/xml-err" | tail -1)"
  fi
}
ESC_DB="$H/escapes.db"
cp "$DB" "$ESC_DB"
# Two customers of one KvK number (branches), their numbers holding an OSC title sequence, a
# screen clear, a line feed that forges a second error line, and a bidi override.
sqlite3 "$ESC_DB" "UPDATE customers SET customer_number = 'C-0006' || char(27) || ']0;OWNED' || char(7) || char(27) || '[2J' WHERE customer_number = 'C-0006';
  UPDATE customers SET customer_number = 'C-0010' || char(10) || 'telcomply: error: forged' || char(8238) WHERE customer_number = 'C-0010';
  UPDATE customers SET company_name = 'Evil' || char(27) || '[2J' || char(65534) || char(8238) || CAST(X'FF' AS TEXT) WHERE customer_number = 'C-0001'"
hcase "escape sequences in customer numbers (export error)" 2 db="$ESC_DB" -- \
  "$TC" --config "$CFG" --db "$ESC_DB" export --kvk 77421036
expect_match "$WORK/err" 'several customers match: C-0006\\x1b\]0;OWNED\\x07\\x1b\[2J, C-0010\\ntelcomply: error: forged\\u202e' \
  "customer numbers in an error show their escapes"
clean_text "$WORK/err" "no escape sequence or bidi control reaches standard error"
hcase "escape sequences in a customer number (scrub text report)" 0 db="$ESC_DB" -- \
  "$TC" --config "$CFG" --db "$ESC_DB" scrub --as-of 2026-11-23 --customer "$(printf 'C-0006\033]0;OWNED\007\033[2J')"
expect_match "$WORK/out" '^erasure of customer C-0006\\x1b\]0;OWNED\\x07\\x1b\[2J as of' "the scrub report shows the customer number escaped"
clean_text "$WORK/out" "the scrub report holds no escape sequence"
hcase "control characters and bytes that are not UTF-8 in an HTML export" 0 db="$ESC_DB" out="" -- \
  "$TC" --config "$CFG" --db "$ESC_DB" export --customer C-0001 --format html
expect_match "$WORK/out" 'Evil\\x1b\[2J\\ufffe\\u202e\\xff' "the HTML package shows the company name's escapes"
python3 -c '
import sys, unicodedata
text = open(sys.argv[1], "rb").read().decode("utf-8")
sys.exit(any(unicodedata.category(c) == "Cc" and c not in "\t\n\r" or c in "\ufffe\uffff\u202e" for c in text))' "$WORK/out" \
  && ok "the HTML package is UTF-8 without control characters" || fail "the HTML package holds control characters or bytes that are not UTF-8"

# Database column and table names: a terminal escape, a forged finding line, U+FFFE and a
# byte that is not UTF-8.
COL_DB="$H/columns.db"
cp "$DB" "$COL_DB"
sqlite3 "$COL_DB" "ALTER TABLE customers ADD COLUMN \"x$(printf '\033')]0;OWNED$(printf '\007')\" TEXT;
  ALTER TABLE customers ADD COLUMN \"y$(printf '\357\277\276\001')z\" TEXT;
  ALTER TABLE customers ADD COLUMN \"w$(printf '\377')\" TEXT;
  CREATE TABLE \"t$(printf '\n')forged:1:1: error: all clear [none]\" (id INTEGER PRIMARY KEY)"
hcase "hostile column names (lint --db, text)" 1 -- "$TC" --config "$CFG" lint --db "$COL_DB"
clean_text "$WORK/out" "lint findings hold no raw escape, control character or stray byte"
expect_no_match "$WORK/out" '^forged' "a line feed in a table name forges no finding line"
expect_match "$WORK/out" "customers\.x\\\\x1b\]0;OWNED\\\\x07' exists" "the column name shows its escapes"
hcase "hostile column names (lint --db, github)" 1 -- "$TC" --config "$CFG" lint --db "$COL_DB" --format github
clean_text "$WORK/out" "GitHub annotations hold no raw escape"
expect_no_match "$WORK/out" '^forged' "a line feed forges no annotation"
hcase "hostile column names (lint --db, junit)" 1 -- "$TC" --config "$CFG" lint --db "$COL_DB" --format junit
well_formed_xml "$WORK/out" "JUnit with column names holding U+FFFE, C0 and stray bytes is well-formed XML"

# Cookie names in an inventory, and policy strings in the published table.
printf 'name,domain,path,expires\n"a\nforged:1:1: error: all clear [none]",.voipgrid.nl,/,session\nb\033]0;OWNED\007\033[2J,.voipgrid.nl,/,session\nc\xef\xbf\xbe\x01\xff,.voipgrid.nl,/,session\nd\xe2\x80\xae,.voipgrid.nl,/,session\n' > "$F/hostile-names.csv"
for format in text github junit; do
  hcase "hostile cookie names (cookies check, $format)" 1 -- \
    "$TC" cookies check "${COOKIE_POLICY[@]}" --input-format csv --format "$format" "$F/hostile-names.csv"
  if [ "$format" = junit ]; then
    well_formed_xml "$WORK/out" "JUnit with cookie names holding U+FFFE, C0 and stray bytes is well-formed XML"
  else
    clean_text "$WORK/out" "cookie findings as $format hold no raw escape"
    expect_no_match "$WORK/out" '^forged' "a line feed in a cookie name forges no $format line"
  fi
done
cat > "$F/hostile-cookies.yaml" << 'YAML'
site: [voipgrid.nl]
categories:
  functional: {consent: not-required, name: "Functional <script>alert(1)</script>\r\e]0;OWNED\a\u202E"}
cookies:
  - {name: "x<img/src/onerror>\e[2J", provider: voipgrid.nl, type: http, expiry: Session, category: functional}
YAML
hcase "HTML, ESC and CR in policy names (cookies table --format md)" 0 -- \
  "$TC" cookies table --policy "$F/hostile-cookies.yaml" --format md
clean_text "$WORK/out" "the Markdown table holds no raw escape, CR or bidi control"
expect_no_match "$WORK/out" '<' "the Markdown table holds no raw HTML"
expect_match "$WORK/out" '^## Functional &lt;script&gt;alert\(1\)&lt;/script&gt; \\x1b\\\]0;OWNED\\x07\\u202e$' "the category name is escaped as in the sub-processor list"

# ---- a site sending cookie lifetimes beyond any calendar: the scan clamps them and check
# reads them back.
python3 - "$H/maxage-port" << 'PY' &
import socket, sys, threading, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(8)
def answer(c):
    c.recv(65536)
    c.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 0\r\n"
              b"Set-Cookie: forever=1; Max-Age=99999999999999999999\r\n"
              b"Set-Cookie: gone=1; Max-Age=-99999999999\r\n"
              b"Set-Cookie: far=1; Expires=Fri, 31 Dec 99999 23:59:59 GMT\r\n"
              b"Set-Cookie: b\xe2\x80\xaeevil\xff=1; Max-Age=60\r\n\r\n")
    c.close()
def loop():
    while True:
        c, _ = s.accept()
        threading.Thread(target=answer, args=(c,), daemon=True).start()
threading.Thread(target=loop, daemon=True).start()
open(sys.argv[1] + ".tmp", "w").write(str(s.getsockname()[1]))
import os; os.rename(sys.argv[1] + ".tmp", sys.argv[1])
time.sleep(90)
PY
pids+=($!)
for _ in $(seq 50); do [ -f "$H/maxage-port" ] && break; sleep 0.1; done
hcase "Max-Age beyond any calendar (cookies scan)" 0 -- \
  timeout 20 "$TC" cookies scan --timeout 5 -o "$H/out/maxage.json" "http://127.0.0.1:$(cat "$H/maxage-port")/"
expect_match "$H/out/maxage.json" '"expires": "9999-12-31T23:59:59Z"' "the scan clamps the expiry to 9999-12-31"
expect_no_match "$H/out/maxage.json" '"expires": "(-|[0-9]{5})' "the scan writes no expiry outside years 0000-9999"
hcase "cookies check of a scan with out-of-range lifetimes" 1 -- \
  "$TC" cookies check "${COOKIE_POLICY[@]}" "$H/out/maxage.json"
expect_match "$WORK/out" "cookie 'forever' of 127.0.0.1 asks for an expiry after 9999-12-31T23:59:59Z \(lifetime out of range\).*\[expiry-out-of-range\]" \
  "the out-of-range lifetime is a finding"
expect_match "$WORK/out" "cookie 'far' of 127.0.0.1 asks for an expiry after 9999" "an Expires date in the year 99999 is clamped too"
expect_match "$WORK/out" "undeclared cookie 'b\\\\u202eevil$(printf '\357\277\275')' of 127.0.0.1" \
  "the other findings still show, escaped (the scan wrote the stray byte as U+FFFD)"
clean_text "$WORK/out" "findings of a scanned cookie name hold no raw escape"

# ---- masks on personal data in other scripts: nothing of a number stays readable.
MASK_DB="$H/masks.db"
cp "$DB" "$MASK_DB"
# The example's rule contact-after-closure masks phone and postal_code with partial, keep 4.
sqlite3 "$MASK_DB" "UPDATE customers SET phone = '+٣١٢٥٢٤١٧٧٣٣', postal_code = '２１６１ ＢＧ' WHERE customer_number = 'C-0004'"
hcase "masks on Arabic-Indic and full-width digits (scrub --apply)" 0 -- \
  "$TC" --config "$CFG" --db "$MASK_DB" scrub --as-of 2026-11-23 --apply
if [ "$(sqlite3 "$MASK_DB" "SELECT phone || '|' || postal_code FROM customers WHERE customer_number = 'C-0004'")" = '+٣١٢********|２１６１ **' ]; then
  ok "partial masks Arabic-Indic and full-width digits and letters"
else
  fail "partial left personal data: $(sqlite3 "$MASK_DB" "SELECT phone || '|' || postal_code FROM customers WHERE customer_number = 'C-0004'")"
fi
# ---- dates stored otherwise: call_records.started_at as Unix seconds (INTEGER, DATETIME, text),
# milliseconds, Julian days, or text with an offset. The call records that stay are the same as
# with ISO 8601 text (text Unix times compared as strings were all due; integers never were).
# dates_db NAME TYPE SQL: the example database with started_at declared TYPE, then SQL run.
dates_db() {
  local db="$H/dates-$1.db"
  sed "s/^  started_at      TEXT NOT NULL,/  started_at      $2 NOT NULL,/" "$SRC/examples/voipgrow.sql" | sqlite3 "$db"
  [ -z "$3" ] || sqlite3 "$db" "$3"
  echo "$db"
}
call_ids() { sqlite3 "$1" "SELECT group_concat(id) FROM (SELECT id FROM call_records ORDER BY id)"; }
SECONDS_SQL="UPDATE call_records SET started_at = CAST(strftime('%s', started_at) AS INTEGER)"
ISO_DB=$(dates_db iso TEXT "")
"$TC" --config "$CFG" --db "$ISO_DB" scrub --as-of 2026-11-23 --apply > /dev/null 2>&1
ISO_LEFT=$(call_ids "$ISO_DB")
for rep in "unix seconds|INTEGER|$SECONDS_SQL" "unix seconds in a DATETIME|DATETIME|$SECONDS_SQL" \
  "unix seconds as text|TEXT|UPDATE call_records SET started_at = strftime('%s', started_at)" \
  "unix milliseconds|INTEGER|$SECONDS_SQL * 1000" \
  "julian days|REAL|UPDATE call_records SET started_at = julianday(started_at)" \
  "offsets|TEXT|UPDATE call_records SET started_at = strftime('%Y-%m-%dT%H:%M:%S', started_at, '-5 hours') || '-05:00'"; do
  IFS='|' read -r name type sql <<< "$rep"
  db=$(dates_db "${name// /-}" "$type" "$sql")
  hcase "dates as $name (scrub --apply)" 0 -- "$TC" --config "$CFG" --db "$db" scrub --as-of 2026-11-23 --apply
  if [ "$(call_ids "$db")" = "$ISO_LEFT" ]; then
    ok "dates as $name: the call records that stay are those that stay with ISO 8601"
  else
    fail "dates as $name: other call records stay than with ISO 8601"
  fi
done
# Export reads them as dates too.
UNIX_DB=$(dates_db export INTEGER "$SECONDS_SQL")
hcase "dates as unix seconds (export)" 0 -- "$TC" --config "$CFG" --db "$UNIX_DB" export --customer C-0001
expect_match "$WORK/out" '"started_at": ?"20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z"' "export shows Unix seconds as ISO 8601"
expect_no_match "$WORK/out" '"started_at": ?[0-9]' "no call's start as a bare number"
# Values that are not dates, and representations mixed: refused before anything changes, at
# the rule, with how many.
BAD_DB=$(dates_db bad TEXT "UPDATE call_records SET started_at = 'gisteren' WHERE id = 7")
hcase "a call record dated 'gisteren' (scrub --apply)" 2 db="$BAD_DB" -- \
  "$TC" --config "$CFG" --db "$BAD_DB" scrub --as-of 2026-11-23 --apply
expect_match "$WORK/err" "retention\.yaml:10:5: retention rule 'cdr-billing': column 'call_records\.started_at' holds 1 value of 8098 that is not a date" \
  "names the rule, the column and how many values are not dates"
hcase "a call record dated 'gisteren' (lint --db)" 1 db="$BAD_DB" -- "$TC" --config "$CFG" lint --db "$BAD_DB"
expect_match "$WORK/out" "retention\.yaml:10:5: error: .*\[date-unreadable\]" "lint --db reports it"
MIXED_DB=$(dates_db mixed TEXT "UPDATE call_records SET started_at = strftime('%s', started_at) WHERE id % 10 = 0")
hcase "call records in two representations (scrub --apply)" 2 db="$MIXED_DB" -- \
  "$TC" --config "$CFG" --db "$MIXED_DB" scrub --as-of 2026-11-23 --apply
expect_match "$WORK/err" "mixes date representations \(7289 iso-8601 text, 809 unix-seconds text\): 809 values are not iso-8601 text" \
  "says how many values differ from the rest"
# A rule counting from an amount.
mkdir -p "$H/amount" && cp -r "$EX/." "$H/amount/"
sed -i '0,/    from: started_at/s//    from: cost_cents/' "$H/amount/policies/retention.yaml"
hcase "a rule counting from an amount (scrub --apply)" 2 db="$WDB" -- \
  "$TC" --config "$H/amount/telcomply.yaml" --db "$WDB" scrub --as-of 2026-11-23 --apply
expect_match "$WORK/err" "column 'call_records\.cost_cents' is not a date column" "says it is not a date column"

# ---- a thousand retention rules on one table: planned in one pass per table (was: 30 rules
# 30 s, 1,000 rules "SQL logic error"); lint warns that they overlap.
mkdir -p "$H/many" && cp -r "$EX/." "$H/many/"
python3 - "$H/many/policies/retention.yaml" << 'PY'
import sys
path = sys.argv[1]
text = open(path).read()
rules = "".join("  - {name: calls-%d, table: call_records, keep: %d days, from: started_at, action: delete}\n"
                % (i, 90 + i) for i in range(1, 1001))
open(path, "w").write(text.replace("\nholds:\n", "\n" + rules + "\nholds:\n"))
PY
hcase "1000 rules on one table (scrub dry run)" 0 db="$WDB" -- \
  timeout 120 "$TC" --config "$H/many/telcomply.yaml" --db "$WDB" scrub --as-of 2026-11-23 --format json
python3 - "$WORK/out" << 'PY' && ok "every rule is planned" || fail "the plan does not have every rule"
import json, sys
actions = [a for a in json.load(open(sys.argv[1]))["actions"] if (a["rule"] or "").startswith("calls-")]
assert len(actions) == 1000 and actions[0]["due"] >= actions[-1]["due"] > 0
PY
cp "$DB" "$H/many.db"
hcase "1000 rules on one table (scrub --apply)" 0 -- \
  timeout 120 "$TC" --config "$H/many/telcomply.yaml" --db "$H/many.db" scrub --as-of 2026-11-23 --apply
hcase "1000 rules on one table (lint)" 0 -- "$TC" --config "$H/many/telcomply.yaml" lint
expect_match "$WORK/out" "rule 'calls-1000' deletes rows of 'call_records' as rule 'cdr-billing' at .*retention\.yaml:10:5 does.*\[overlapping-rules\]" \
  "lint warns about the overlapping rules"

echo "$known known failures, $skipped skipped"
finish
