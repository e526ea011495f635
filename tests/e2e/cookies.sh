# telcomply cookies check|scan|table with the real binary, the example's cookie policy and the
# inventories under tests/data/cookies (the HARs recorded from headless Chromium by
# tests/data/cookies/record-har.sh). The scan against a live local server runs in the unit
# tests (tests/cookies/cookies_test.cpp), which start their own server on 127.0.0.1.
source "$(dirname "$0")/lib.sh"
DATA="$SRC/tests/data/cookies"
AT=(--captured-at 2026-11-02T09:14:06Z)

# The HARs from a real Chromium: the clean site passes, the extra tracking cookie fails.
expect_status 0 "the clean Chromium HAR passes" "$TC" --config "$CONFIG" cookies check "$DATA/chromium-clean.har"
expect_match "$WORK/out" "^0 errors, [0-9]+ warnings$" "no errors"
expect_match "$WORK/out" "chromium-clean.har:[0-9]+:[0-9]+: warning: functional cookie 'CookieConsent' is set without HttpOnly \[insecure-functional\]" "CookieConsent is not HttpOnly"
expect_status 1 "the HAR with an undeclared tracking cookie fails" "$TC" --config "$CONFIG" cookies check "$DATA/chromium-tracking.har"
expect_match "$WORK/out" "chromium-tracking.har:[0-9]+:[0-9]+: error: undeclared cookie '_fbp' of voipgrid.nl \(first party\) \[undeclared-cookie\]" "names _fbp with its place"
expect_match "$WORK/out" "^1 error, [0-9]+ warnings$" "one error"
# The same with the policy files given directly, without a configuration.
expect_status 1 "--policy needs no configuration" env -C "$WORK" "$TC" cookies check \
  --policy "$SRC/policies/cookies-nl.yaml" --policy "$SRC/examples/policies/cookies.yaml" "$DATA/chromium-tracking.har"

# The recording itself, afresh, where Chromium and Node are installed.
if [ -x /usr/bin/chromium ] && command -v node >/dev/null && command -v openssl >/dev/null; then
  mkdir -p "$WORK/har"
  if OUT_DIR="$WORK/har" timeout 180 bash "$DATA/record-har.sh" > "$WORK/record.log" 2>&1; then
    ok "record-har.sh records from headless Chromium"
    expect_status 0 "a fresh clean recording passes" "$TC" --config "$CONFIG" cookies check "$WORK/har/chromium-clean.har"
    expect_status 1 "a fresh tracking recording fails" "$TC" --config "$CONFIG" cookies check "$WORK/har/chromium-tracking.har"
    expect_match "$WORK/out" "error: undeclared cookie '_fbp'" "and names _fbp"
  else
    fail "record-har.sh failed"; sed 's/^/  | /' "$WORK/record.log" | tail -10
  fi
else
  echo "skip: no chromium, node or openssl here; the committed recordings are checked above"
fi

# Cookie values never appear, in any format.
values=$(grep -oE '"value": "[^"]*"' "$DATA/chromium-tracking.har" | sed 's/"value": "//; s/"$//' | sort -u | grep -vE '^(|1|\?1|no-cache|keep-alive|document|image|style|navigate|none|same-origin|no-cors|text/html.*)$' | grep -E '^[a-z0-9]{12,}$|^fb\.' )
[ -n "$values" ] && ok "the recording holds cookie values" || fail "no cookie values found in the recording"
for format in text json junit sarif github; do
  run "$TC" --config "$CONFIG" cookies check --format "$format" "$DATA/chromium-tracking.har"
  leaked=""
  for v in $values; do grep -qF -- "$v" "$WORK/out" "$WORK/err" && leaked="$leaked $v"; done
  [ -z "$leaked" ] && ok "$format: no cookie value in the output" || fail "$format: cookie values in the output:$leaked"
done
run "$TC" --config "$CONFIG" cookies check --format json "$DATA/chromium-tracking.har"
expect_match "$WORK/out" '"rule": "undeclared-cookie"' "json names the rule"
expect_match "$WORK/out" '"entry": "_fbp"' "json names the entry"
run "$TC" --config "$CONFIG" cookies check --format github "$DATA/chromium-tracking.har"
expect_match "$WORK/out" "^::error file=.*chromium-tracking.har,line=[0-9]+,col=[0-9]+,title=undeclared-cookie::" "github annotation"
run "$TC" --config "$CONFIG" cookies check --format sarif "$DATA/chromium-tracking.har"
expect_match "$WORK/out" '"ruleId": "undeclared-cookie"' "sarif result"
run "$TC" --config "$CONFIG" cookies check --format junit "$DATA/chromium-tracking.har"
expect_match "$WORK/out" '<testsuite' "junit suite"

# Every other format, each from a realistic file.
expect_status 1 "EDPS inspection.json: an undeclared storage key" "$TC" --config "$CONFIG" cookies check "$DATA/edps-inspection.json"
expect_match "$WORK/out" "edps-inspection.json:[0-9]+:[0-9]+: error: undeclared local-storage key 'CookieConsentBulkSetting-a1b2c3'" "names the key"
expect_no_match "$WORK/out" "set-before-consent" "analytics is exempt by attestation"
expect_status 1 "cookies.txt: the seed's 2- and 3-year trackers exceed 13 months" "$TC" --config "$CONFIG" cookies check "${AT[@]}" "$DATA/cookies.txt"
expect_match "$WORK/out" "examples/policies/cookies.yaml:[0-9]+:[0-9]+: error: cookie 'bcookie' is declared to last 2 years, above the 13 months allowed for category tracking .*\[lifetime-above-limit\]" "bcookie above the limit"
expect_match "$WORK/out" "cookie 'bscookie' is declared to last 3 years" "bscookie above the limit"
expect_no_match "$WORK/out" "MUIDB.*lifetime-above-limit" "MUIDB is not judged: the inventory does not show it"
expect_status 0 "Playwright storageState passes" "$TC" --config "$CONFIG" cookies check "${AT[@]}" "$DATA/playwright-state.json"
expect_status 0 "CSV passes" "$TC" --config "$CONFIG" cookies check "$DATA/inventory.csv"
expect_status 1 "CSV with --strict: warnings count" "$TC" --config "$CONFIG" cookies check --strict "$DATA/inventory.csv"
expect_status 0 "scan format passes" "$TC" --config "$CONFIG" cookies check "$DATA/scan.json"
expect_status 1 "several inventories at once" "$TC" --config "$CONFIG" cookies check "${AT[@]}" "$DATA/scan.json" "$DATA/cookies.txt"
expect_status 0 "standard input with --input-format" sh -c "\"$TC\" --config \"$CONFIG\" cookies check --input-format csv - < \"$DATA/inventory.csv\""

# Before consent: the consent-requiring cookies of a consented session are errors.
expect_status 1 "--before-consent" "$TC" --config "$CONFIG" cookies check --before-consent "${AT[@]}" "$DATA/cookies.txt"
expect_match "$WORK/out" "error: cookie '_gcl_au' \(category tracking\) needs consent but was set before consent \[set-before-consent\]" "_gcl_au before consent"

# Lifetimes from a CSV: a cookie living longer than declared, a session cookie persisting.
cat > "$WORK/long.csv" <<'EOF'
name,domain,expires,secure,httponly,captured
PHPSESSID,www.voipgrid.nl,2026-12-02T10:00:00Z,true,true,2026-11-02T10:00:00Z
_gid,.voipgrid.nl,2026-11-09T10:00:00Z,false,false,2026-11-02T10:00:00Z
EOF
expect_status 1 "lifetimes" "$TC" --config "$CONFIG" cookies check "$WORK/long.csv"
expect_match "$WORK/out" "long.csv:2:1: error: cookie 'PHPSESSID' is declared a session cookie .* but persists for 30 days \[session-mismatch\]" "session that persists"
expect_match "$WORK/out" "long.csv:3:1: error: cookie '_gid' lasts 7 days, longer than the declared 2 days .*\[lifetime-exceeded\]" "lifetime exceeded"

# Unreadable or malformed input: exit 2 with the place, one line, no value.
printf '{"log": {"entries": [\n  {"request": {"cookies": [{"name": "a", "value": "TOPSECRET" "x"}]}}]}}' > "$WORK/bad.har"
expect_status 2 "malformed JSON" "$TC" --config "$CONFIG" cookies check "$WORK/bad.har"
expect_match "$WORK/err" "^telcomply: error: .*bad.har:2:[0-9]+: malformed JSON" "file:line:column"
expect_one_line "$WORK/err" "one line"
expect_no_match "$WORK/err" "TOPSECRET" "no value in the message"
printf 'hello\n' > "$WORK/what.txt"
expect_status 2 "an unknown format" "$TC" --config "$CONFIG" cookies check "$WORK/what.txt"
expect_match "$WORK/err" "not a cookie inventory telcomply knows" "says which formats it knows"
expect_status 2 "a missing file" "$TC" --config "$CONFIG" cookies check "$WORK/none.har"
expect_status 2 "no inventory" "$TC" --config "$CONFIG" cookies check
expect_status 2 "no policy and no configuration" env -C "$WORK" "$TC" cookies check "$DATA/scan.json"
expect_match "$WORK/err" "no cookie policy: give --policy FILE" "says how to give one"
expect_status 2 "a bad format" "$TC" --config "$CONFIG" cookies check --format xml "$DATA/scan.json"
expect_status 2 "a bad capture time" "$TC" --config "$CONFIG" cookies check --captured-at yesterday "$DATA/cookies.txt"
printf 'site: [x.nl]\ncategories: {functional: {}}\ncookies:\n  - {name: a, provider: x.nl, expiry: 1 dag, category: functionl}\n' > "$WORK/p.yaml"
expect_status 2 "a broken policy" "$TC" cookies check --policy "$WORK/p.yaml" "$DATA/scan.json"
expect_match "$WORK/err" "p.yaml:4:[0-9]+: cookie 'a': unknown category 'functionl'; did you mean 'functional'" "policy file:line:column"

# The table: the seed's 21 rows, as published.
expect_status 0 "table" "$TC" --config "$CONFIG" cookies table
rows=$(grep -c '^| [^-]' "$WORK/out")
[ "$rows" -eq 24 ] && ok "21 rows and 3 header rows" || fail "table has $rows rows, expected 21 plus 3 headers"
# Markdown escapes '_' (as the sub-processor list does); a reader sees _dc_gtm_UA-#.
# In the configuration's language (nl), expiries read as Dutch durations ("2 day" in the
# policy is "2 dagen"), each row with its purpose.
expect_match "$WORK/out" '^\| \\_dc\\_gtm\\_UA-# \| voipgrid.nl \| HTTP \| 1 dag \| Google Tag Manager; ' "pattern row"
expect_match "$WORK/out" '^\| \\_gid \| voipgrid.nl \| HTTP \| 2 dagen \| ' "expiry as a Dutch duration"
expect_match "$WORK/out" '^\| pagead/1p-user-list/# \| google.com \| Pixel \| sessie \| ' "pixel row"
expect_match "$WORK/out" '^## Tracking cookies$' "category heading"
expect_match "$WORK/out" '^\| Cookie \| Aanbieder \| Soort \| Bewaartermijn \| Doel \|$' "Dutch headings"
expect_status 0 "table --lang en" "$TC" --config "$CONFIG" cookies table --lang en
expect_match "$WORK/out" '^\| \\_gid \| voipgrid.nl \| HTTP \| 2 days \| ' "expiry as an English duration"
expect_match "$WORK/out" '^\| Cookie \| Provider \| Type \| Expiry \| Purpose \|$' "English headings"
expect_status 2 "--lang of a language telcomply does not know" "$TC" --config "$CONFIG" cookies table --lang de
expect_match "$WORK/err" "^telcomply: error: --lang: unknown language 'de' \(known: en, nl\)" "names the language"
expect_status 2 "--fragment is for html" "$TC" --config "$CONFIG" cookies table --fragment
expect_status 0 "an html fragment" "$TC" --config "$CONFIG" cookies table --format html --fragment
expect_no_match "$WORK/out" "<html|<head|<body" "the fragment holds no page"
expect_match "$WORK/out" '^<section class="cookie-table">' "the fragment is the table"
# An operator's own template replaces the built-in one; a broken one is invalid input.
copy_example
mkdir -p "$EX/templates"
printf 'templates: templates\n' >> "$CFG"
printf '<table class="voipgrow">{{#categories}}<tr><td>{{name}}</td></tr>{{/categories}}</table>\n' > "$EX/templates/cookie-table.html.mustache"
expect_status 0 "an operator's template" "$TC" --config "$CFG" cookies table --format html
expect_match "$WORK/out" '<table class="voipgrow"><tr><td>Functionele cookies</td></tr>' "the operator's template is used"
expect_match "$WORK/out" '^<html lang="nl">' "inside telcomply's page"
expect_status 0 "lint accepts the operator's template" "$TC" --config "$CFG" lint
printf '{{#categories}}\n' > "$EX/templates/cookie-table.html.mustache"
expect_status 2 "a broken template" "$TC" --config "$CFG" cookies table --format html
expect_match "$WORK/err" "templates/cookie-table.html.mustache: " "names the template"
expect_one_line "$WORK/err" "one line"
expect_status 2 "lint refuses the broken template" "$TC" --config "$CFG" lint
printf 'x' > "$EX/templates/cookies.html"
rm "$EX/templates/cookie-table.html.mustache"
expect_status 2 "lint refuses a file that replaces no template" "$TC" --config "$CFG" lint
expect_match "$WORK/err" "cookies.html' replaces no template of telcomply" "names the file"
for format in html csv json; do
  expect_status 0 "table --format $format" "$TC" --config "$CONFIG" cookies table --format "$format"
done
expect_match "$WORK/out" '"needs_consent": false' "json says whether consent is needed"
expect_status 0 "table to a file" "$TC" --config "$CONFIG" cookies table --format html -o "$WORK/table.html"
[ "$(stat -c %a "$WORK/table.html")" = 600 ] && ok "written with mode 0600" || fail "mode $(stat -c %a "$WORK/table.html")"
expect_status 2 "an existing file is not replaced" "$TC" --config "$CONFIG" cookies table -o "$WORK/table.html"
expect_status 0 "unless --force" "$TC" --config "$CONFIG" cookies table -o "$WORK/table.html" --force
expect_status 2 "an unknown table format" "$TC" --config "$CONFIG" cookies table --format pdf

# The scan refuses what is not http(s) and fails plainly when nothing answers.
expect_status 2 "scan: file URLs are refused" "$TC" cookies scan file:///etc/passwd
expect_status 2 "scan: a bad --cookie" "$TC" cookies scan --cookie novalue http://127.0.0.1:9/
expect_status 4 "scan: nothing listening" "$TC" cookies scan --timeout 5 http://127.0.0.1:9/ -o "$WORK/nothing.json"
[ ! -e "$WORK/nothing.json" ] && ok "no partial output" || fail "a failed scan left $WORK/nothing.json"
expect_status 0 "scan help says JavaScript needs a browser" "$TC" cookies scan --help
expect_match "$WORK/out" "JavaScript need a browser" "help"

finish
