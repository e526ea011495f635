# telcomply lint on the shipped policies and the example, and on broken files.
source "$(dirname "$0")/lib.sh"
DB=$(example_db)

expect_status 0 "the example lints clean" "$TC" lint --config "$CONFIG"
expect_match "$WORK/out" "^0 errors, 0 warnings$" "no findings"
expect_status 0 "the example lints clean against its database" "$TC" lint --config "$CONFIG" --db "$DB"
expect_status 0 "the shipped policies lint clean" "$TC" lint --config "$CONFIG" "$SRC"/policies/*.yaml
expect_status 0 "json output" "$TC" lint --config "$CONFIG" --format json
expect_match "$WORK/out" '"errors": 0' "json counts"

# A malformed policy: exit 2 with file:line:column.
mkdir -p "$WORK/broken"
cp -r "$SRC/examples/." "$WORK/broken/"
ln -s "$SRC/policies" "$WORK/policies"
printf 'categories:\n  contact:\n    purposes: [a\n' > "$WORK/broken/policies/datamap.yaml"
expect_status 2 "a broken YAML file" "$TC" lint --config "$WORK/broken/telcomply.yaml"
expect_match "$WORK/err" "^telcomply: error: .*datamap.yaml:[0-9]+:[0-9]+: " "file:line:column"
expect_one_line "$WORK/err" "one line"

# An unknown key: exit 2 with a did-you-mean.
cp "$SRC/examples/policies/datamap.yaml" "$WORK/broken/policies/datamap.yaml"
sed -i '0,/legal_basis:/s//legal_bases:/' "$WORK/broken/policies/datamap.yaml"
expect_status 2 "an unknown key" "$TC" lint --config "$WORK/broken/telcomply.yaml"
expect_match "$WORK/err" "datamap.yaml:[0-9]+:[0-9]+: unknown key 'legal_bases'.*did you mean 'legal_basis'" "did you mean"

# An inconsistent policy: findings, exit 1, in every format.
cp "$SRC/examples/policies/datamap.yaml" "$WORK/broken/policies/datamap.yaml"
printf '  ghost_table:\n    link: {column: customer_id, parent: nowhere}\n    columns:\n      x: no_such_category\n' > "$WORK/extra.yaml"
python3 - "$WORK/broken/policies/datamap.yaml" "$WORK/extra.yaml" <<'PY'
import sys
path, extra = sys.argv[1], open(sys.argv[2]).read()
text = open(path).read()
i = text.index("\ntables:\n") + len("\ntables:\n")
open(path, "w").write(text[:i] + extra + text[i:])
PY
expect_status 1 "an inconsistent data map" "$TC" lint --config "$WORK/broken/telcomply.yaml"
expect_match "$WORK/out" "datamap.yaml:[0-9]+:[0-9]+: error: .*no_such_category.* \[undefined-category\]" "undefined category"
expect_match "$WORK/out" "nowhere.* \[unknown-table\]" "unknown parent table"
expect_status 1 "github format" "$TC" lint --config "$WORK/broken/telcomply.yaml" --format github
expect_match "$WORK/out" "^::error file=.*datamap.yaml,line=[0-9]+,col=[0-9]+,title=undefined-category::" "github annotation"
expect_status 1 "sarif format" "$TC" lint --config "$WORK/broken/telcomply.yaml" --format sarif
expect_match "$WORK/out" '"ruleId": "undefined-category"' "sarif result"
expect_status 2 "a bad format" "$TC" lint --config "$CONFIG" --format xml
# Other subcommands refuse to run on an inconsistent policy.
expect_status 2 "commands refuse an inconsistent policy" "$TC" export --config "$WORK/broken/telcomply.yaml" --customer C-0001

# A cookie declared twice stops lint, but not the commands that do not read the cookie policy:
# access requests and the retention run go on.
mkdir -p "$WORK/cookie-twice"
cp -r "$SRC/examples/." "$WORK/cookie-twice/"
COOKIES="$WORK/cookie-twice/policies/cookies.yaml"
first=$(grep -n '^  - name: CookieConsent$' "$COOKIES" | cut -d: -f1)
again=$(($(wc -l < "$COOKIES") + 1))
sed -n "${first},$((first + 5))p" "$COOKIES" >> "$COOKIES"
TWICE=(--config "$WORK/cookie-twice/telcomply.yaml" --db "$DB")
expect_status 0 "export with a cookie declared twice" "$TC" "${TWICE[@]}" export --customer C-0001 -o "$WORK/twice.json"
expect_match "$WORK/twice.json" '"customer_number":"C-0001"' "the package is written"
expect_status 0 "scrub (dry run) with a cookie declared twice" env TELCOMPLY_PSEUDONYM_KEY=e2e-key-0123456789abcdef "$TC" "${TWICE[@]}" scrub --as-of 2026-11-23
expect_status 2 "lint with a cookie declared twice" "$TC" "${TWICE[@]}" lint
expect_match "$WORK/err" "cookies\.yaml:$again:5: cookie 'CookieConsent' of voipgrid\.nl is already declared at .*cookies\.yaml:$first:5" "lint names both places"
expect_one_line "$WORK/err" "one line"

# Against the database: an unclassified column is a finding.
cp "$DB" "$WORK/altered.db"
sqlite3 "$WORK/altered.db" "ALTER TABLE customers ADD COLUMN shoe_size INTEGER"
expect_status 1 "an unclassified column" "$TC" lint --config "$CONFIG" --db "$WORK/altered.db"
expect_match "$WORK/out" "customers.shoe_size' exists in the database but is not classified" "names the column"

# Against the database: a retention rule that does not fit the schema is a finding.
mkdir -p "$WORK/masked" && cp -r "$SRC/examples/." "$WORK/masked/"
sed -i '/^    columns:$/{n;s/^\(      \)company_name: null/\1customer_number: null\n\1company_name: null/}' "$WORK/masked/policies/retention.yaml"
expect_status 1 "a mask on the customer number" "$TC" lint --config "$WORK/masked/telcomply.yaml" --db "$DB"
expect_match "$WORK/out" "retention.yaml:[0-9]+:[0-9]+: error: .*customers.customer_number.*\[retention-" "names the rule and column"

# Files given on the command line are sorted into their kinds.
expect_status 1 "a given file is checked with the configuration" "$TC" lint --config "$CONFIG" "$WORK/broken/policies/datamap.yaml"
printf 'hello: world\n' > "$WORK/unknown.yaml"
expect_status 2 "a file of no known kind" "$TC" lint --config "$CONFIG" "$WORK/unknown.yaml"
expect_status 2 "a directory instead of a file" "$TC" lint --config "$CONFIG" "$WORK"
expect_match "$WORK/err" "is a directory" "says it is a directory"

finish
