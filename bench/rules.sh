#!/usr/bin/env bash
# Times the planning of many retention rules on one table: a dry run of telcomply scrub (text
# output, which lists every rule and what keeps its rows) on a generated database in the
# example's schema, with the example's rules plus N delete rules on call_records (each with
# its own period, all counted from started_at), side by side for several N. Planning grows linearly with the rules and rows; the plan itself lists, per rule,
# the other rules still keeping its rows, which grows with the square of N. Each plan is
# checked to name every rule (from its JSON form, made after the timed run).
#
#   bench/rules.sh [--telcomply BIN --generate BIN] [--calls N] [--rules "10 100 1000"]
#                  [--timeout SECONDS] [--out DIR]
#
#   --telcomply, --generate  the binaries (default: those in build-test/)
#   --calls    call records in the database (default 8000, over 100 customers)
#   --rules    the rule counts to time (default: 10 100 1000)
#   --timeout  give up on one dry run after this long (default 600 s); shown as "> N s"
#   --out      folder for the database, policies and results (default: bench/out/rules)
#
# Prints a markdown table (rules, wall time, CPU time, peak RSS, rows past retention) to
# standard output and to OUT/results.md.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

tc="$root/build-test/cli/telcomply"
gen="$root/build-test/bench/telcomply_generate"
calls=8000
rules="10 100 1000"
timeout=600
out="$root/bench/out/rules"
usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case "$1" in
    --telcomply) tc="$(realpath "${2:?}")"; shift 2 ;;
    --generate) gen="$(realpath "${2:?}")"; shift 2 ;;
    --calls) calls="${2:?}"; shift 2 ;;
    --rules) rules="${2:?}"; shift 2 ;;
    --timeout) timeout="${2:?}"; shift 2 ;;
    --out) out="$(realpath -m "${2:?}")"; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) echo "bench/rules.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
[ -x "$tc" ] && [ -x "$gen" ] || { echo "bench/rules.sh: build telcomply and telcomply_generate first" >&2; exit 2; }
export LC_ALL=C.UTF-8 TELCOMPLY_PSEUDONYM_KEY=benchmark-pseudonym-key-0123456789
unset TELCOMPLY_CONFIG

mkdir -p "$out"
db="$out/operator.db"
"$gen" --force "$db" --customers 100 --calls "$calls" --big-customer-calls $((calls / 10)) 2> /dev/null

table="| rules on call_records | wall | CPU (user+sys) | peak RSS | rows past the longest rule |
|---|---|---|---|---|"
for n in $rules; do
  dir="$out/$n"
  rm -rf "$dir" && mkdir -p "$dir"
  sed -e "s|^database: .*|database: $db|" -e "s|^audit_log: .*|audit_log: $dir/audit.jsonl|" \
      -e "s|\.\./policies/|$root/policies/|g" \
      -e "s|\([ \[]\)policies/retention.yaml|\1$dir/retention.yaml|" \
      -e "s|\([ \[]\)policies/|\1$root/examples/policies/|g" \
      "$root/examples/telcomply.yaml" > "$dir/telcomply.yaml"
  {
    sed -n '/^rules:$/,/^holds:$/p' "$root/examples/policies/retention.yaml" | sed '$d'
    for i in $(seq 1 "$n"); do
      echo "  - {name: calls-$i, table: call_records, keep: $((90 + i)) days, from: started_at, action: delete}"
    done
    sed -n '/^holds:$/,$p' "$root/examples/policies/retention.yaml"
  } > "$dir/retention.yaml"
  status=0
  /usr/bin/time -f "%e %U %S %M" -o "$dir/time" timeout "$timeout" \
    "$tc" --config "$dir/telcomply.yaml" scrub --as-of 2026-11-23 \
    > "$dir/plan.txt" 2> "$dir/err" || status=$?
  if [ "$status" -eq 124 ]; then
    table+="
| $n | > $timeout s | | | |"
    continue
  fi
  # 1: the mass-delete guard would refuse the plan, which a dry run still makes in full.
  [ "$status" -le 1 ] || { echo "bench/rules.sh: scrub with $n rules failed (exit $status):" >&2; cat "$dir/err" >&2; exit 1; }
  read -r wall user sys rss < <(tail -1 "$dir/time")
  # The plan again as JSON (not timed: with many rules it is mostly the reasons' output).
  "$tc" --config "$dir/telcomply.yaml" scrub --as-of 2026-11-23 --format json \
    > "$dir/plan.json" 2> /dev/null || true
  read -r planned due < <(python3 -c '
import json, sys
actions = [a for a in json.load(open(sys.argv[1]))["actions"] if (a["rule"] or "").startswith("calls-")]
print(len(actions), max(a["due"] for a in actions))' "$dir/plan.json")
  [ "$planned" -eq "$n" ] || { echo "bench/rules.sh: the plan has $planned of $n rules" >&2; exit 1; }
  cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
  table+="
| $n | $wall s | $cpu s | $((rss / 1024)) MiB | $due |"
done
printf '%s\n' "$table" | tee "$out/results.md"
