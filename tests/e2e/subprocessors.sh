# telcomply subprocessors list|check|diff on the example registry and on altered copies.
source "$(dirname "$0")/lib.sh"
DATA="$SRC/tests/data/subprocessors"
REGISTRY="$SRC/examples/policies/subprocessors.yaml"

# --- list: the example in every format ----------------------------------------------
expect_status 0 "the example lists as Markdown" "$TC" --config "$CONFIG" subprocessors list --date 2026-11-20 --lang en
expect_match "$WORK/out" "^# Sub-processors of Voipgrow B.V.$" "heading names the organisation"
expect_match "$WORK/out" "^\| Zendesk, Inc\. \| Ticketsysteem" "a row per sub-processor"
expect_match "$WORK/out" "EU-US Data Privacy Framework; standard contractual clauses \(module 2\)" "transfer safeguards"
expect_match "$WORK/out" "from 15 December 2026 \(announced 2 November 2026\)" "an announced entry with its dates"
expect_no_match "$WORK/out" "Rocket Science" "removed entries are left out"
expect_status 0 "--all includes removed entries" "$TC" --config "$CONFIG" subprocessors list --all --lang en
expect_match "$WORK/out" "Rocket Science.*removed 1 April 2025" "the removed entry with its date"
# The configuration's language (nl) without --lang.
expect_status 0 "the list in the configuration's language" "$TC" --config "$CONFIG" subprocessors list --date 2026-11-20
expect_match "$WORK/out" "^# Subverwerkers van Voipgrow B.V.$" "Dutch heading"
expect_match "$WORK/out" "^Lijst per 20 november 2026\. " "Dutch date"
expect_match "$WORK/out" "EU-VS Data Privacy Framework; modelcontractbepalingen \(module 2\)" "Dutch transfer safeguards"
expect_match "$WORK/out" "vanaf 15 december 2026 \(aangekondigd op 2 november 2026\)" "Dutch dates of an announced entry"
expect_match "$WORK/out" "^- Landen: US \(Verenigde Staten\), IE \(Ierland\)$" "Dutch country names"
expect_status 2 "an unknown --lang" "$TC" --config "$CONFIG" subprocessors list --lang fr
expect_match "$WORK/err" "unknown language 'fr'" "names the language"

expect_status 0 "the example lists as HTML" "$TC" --config "$CONFIG" subprocessors list --format html
expect_match "$WORK/out" "^<!DOCTYPE html>$" "an HTML document"
expect_match "$WORK/out" "^<html lang=\"nl\">$" "in the configuration's language"
expect_match "$WORK/out" "^</html>$" "complete"
expect_no_match "$WORK/out" "<script|<link|src=|@import" "self-contained: no scripts or external resources"
# An operator's own template replaces the built-in one.
mkdir -p "$WORK/own/templates"
cp -r "$SRC/examples/." "$WORK/own/"
printf 'templates: templates\n' >> "$WORK/own/telcomply.yaml"
printf '<p>Eigen lijst: {{#entries}}{{name}}; {{/entries}}</p>\n' > "$WORK/own/templates/subprocessor-list.html.mustache"
expect_status 0 "an operator's list template" "$TC" --config "$WORK/own/telcomply.yaml" subprocessors list --format html
expect_match "$WORK/out" "<p>Eigen lijst: VoIPGRID B.V.; " "is used"

expect_status 0 "the example lists as CSV" "$TC" --config "$CONFIG" subprocessors list --format csv
expect_match "$WORK/out" "^id,legal_name,address," "CSV header"
if [ "$(wc -l < "$WORK/out")" -eq 10 ]; then ok "CSV: header and nine entries"; else fail "CSV rows: $(wc -l < "$WORK/out")"; fi

expect_status 0 "the example lists as JSON" "$TC" --config "$CONFIG" subprocessors list --format json
if python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d["subprocessors"]) == 9; assert d["organisation"] == "Voipgrow B.V."' "$WORK/out"; then
  ok "JSON parses with nine entries"
else
  fail "JSON list"
fi

expect_status 0 "--service limits the list" "$TC" --config "$CONFIG" subprocessors list --service administratie
expect_match "$WORK/out" "Sendinblue SAS" "an entry serving the service"
expect_no_match "$WORK/out" "VoIPGRID B.V." "an entry not serving it"
expect_status 2 "an unknown service" "$TC" --config "$CONFIG" subprocessors list --service nope
expect_match "$WORK/err" "unknown service 'nope'" "names the service"
expect_status 2 "an unknown format" "$TC" --config "$CONFIG" subprocessors list --format pdf

# -o writes a 0600 file and does not overwrite without --force.
expect_status 0 "-o writes a file" "$TC" --config "$CONFIG" subprocessors list -o "$WORK/list.md"
if [ "$(stat -c %a "$WORK/list.md")" = 600 ]; then ok "mode 0600"; else fail "mode $(stat -c %a "$WORK/list.md")"; fi
expect_status 2 "an existing file is kept" "$TC" --config "$CONFIG" subprocessors list -o "$WORK/list.md"
expect_status 0 "--force replaces it" "$TC" --config "$CONFIG" subprocessors list -o "$WORK/list.md" --force

# --- check ----------------------------------------------------------------------------
expect_status 0 "the example checks clean" "$TC" --config "$CONFIG" subprocessors check --date 2026-11-20
expect_match "$WORK/out" "^0 errors, 0 warnings$" "no findings"
expect_status 0 "the example checks without errors today" "$TC" --config "$CONFIG" subprocessors check
for format in json junit github sarif; do
  expect_status 0 "check --format $format" "$TC" --config "$CONFIG" subprocessors check --format "$format" --date 2026-11-20
done
expect_status 2 "check --format md is not a report format" "$TC" --config "$CONFIG" subprocessors check --format md

# A processor in the US without DPF certification or SCCs: exit 1, entry and field named.
mkdir -p "$WORK/us"
python3 - "$REGISTRY" "$WORK/us/no-safeguard.yaml" "$WORK/us/no-dpf.yaml" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
start = text.index("\n  zendesk:\n")
end = text.index("\n  aws-zendesk:\n")
block = text[start:end]
# No safeguard at all: drop the certification and the transfers.
bare = re.sub(r"\n    dpf_certified: true", "", block)
bare = re.sub(r"\n    transfers:\n(      .*\n|        .*\n)*", "\n", bare)
open(sys.argv[2], "w").write(text[:start] + bare + text[end:])
# The DPF claimed, but not certified and no SCCs.
nodpf = block.replace("dpf_certified: true", "dpf_certified: false")
nodpf = re.sub(r"\n      - mechanism: scc\n(        .*\n)*", "\n", nodpf)
open(sys.argv[3], "w").write(text[:start] + nodpf + text[end:])
PY
expect_status 1 "a US processor without safeguards fails" "$TC" --config "$CONFIG" subprocessors check --date 2026-11-20 "$WORK/us/no-safeguard.yaml"
expect_match "$WORK/out" "no-safeguard.yaml:[0-9]+:[0-9]+: error: sub-processor 'zendesk', field 'locations': US .*outside the EEA.*\[transfer-missing\]" "names entry, field and place"
expect_status 1 "the DPF without certification fails" "$TC" --config "$CONFIG" subprocessors check --date 2026-11-20 "$WORK/us/no-dpf.yaml"
expect_match "$WORK/out" "no-dpf.yaml:[0-9]+:[0-9]+: error: sub-processor 'zendesk', field 'dpf_certified': .*\[dpf-not-certified\]" "names the certification field"
expect_status 1 "github annotations" "$TC" --config "$CONFIG" subprocessors check --date 2026-11-20 --format github "$WORK/us/no-dpf.yaml"
expect_match "$WORK/out" "^::error file=.*no-dpf.yaml,line=[0-9]+,col=[0-9]+,title=dpf-not-certified::" "github annotation"
expect_status 1 "junit report" "$TC" --config "$CONFIG" subprocessors check --date 2026-11-20 --format junit "$WORK/us/no-dpf.yaml"
expect_match "$WORK/out" "<failure" "junit failure"
expect_status 1 "json report" "$TC" --config "$CONFIG" subprocessors check --date 2026-11-20 --format json "$WORK/us/no-dpf.yaml"
expect_match "$WORK/out" '"entry": "zendesk"' "json names the entry"

# Country code UK: invalid input, exit 2, file:line:column and the hint.
sed '0,/locations: \[NL\]/s//locations: [NL, UK]/' "$REGISTRY" > "$WORK/uk.yaml"
expect_status 2 "country code UK is invalid input" "$TC" --config "$CONFIG" subprocessors check "$WORK/uk.yaml"
expect_match "$WORK/err" "^telcomply: error: .*uk.yaml:[0-9]+:[0-9]+: 'locations': 'UK' is not an ISO 3166-1 alpha-2 code: use 'GB' \(United Kingdom\)$" "file:line:column and the hint"
expect_one_line "$WORK/err" "one line"
expect_status 2 "the list refuses it too" "$TC" --config "$CONFIG" subprocessors list "$WORK/uk.yaml"
sed '0,/locations: \[NL\]/s//locations: [EL]/' "$REGISTRY" > "$WORK/el.yaml"
expect_status 2 "country code EL is invalid input" "$TC" --config "$CONFIG" subprocessors check "$WORK/el.yaml"
expect_match "$WORK/err" "use 'GR' \(Greece\)" "the hint to GR"

# Incomplete entries are findings, never dropped.
expect_status 1 "an incomplete entry is a finding" "$TC" --config "$CONFIG" subprocessors check --date 2026-11-20 "$DATA/incomplete.yaml"
expect_match "$WORK/out" "incomplete.yaml:3:3: error: sub-processor 'half-done', field 'purpose': missing" "each missing field"
expect_match "$WORK/out" "field 'locations': IN .*\[transfer-missing\]" "and its transfer"
expect_status 0 "the list still shows it" "$TC" --config "$CONFIG" subprocessors list "$DATA/incomplete.yaml"
expect_match "$WORK/out" "Half Done B.V." "listed"

# Without a configuration, given files are checked against the shipped transfer list.
mkdir -p "$WORK/noconfig"
(cd "$WORK/noconfig" && "$TC" subprocessors check --date 2026-11-20 "$DATA/v1.yaml" > "$WORK/out" 2> "$WORK/err")
STATUS=$?
if [ "$STATUS" -eq 0 ]; then ok "no configuration needed with a FILE"; else fail "without configuration: exit $STATUS"; cat "$WORK/err"; fi
expect_status 2 "an unreadable file" "$TC" --config "$CONFIG" subprocessors check "$WORK/missing.yaml"
expect_status 2 "a directory" "$TC" --config "$CONFIG" subprocessors check "$WORK"
expect_status 2 "a bad --date" "$TC" --config "$CONFIG" subprocessors check --date 2026-02-30

# --- diff -----------------------------------------------------------------------------
expect_status 0 "diff of two versions" "$TC" --config "$CONFIG" subprocessors diff --date 2026-03-01 --format json "$DATA/v1.yaml" "$DATA/v2.yaml"
if python3 - "$WORK/out" <<'PY'
import json, sys
n = json.load(open(sys.argv[1]))
assert n["notice_date"] == "2026-03-01", n["notice_date"]
assert n["organisation"] == "Voipgrow B.V."
got = [(c["kind"], c["id"], c["announced"], c["effective"], c["objection_deadline"]) for c in n["changes"]]
want = [
    ("location-changed", "hosting", "2026-03-01", "2026-03-31", "2026-03-31"),
    ("renamed", "backups", "2026-03-01", "2026-03-31", "2026-03-31"),
    ("renamed", "ticket-desk", "2026-03-01", "2026-03-01", None),
    ("added", "newsletter", "2026-03-02", "2026-04-15", "2026-04-01"),
    ("removed", "mailer", "2026-03-01", "2026-04-30", None),
]
assert got == want, got
assert n["changes"][2]["old_id"] == "tickets"
assert n["changes"][0]["details"][0] == {"field": "locations", "before": "NL", "after": "NL, DE"}
PY
then ok "the notice has the right changes and dates"; else fail "notice dates"; cat "$WORK/out"; fi

expect_status 0 "the notice in Markdown" "$TC" --config "$CONFIG" subprocessors diff --date 2026-03-01 --lang en "$DATA/v1.yaml" "$DATA/v2.yaml"
expect_match "$WORK/out" "^# Notice of changes to our sub-processors: Voipgrow B.V.$" "heading"
expect_match "$WORK/out" "^\| New sub-processor \| Nieuwsbrief B.V. \(newsletter\) \| .* \| 2 March 2026 \| 15 April 2026 \| 1 April 2026 \|$" "the new sub-processor's dates"
expect_match "$WORK/out" "administratie@voipgrow.nl" "where to object"
expect_status 0 "the notice in the configuration's language" "$TC" --config "$CONFIG" subprocessors diff --date 2026-03-01 "$DATA/v1.yaml" "$DATA/v2.yaml"
expect_match "$WORK/out" "^# Kennisgeving van voorgenomen wijzigingen in onze subverwerkers: Voipgrow B.V.$" "Dutch heading"
expect_match "$WORK/out" "^\| Nieuwe subverwerker \| Nieuwsbrief B.V. \(newsletter\) \| .* \| 2 maart 2026 \| 15 april 2026 \| 1 april 2026 \|$" "Dutch dates"
expect_status 0 "the notice as an HTML page" "$TC" --config "$CONFIG" subprocessors diff --date 2026-03-01 --format html "$DATA/v1.yaml" "$DATA/v2.yaml"
expect_match "$WORK/out" "^<html lang=\"nl\">$" "in Dutch"
expect_match "$WORK/out" "<th>Bezwaar uiterlijk</th>" "with its headings"
expect_no_match "$WORK/out" "<script|<link|src=|@import" "self-contained"
expect_status 0 "diff --service" "$TC" --config "$CONFIG" subprocessors diff --date 2026-03-01 --service telefonie --format json "$DATA/v1.yaml" "$DATA/v2.yaml"
if python3 -c 'import json,sys; n=json.load(open(sys.argv[1])); assert [c["id"] for c in n["changes"]] == ["hosting", "ticket-desk"], n' "$WORK/out"; then
  ok "only the service's changes"
else
  fail "diff --service"
fi
expect_status 0 "no changes" "$TC" --config "$CONFIG" subprocessors diff --lang en "$DATA/v1.yaml" "$DATA/v1.yaml"
expect_match "$WORK/out" "^No changes\.$" "says so"
expect_status 0 "no changes, in Dutch" "$TC" --config "$CONFIG" subprocessors diff "$DATA/v1.yaml" "$DATA/v1.yaml"
expect_match "$WORK/out" "^Geen wijzigingen\.$" "says so in Dutch"
expect_status 2 "diff needs two files" "$TC" --config "$CONFIG" subprocessors diff "$DATA/v1.yaml"

# Short notice: a warning on standard error, the notice still written.
sed 's/effective: 2026-04-15/effective: 2026-03-10/' "$DATA/v2.yaml" > "$WORK/short.yaml"
expect_status 0 "short notice" "$TC" --config "$CONFIG" subprocessors diff --date 2026-03-01 --lang en "$DATA/v1.yaml" "$WORK/short.yaml"
expect_match "$WORK/err" "warning: newsletter \(added\) takes effect on 2026-03-10, before the notice period" "warns"
expect_match "$WORK/out" "10 March 2026 \(short notice\)" "marked in the notice"

# --git REV: the registry as committed, against the file as it is now.
REPO="$WORK/repo"
mkdir -p "$REPO/policies"
cp "$DATA/v1.yaml" "$REPO/policies/subprocessors.yaml"
git -C "$REPO" init -q
git -C "$REPO" -c user.name=test -c user.email=test@example.org add policies/subprocessors.yaml
git -C "$REPO" -c user.name=test -c user.email=test@example.org commit -q -m v1
cp "$DATA/v2.yaml" "$REPO/policies/subprocessors.yaml"
expect_status 0 "diff --git HEAD" "$TC" --config "$CONFIG" subprocessors diff --date 2026-03-01 --format json --git HEAD "$REPO/policies/subprocessors.yaml"
if python3 -c 'import json,sys; n=json.load(open(sys.argv[1])); assert len(n["changes"]) == 5 and n["changes"][3]["effective"] == "2026-04-15", n' "$WORK/out"; then
  ok "the notice from git"
else
  fail "diff --git"
fi
expect_status 2 "an unknown revision" "$TC" --config "$CONFIG" subprocessors diff --git no-such-rev "$REPO/policies/subprocessors.yaml"
expect_match "$WORK/err" "cannot read 'no-such-rev:.*subprocessors.yaml'" "names the revision and file"
expect_status 2 "a revision that looks like an option" "$TC" --config "$CONFIG" subprocessors diff --git=--output=/tmp/x "$REPO/policies/subprocessors.yaml"
expect_match "$WORK/err" "invalid git revision" "refused"
expect_status 2 "a revision with shell characters" "$TC" --config "$CONFIG" subprocessors diff --git 'HEAD;touch x' "$REPO/policies/subprocessors.yaml"
if [ ! -e x ] && [ ! -e "$REPO/x" ]; then ok "nothing ran"; else fail "a shell ran"; fi
# In the example tree, --git defaults to the configured registry.
if git -C "$SRC" rev-parse --verify -q HEAD:examples/policies/subprocessors.yaml > /dev/null; then
  expect_status 0 "diff --git HEAD on the configured registry" "$TC" --config "$CONFIG" subprocessors diff --git HEAD
fi

# --- help and man page ----------------------------------------------------------------
expect_status 0 "help" "$TC" subprocessors --help
expect_status 2 "a subcommand is required" "$TC" subprocessors

finish
