# Whether an audit log covers what scrub changed in a server's database, run by the end-to-end
# tests after runs that were killed or cut off:
#   python3 audit_covers.py ROWS_BEFORE ROWS_AFTER AUDIT_LOG DATABASE
# ROWS_* hold a line "table key digest" per row, before and after; DATABASE is the name the
# audit records' `database` ends in. The log's committed batches (each counted once, a killed
# run's settled by a later run) must sum per table to exactly the rows deleted and changed,
# and none may be settled as unknown. Prints the batches settled by a later run and the
# committed ones; fails with the first difference.
import collections, json, sys
def rows(path):
    out = collections.defaultdict(dict)
    for line in open(path):
        t, i, digest = line.split()
        out[t][i] = digest
    return out
before, after = rows(sys.argv[1]), rows(sys.argv[2])
name = sys.argv[4]
changed = {t: [sum(1 for i in r if i not in after[t]),
               sum(1 for i, d in r.items() if i in after[t] and after[t][i] != d)] for t, r in before.items()}
records = [r for r in map(json.loads, open(sys.argv[3])) if r.get("event") == "batch"]
prepared, settled = {}, {}
for r in records:
    db = r.get("database", "")
    if r["state"] == "prepared" and (db.endswith("/" + name) or "/" + name + "?" in db):
        prepared[(r["run"], r["batch"])] = r
for r in records:
    key = (r["run"], r["batch"])
    if r["state"] != "prepared" and key in prepared and key not in settled:
        settled[key] = r
assert prepared, "no batch of the database in the log"
assert all(key in settled for key in prepared), "unsettled batches"
assert all(r["state"] in ("committed", "rolled_back") for r in settled.values()), "a batch settled as unknown"
done = collections.defaultdict(lambda: [0, 0])
for key, r in settled.items():
    if r["state"] == "committed":
        done[prepared[key]["table"]][0] += prepared[key]["deleted"]
        done[prepared[key]["table"]][1] += prepared[key]["anonymised"]
for t, c in changed.items():
    assert c == done[t], "%s: %s deleted and changed, the log says %s" % (t, c, done[t])
print(sum(1 for r in settled.values() if "checked_by" in r),
      sum(1 for r in settled.values() if r["state"] == "committed"))
