# telcomply register: the example operator's records of processing (GDPR art. 30) in every
# format, their retention checked against the retention rules, and lint on what they lack.
source "$(dirname "$0")/lib.sh"
copy_example

expect_status 0 "the example's register in json" "$TC" --config "$CFG" register --format json -o "$WORK/register.json"
expect_status 0 "the example lints clean" "$TC" --config "$CFG" lint

# The register against the policy files, read independently of telcomply.
# Debian's python3, which has python3-yaml (scripts/install-deps).
/usr/bin/python3 - "$WORK/register.json" "$EX" "$SRC/policies" <<'PY' && ok "json: roles, recipients, DPIA and retention match the policy files" || fail "json register"
import json, sys, yaml
doc = json.load(open(sys.argv[1]))
ex, shipped = sys.argv[2], sys.argv[3]
datamap = yaml.safe_load(open(ex + "/policies/datamap.yaml"))
retention = yaml.safe_load(open(ex + "/policies/retention.yaml"))
periods = yaml.safe_load(open(shipped + "/retention-nl.yaml"))["periods"]
problems = []
def need(cond, what):
    if not cond: problems.append(what)

need(doc["format"] == "telcomply-register" and doc["version"] == 1, "format marker")
need(doc["language"] == "nl", "the example's language")
need(doc["organisation"]["security"], "security description")
controller, processor = doc["controller_records"], doc["processor_records"]
need(len(controller) > 0 and all(r["role"] == "controller" for r in controller), "art. 30(1) records")
need(len(processor) > 0 and all(p["processing"] and all(r["role"] == "processor" for r in p["processing"]) for p in processor), "art. 30(2) records")
need(processor[0]["controller"]["id"] == "recording-customers" and processor[0]["controller"]["contact"], "the controller served, with contact")

# Every purpose of the data map is a record, with its data subjects.
records = {r["purpose"]["id"]: r for r in controller}
for p in processor:
    records.update({r["purpose"]["id"]: r for r in p["processing"]})
need(set(records) == set(datamap["purposes"]), "one record per purpose: %s" % (set(records) ^ set(datamap["purposes"])))
for pid, r in records.items():
    need(r["data_subjects"] == datamap["purposes"][pid]["data_subjects"], "data subjects of " + pid)
    expected = [c for c, v in datamap["categories"].items() if pid in v["purposes"]]
    need([c["id"] for c in r["categories"]] == expected, "categories of " + pid)

# Recipients that are not sub-processors, and the DPIA pre-screen.
names = lambda r: {x["id"] for x in r["recipients"]}
need({"emergency-services", "voipgrid"} <= names(records["emergency-calls"]), "112 recipients")
need("tax-authority" in names(records["fiscal"]), "the tax authority")
need("mailchimp" not in names(records["marketing"]), "a removed sub-processor is no recipient")
need([d["criterion"] for d in records["call-setup"]["dpia"]] == ["communication-data"], "traffic data: DPIA criterion 13")
need([d["criterion"] for d in records["credit-check"]["dpia"]] == ["credit-scores"], "credit scores: criterion 4")
need("fraud-prevention" in [d["criterion"] for d in records["fraud"]["dpia"]], "fraud prevention named by the purpose")
need(records["reporting"]["dpia"] == [], "no mark where no criterion is met")
us = [t for t in records["questions"]["transfers"] if t["country"] == "US"]
need(us and all(t["mechanisms"] or t["adequacy"] for t in us), "US transfers with safeguards")

# Retention: per category, every rule that covers it, computed here from the rules.
def columns(table):
    return datamap["tables"][table]["columns"]
def category_of(value):
    return value if isinstance(value, str) else value["category"]
def length(keep):
    return periods[keep]["length"] if keep in periods else keep
def canonical(text):
    n, unit = text.split()
    unit = {"maand": "month", "maanden": "month", "jaar": "year", "dag": "day", "dagen": "day"}.get(unit, unit.rstrip("s"))
    return "%s %s%s" % (n, unit, "" if n == "1" else "s")
def covered(rule):
    if "categories" in rule: return rule["categories"]
    cols = columns(rule["table"])
    if rule["action"] == "anonymise": cols = {k: cols[k] for k in rule["columns"]}
    return sorted({category_of(v) for v in cols.values()})
for pid, r in records.items():
    for c in r["categories"]:
        want = [(x["name"], canonical(length(x["keep"])), x["from"], x["action"]) for x in retention["rules"] if c["id"] in covered(x)]
        got = [(t["rule"], t["keep"], t["from"], t["action"]) for t in r["retention"] if t["category"] == c["id"]]
        need(want and got == want, "retention of %s in %s: %s != %s" % (c["id"], pid, got, want))
if problems:
    print("\n".join(problems))
    sys.exit(1)
PY

# Every format, in the configured language and with --lang.
expect_status 0 "markdown (the configured language)" "$TC" --config "$CFG" register
expect_match "$WORK/out" "^# Register van verwerkingsactiviteiten van Voipgrow B.V.$" "Dutch heading"
expect_match "$WORK/out" "Grondslag" "Dutch labels"
expect_status 0 "markdown in English" "$TC" --config "$CFG" register --lang en
expect_match "$WORK/out" "^# Records of processing activities of Voipgrow B.V.$" "English heading"
expect_match "$WORK/out" "criterion 13 \(Communication data\)" "the DPIA criterion is named"
expect_status 2 "an unknown language" "$TC" --config "$CFG" register --lang de
expect_match "$WORK/err" "^telcomply: error: --lang: unknown language 'de' \(known: en, nl\)$" "names the languages"
expect_status 2 "an unknown format" "$TC" --config "$CFG" register --format pdf

# -o: mode 0600, never replaced without --force.
expect_status 0 "html to a file" "$TC" --config "$CFG" register --format html -o "$WORK/register.html"
[ "$(stat -c %a "$WORK/register.html")" = 600 ] && ok "mode 0600" || fail "mode $(stat -c %a "$WORK/register.html")"
expect_status 2 "an existing file is not replaced" "$TC" --config "$CFG" register -o "$WORK/register.html"
expect_status 0 "--force replaces it" "$TC" --config "$CFG" register --format html -o "$WORK/register.html" --force
expect_status 0 "csv" "$TC" --config "$CFG" register --format csv -o "$WORK/register.csv"

# Hostile names from the policy files: escaped in every format, the documents well-formed.
H="$WORK/hostile" && mkdir -p "$H" && cp -r "$EX/." "$H/"
sed -i 's|^    name: Facturering$|    name: "Fact\|uur <script>alert(1)</script> \\u202e =1+1, \\"x\\""|' "$H/policies/datamap.yaml"
for format in md html csv json; do
  expect_status 0 "hostile names: $format" "$TC" --config "$H/telcomply.yaml" register --format "$format" --lang en -o "$WORK/hostile.$format"
done
expect_no_match "$WORK/hostile.md" "<script>" "md: no raw HTML"
expect_match "$WORK/hostile.md" 'Fact\\\|uur &lt;script&gt;' "md: escaped"
expect_no_match "$WORK/hostile.html" "<script>" "html: no script"
python3 - "$WORK/hostile.html" "$WORK/register.html" <<'PY' && ok "html: well-formed, every element closed" || fail "html not well-formed"
import sys
from html.parser import HTMLParser
void = {"meta", "br", "hr", "img", "link", "input"}
class Check(HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack, self.bad, self.text = [], [], ""
    def handle_starttag(self, tag, attrs):
        if tag not in void: self.stack.append(tag)
    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag: self.bad.append(tag)
    def handle_data(self, data): self.text += data
for path in sys.argv[1:]:
    c = Check()
    c.feed(open(path, encoding="utf-8").read())
    c.close()
    assert not c.stack and not c.bad, (path, c.stack, c.bad)
    assert "\u202e" not in c.text, "a bidi control in the text"
    if "hostile" in path: assert "<script>alert(1)</script>" in c.text, "the name shows as text"
PY
python3 - "$WORK/hostile.csv" "$WORK/register.csv" <<'PY' && ok "csv: one record per purpose, equal columns, formulas defused" || fail "csv"
import csv, sys
for path in sys.argv[1:]:
    rows = list(csv.reader(open(path, newline="", encoding="utf-8")))
    assert len({len(r) for r in rows}) == 1, "rows of different lengths"
    assert len(rows) > 10
    for row in rows:
        for cell in row: assert not cell or cell[0] not in "=+-@", cell
    if "hostile" in path:
        assert any("<script>alert(1)</script>" in r[2] and '"x"' in r[2] for r in rows), "the purpose's name is one cell"
PY
python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$WORK/hostile.json" && ok "json: valid" || fail "json invalid"

# lint: a purpose without a legal basis is a finding at the category (exit 1).
L="$WORK/no-basis" && mkdir -p "$L" && cp -r "$EX/." "$L/"
line=$(grep -n '^  account:$' "$L/policies/datamap.yaml" | head -1 | cut -d: -f1)
sed -i '0,/^    legal_basis: /{/^    legal_basis: /d}' "$L/policies/datamap.yaml"
expect_status 1 "lint without a legal basis" "$TC" --config "$L/telcomply.yaml" lint
expect_match "$WORK/out" "datamap\.yaml:$line:3: error: category 'account' has no legal basis for purpose 'account-management'.* \[register-no-legal-basis\]" "names file:line:column"
expect_status 0 "the register is still written" "$TC" --config "$L/telcomply.yaml" register --format json
# A configuration without a security description.
sed -i '/^  security: >-$/,/^    heeft, /d' "$L/telcomply.yaml"
expect_status 1 "lint without a security description" "$TC" --config "$L/telcomply.yaml" lint
expect_match "$WORK/out" "telcomply\.yaml:[0-9]+:3: error: .*security measures.* \[register-no-security\]" "names the organisation"

finish
