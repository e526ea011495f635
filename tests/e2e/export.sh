# telcomply export against the example operator: finding the customer, the package in JSON and
# HTML, masking, the output file's safety, and the audit trail.
source "$(dirname "$0")/lib.sh"
DB=$(example_db)
DB_SUM=$(sha256sum < "$DB")

# A copy of the example, so that its audit log is written into the scratch folder.
mkdir -p "$WORK/example" "$WORK/files"
cp -r "$SRC/examples/." "$WORK/example/"
ln -s "$SRC/policies" "$WORK/policies"
CFG="$WORK/example/telcomply.yaml"
AUDIT="$WORK/example/audit.jsonl"
rm -f "$AUDIT"
F="$WORK/files"
# The audit operator is the login name of the user running it, whatever $USER says.
export USER=e2e-operator LOGIN_NAME="$(id -un)"
unset SUDO_USER
tc_export() { "$TC" --config "$CFG" --db "$DB" export "$@"; }

# The package of C-0001: valid JSON, every category filled, every art. 15 item present.
expect_status 0 "export C-0001 to a file" tc_export --customer C-0001 -o "$F/c1.json" --ticket REQ-1
expect_match "$WORK/err" "^exported [0-9]+ records in [0-9]+ categories to " "says what it wrote"
if [ "$(stat -c %a "$F/c1.json")" = 600 ]; then ok "mode 0600"; else fail "mode $(stat -c %a "$F/c1.json")"; fi
python3 - "$F/c1.json" "$SRC/examples/policies/datamap.yaml" > "$WORK/check" 2>&1 <<'PY'
import json, sys, re
package = json.load(open(sys.argv[1]))
problems = []
def need(cond, what):
    if not cond: problems.append(what)
need(list(package)[:7] == ["format", "generated_at", "controller", "subject", "summary", "data", "information"], "top-level keys")
need(package["format"] == "telcomply-export/1", "format marker")
need(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", package["generated_at"]), "generated_at")
need(package["controller"]["name"] == "Voipgrow B.V.", "controller")
need(package["subject"]["customer_number"] == "C-0001", "subject")
info = package["information"]
exported = [c["id"] for c in info["categories"] if c["exported"]]
need(set(package["data"]) == set(exported), "data holds every controller category")
for cid, cat in package["data"].items():
    need(cat["count"] > 0 and len(cat["records"]) == cat["count"], "category %s filled" % cid)
    need(all("table" in r and "fields" in r for r in cat["records"]), "records keep their table in %s" % cid)
need("call_content" not in package["data"], "call content not exported")
content = [c for c in info["categories"] if c["id"] == "call_content"][0]
need(content["role"] == "processor" and content["controller"].startswith("Klant"), "names the controller of call content")
for c in info["categories"]:
    need(c["purposes"] and c["legal_basis"], "purposes and legal basis of %s" % c["id"])
    need(c["retention"], "retention of %s" % c["id"])
    need(c["from_subject"] or c["source"], "source of %s" % c["id"])
need(info["recipients"] and all("third_countries" in r for r in info["recipients"]), "recipients")
us = [t for r in info["recipients"] for t in r["third_countries"] if t["country"] == "US"]
need(us and all(t["safeguards"] or t["adequacy"] for t in us), "transfer safeguards for the US")
need({r["right"] for r in info["rights"]["rights"]} == {"access", "rectification", "erasure", "restriction", "portability", "objection"}, "rights")
need(info["rights"]["complaint"]["authority"] == "Autoriteit Persoonsgegevens", "complaint to the AP")
need(any(d["name"] == "Kredietwaardigheidsonderzoek" for d in info["automated_decisions"]), "automated decision")
dates = [v for cat in package["data"].values() for r in cat["records"] for k, v in r["fields"].items()
         if isinstance(v, str) and re.match(r"\d{4}-\d\d-\d\d[ T]", v)]
need(dates and all("T" in d for d in dates), "date-times in ISO 8601")
callees = [r["fields"]["callee_number"] for r in package["data"]["traffic"]["records"] if r["fields"]["callee_number"]]
need(callees and all(c.endswith("****") or len(c) <= 5 for c in callees), "other parties' numbers masked")
print("\n".join(problems) or "all good")
PY
expect_match "$WORK/check" "^all good$" "the package is complete"

# The same customer by email, by phone in three notations, and by KvK number.
for args in "--email roos.haverkamp@haverkamp-installatie.example" "--email ROOS.HAVERKAMP@haverkamp-installatie.example" \
            "--phone 020-1234567" "--phone +31_20_123_4567" "--phone 0031201234567" "--phone (020)_123_45_67" \
            "--kvk 68750412"; do
  # shellcheck disable=SC2086
  expect_status 0 "found by ${args//_/ }" tc_export ${args%% *} "$(echo "${args#* }" | tr _ ' ')"
  expect_match "$WORK/out" '"customer_number":"C-0001"' "${args//_/ } is C-0001"
done

# Standard output is the default; HTML is one self-contained file.
expect_status 0 "HTML" tc_export --customer C-0001 --format html -o "$F/c1.html"
expect_match "$F/c1.html" "^<!DOCTYPE html>" "an HTML document"
expect_match "$F/c1.html" "</html>" "complete"
expect_no_match "$F/c1.html" "<script|<link|src=|url\(" "no scripts, no external assets"
expect_match "$F/c1.html" "Autoriteit Persoonsgegevens" "the complaint authority"
expect_match "$F/c1.html" "Kredietwaardigheidsonderzoek" "the automated decision"

# Not found, several found, garbage: exit 3 or 2, and nothing written.
expect_status 3 "an unknown customer" tc_export --customer C-9999 -o "$F/none.json"
expect_one_line "$WORK/err" "one line"
if [ -e "$F/none.json" ]; then fail "a file was written for nobody"; else ok "nothing written"; fi
expect_status 3 "an unknown email address" tc_export --email nobody@example.org
[ -s "$WORK/out" ] && fail "output for nobody" || ok "no output for nobody"
expect_status 2 "a KvK number shared by two customers" tc_export --kvk 77421036 -o "$F/shared.json"
expect_match "$WORK/err" "several customers match: C-0006, C-0010" "lists both"
[ -e "$F/shared.json" ] && fail "a file was written" || ok "nothing written"
expect_status 2 "a phone number that is not one" tc_export --phone "call me maybe"
expect_match "$WORK/err" "not a telephone number" "says so"
expect_status 2 "no customer given" tc_export
expect_status 2 "two identifiers" tc_export --customer C-0001 --kvk 68750412
expect_status 2 "an unknown format" tc_export --customer C-0001 --format pdf

# An existing file stays byte for byte unchanged without --force.
printf 'precious\n' > "$F/existing.json"
expect_status 2 "an existing file" tc_export --customer C-0001 -o "$F/existing.json"
expect_match "$WORK/err" "exists; use --force" "says to use --force"
if [ "$(cat "$F/existing.json")" = precious ]; then ok "unchanged"; else fail "the existing file changed"; fi
expect_status 0 "--force replaces it" tc_export --customer C-0001 -o "$F/existing.json" --force --unmask --operator alice
expect_match "$F/existing.json" '"other_parties":"unmasked"' "unmasked"
expect_match "$F/existing.json" '"callee_number":"\+[0-9]+"' "other parties' numbers in full"
# An audit log that cannot be written: nothing is delivered, and the file --force would have
# replaced stays as it was.
sed "s|^audit_log: .*|audit_log: $WORK/no-such-folder/audit.jsonl|" "$CFG" > "$WORK/example/lost-audit.yaml"
printf 'precious\n' > "$F/kept.json"
expect_status 4 "an audit log that cannot be written" "$TC" --config "$WORK/example/lost-audit.yaml" \
  --db "$DB" export --customer C-0001 -o "$F/kept.json" --force
expect_match "$WORK/err" "cannot open audit log" "says why"
if [ "$(cat "$F/kept.json")" = precious ]; then ok "the file it would replace is kept"; else fail "the file it would replace is lost"; fi
ls -a "$F" | grep -q '\.tmp' && fail "temporary files left" || ok "no temporary files left"

# The audit trail: one record per export written, no personal data.
python3 - "$AUDIT" > "$WORK/check" 2>&1 <<'PY'
import json, os, sys
lines = open(sys.argv[1]).read().splitlines()
records = [json.loads(l) for l in lines]
problems = []
if len(records) != 10: problems.append("%d records" % len(records))
first, last = records[0], records[-1]
if any(r.get("command") != "export" or "time" not in r for r in records): problems.append("command and time")
if any(r.get("outcome") != "delivered" for r in records): problems.append("outcome of a whole package")
if first["ticket"] != "REQ-1" or first["operator"] != os.environ["LOGIN_NAME"]: problems.append("ticket/operator")
if [r["format"] for r in records].count("html") != 1: problems.append("the HTML export's format")
if first["customer_number"] != "C-0001" or first["unmask"] or len(first["sha256"]) != 64: problems.append("record fields")
if not first["counts"] or "traffic" not in first["counts"]: problems.append("counts")
if last["operator"] != "alice" or not last["unmask"]: problems.append("unmask recorded")
text = open(sys.argv[1]).read()
for secret in ["roos", "1234567", "68750412", "Haverkamp"]:
    if secret.lower() in text.lower(): problems.append("personal data: " + secret)
print("\n".join(problems) or "all good")
PY
expect_match "$WORK/check" "^all good$" "the audit trail"
sum=$(sha256sum "$F/c1.json" | cut -d' ' -f1)
grep -q "\"sha256\":\"$sum\"" "$AUDIT" && ok "the audit holds the output's SHA-256" || fail "no matching SHA-256"

# Standard output is a file like any other: -o /dev/stdout, and a reader that stops early.
expect_status 0 "-o /dev/stdout" tc_export --customer C-0002 -o /dev/stdout
expect_match "$WORK/out" '"customer_number":"C-0002"' "the package on standard output"
tc_export --customer C-0001 --ticket REQ-HEAD 2> "$WORK/err" | head -c 2000 > "$WORK/head"
status=${PIPESTATUS[0]}
[ "$status" -eq 4 ] && ok "cut off by head -c 2000: exit 4" || fail "cut off by head -c 2000: exit $status, expected 4"
expect_match "$WORK/err" "cannot write to standard output: Broken pipe" "says the pipe broke"
tail -1 "$AUDIT" > "$WORK/last"
expect_match "$WORK/last" '"outcome":"interrupted"' "the audit record says the package was cut off"
expect_match "$WORK/last" '"ticket":"REQ-HEAD"' "for the ticket"
expect_no_match "$WORK/last" '"sha256"|"counts"' "and claims no hash or counts of a package not delivered"
bytes=$(python3 -c 'import json, sys; print(json.loads(open(sys.argv[1]).read())["bytes"])' "$WORK/last")
[ "$bytes" -ge 2000 ] && [ "$bytes" -lt "$(stat -c %s "$F/c1.json")" ] && ok "records the $bytes bytes delivered" ||
  fail "bytes delivered: $bytes"

# The database is only read.
[ "$(sha256sum < "$DB")" = "$DB_SUM" ] && ok "the database is unchanged" || fail "the database changed"

# Without an audit log configured, nothing is exported.
grep -v '^audit_log:' "$CFG" > "$WORK/example/no-audit.yaml"
expect_status 2 "no audit log configured" "$TC" --config "$WORK/example/no-audit.yaml" --db "$DB" export --customer C-0001 -o "$F/unaudited.json"
[ -e "$F/unaudited.json" ] && fail "exported without audit" || ok "nothing written"

# The language: the JSON keeps its keys and values and adds the labels and the rights' names
# in the language asked for; the HTML speaks it and shows the configured time zone.
expect_status 0 "JSON in English" tc_export --customer C-0001 --lang en -o "$F/en.json"
expect_status 0 "JSON in Dutch" tc_export --customer C-0001 --lang nl -o "$F/nl.json"
python3 - "$F/en.json" "$F/nl.json" > "$WORK/check" 2>&1 <<'PY'
import json, sys
en, nl = (json.load(open(f)) for f in sys.argv[1:3])
problems = []
def need(cond, what):
    if not cond: problems.append(what)
need(en["data"] == {k: v for k, v in nl["data"].items()}, "the same data in both languages")
billing = nl["data"]["billing"]
need(billing["labels"]["invoices"]["amount_cents"] == "Bedrag", "the label of invoices.amount_cents")
invoice = [r for r in billing["records"] if r["table"] == "invoices"][0]
need(isinstance(invoice["fields"]["amount_cents"], int), "the raw amount in cents")
names = {r["right"]: r["name"] for r in nl["information"]["rights"]["rights"]}
need(names["access"] == "Recht op inzage" and names["erasure"].startswith("Recht op gegevenswissing"), "the Dutch rights")
need({r["right"]: r["name"] for r in en["information"]["rights"]["rights"]}["access"] == "Right of access", "the English rights")
need(nl["information"]["rights"]["complaint"]["article"] == "AVG art. 77", "the complaint's article in Dutch")
print("\n".join(problems) or "all good")
PY
expect_match "$WORK/check" "^all good$" "labels and rights in the language, values as stored"
expect_status 0 "HTML in Dutch" tc_export --customer C-0001 --format html --lang nl -o "$F/nl.html"
expect_match "$F/nl.html" '<html lang="nl">' "<html lang=nl>"
expect_match "$F/nl.html" "Tijden staan in de tijdzone Europe/Amsterdam" "names the time zone"
expect_match "$F/nl.html" ">Bedrag<" "the amount's label"
expect_match "$F/nl.html" ">1 min [0-9]+ s<" "durations as minutes and seconds"
expect_status 2 "an unknown --lang" tc_export --customer C-0001 --lang fr -o "$F/fr.json"
expect_match "$WORK/err" "unknown language 'fr'" "says so"
sed 's|^timezone: .*|timezone: Europe/Amsterdan|' "$CFG" > "$WORK/example/bad-zone.yaml"
expect_status 2 "an unknown timezone" "$TC" --config "$WORK/example/bad-zone.yaml" --db "$DB" export --customer C-0001 -o "$F/zone.json"
expect_match "$WORK/err" "bad-zone.yaml:[0-9]+:11: unknown timezone 'Europe/Amsterdan'" "at its line and column"

finish
