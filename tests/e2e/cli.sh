# The command line itself: version, help, exit statuses, configuration discovery.
source "$(dirname "$0")/lib.sh"

expect_status 0 "--version" "$TC" --version
expect_match "$WORK/out" '^telcomply [0-9]+\.[0-9]+\.[0-9]+$' "version line"

# Every library is linked normally: ldd (and so dpkg-shlibdeps) sees libcurl.
ldd "$TC" > "$WORK/ldd" 2>&1
expect_match "$WORK/ldd" '^\s*libcurl\.so\.4 => /' "ldd lists libcurl"

expect_status 0 "--help" "$TC" --help
for sub in export scrub cookies subprocessors lint; do
  expect_match "$WORK/out" "^  $sub" "help lists $sub"
done

expect_status 2 "no subcommand" "$TC"
expect_status 2 "unknown option" "$TC" --frobnicate
expect_match "$WORK/err" "^telcomply: error: " "error prefix"
expect_status 2 "unknown subcommand" "$TC" frobnicate
expect_status 2 "unknown option of a subcommand" "$TC" lint --config "$CONFIG" --nope
expect_match "$WORK/err" "^telcomply: error: .*--nope" "names the bad option"

# Misspellings: did you mean, and the help of the command it was given to.
expect_status 2 "a misspelled command" "$TC" exprot --customer C-0001
expect_match "$WORK/err" "^telcomply: error: unknown command 'exprot'; did you mean 'export'\? \(see 'telcomply --help'\)$" "did you mean export"
expect_one_line "$WORK/err" "one line"
expect_status 2 "a misspelled nested command" "$TC" cookies chek x.har
expect_match "$WORK/err" "unknown command 'chek'; did you mean 'check'\? \(see 'telcomply cookies --help'\)$" "did you mean check"
expect_status 2 "a misspelled option" "$TC" --config "$CONFIG" export --customer C-0001 --fromat html
expect_match "$WORK/err" "^telcomply: error: unknown option '--fromat'; did you mean '--format'\? \(see 'telcomply export --help'\)$" "did you mean --format"
expect_status 2 "a misspelled option with =" "$TC" --config "$CONFIG" lint --strictt=1
expect_match "$WORK/err" "unknown option '--strictt'; did you mean '--strict'\?" "did you mean --strict"
expect_status 2 "a misspelled global option" "$TC" --confg "$CONFIG" lint
expect_match "$WORK/err" "unknown option '--confg'; did you mean '--config'\?" "did you mean --config"
expect_status 2 "no command" "$TC" --config "$CONFIG"
expect_match "$WORK/err" "^telcomply: error: no command given" "says a command is needed"

# Every command's help ends with examples and its manual page.
for cmd in "" export scrub lint register cookies "cookies check" "cookies scan" "cookies table" \
  subprocessors "subprocessors list" "subprocessors check" "subprocessors diff"; do
  page="telcomply${cmd:+-${cmd%% *}}"
  # shellcheck disable=SC2086
  "$TC" $cmd --help > "$WORK/help"
  if grep -q "^Examples:$" "$WORK/help" && grep -q "^  telcomply " "$WORK/help" &&
     [ "$(tail -n 1 "$WORK/help")" = "See $page(1)." ]; then
    ok "'telcomply $cmd --help' ends with examples and See $page(1)"
  else
    fail "'telcomply $cmd --help' lacks examples or See $page(1)"; tail -5 "$WORK/help"
  fi
done

# --quiet: nothing on success; findings still shown. --verbose names the configuration.
expect_status 0 "lint --quiet on a clean policy" "$TC" --config "$CONFIG" -q lint
[ ! -s "$WORK/out" ] && [ ! -s "$WORK/err" ] && ok "--quiet prints nothing on success" || fail "--quiet printed something"
expect_status 0 "cookies check --quiet with warnings only" "$TC" --config "$CONFIG" cookies --quiet check "$SRC/tests/data/cookies/chromium-clean.har"
expect_match "$WORK/out" "warning: functional cookie 'CookieConsent'" "the warnings (findings) stay"
expect_no_match "$WORK/out" "errors, " "no summary line"
expect_status 0 "lint --verbose" "$TC" --config "$CONFIG" lint --verbose
expect_match "$WORK/err" "^telcomply: configuration $CONFIG$" "names the configuration"
expect_status 2 "--quiet and --verbose" "$TC" --config "$CONFIG" -q -v lint

# JUnit: one test case per finding; a warnings-only run that passes has no failures.
expect_status 0 "junit of a warnings-only run" "$TC" --config "$CONFIG" cookies check --format junit "$SRC/tests/data/cookies/chromium-clean.har"
expect_match "$WORK/out" '<testsuites name="telcomply cookies check" tests="[0-9]+" failures="0" errors="0" time="[0-9.]+">' "failures=0 and time"
expect_match "$WORK/out" '<testsuite .* time="[0-9.]+" timestamp="[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}">' "time and timestamp"
expect_match "$WORK/out" '<testcase classname="telcomply cookies check" name="insecure-functional: CookieConsent">' "a test case per finding"
expect_no_match "$WORK/out" "<failure" "no failure element"
python3 -c 'import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])' "$WORK/out" && ok "well-formed JUnit" || fail "JUnit is not well-formed"

# A policy file that does not load still gives the CI format asked for, with the error at its
# place, and exit 2 with the error on standard error.
mkdir -p "$WORK/broken" && cp -r "$SRC/examples/." "$WORK/broken/"
printf 'categories:\n  contact:\n    purposes: [a\n' > "$WORK/broken/policies/datamap.yaml"
expect_status 2 "a broken policy with --format sarif" "$TC" --config "$WORK/broken/telcomply.yaml" lint --format sarif
python3 - "$WORK/out" > "$WORK/check" 2>&1 <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["runs"][0]["results"]
assert len(results) == 1, results
r = results[0]
loc = r["locations"][0]["physicalLocation"]
assert r["ruleId"] == "invalid-input" and r["level"] == "error", r
assert loc["artifactLocation"]["uri"].endswith("broken/policies/datamap.yaml"), loc
assert loc["region"]["startLine"] >= 3 and loc["region"]["startColumn"] >= 1, loc
print("all good")
PY
expect_match "$WORK/check" "^all good$" "one SARIF result at the error's file:line:column"
expect_match "$WORK/err" "^telcomply: error: .*datamap.yaml:[0-9]+:[0-9]+: " "the error on standard error too"
expect_status 2 "a broken policy with --format github" "$TC" --config "$WORK/broken/telcomply.yaml" lint --format github
expect_match "$WORK/out" "^::error file=.*broken/policies/datamap.yaml,line=[0-9]+,col=[0-9]+,title=invalid-input::" "a GitHub annotation at its place"
expect_status 2 "a broken policy with --format junit" "$TC" --config "$WORK/broken/telcomply.yaml" lint --format junit
expect_match "$WORK/out" 'failures="1"' "one JUnit failure"
expect_match "$WORK/out" '<failure type="error" message="[^"]+">[^<]*datamap.yaml:[0-9]+:[0-9]+: ' "at its place"
expect_status 2 "a broken policy with text: standard error only" "$TC" --config "$WORK/broken/telcomply.yaml" lint
[ ! -s "$WORK/out" ] && ok "text output stays empty" || fail "text output is not empty"

# Progress on a terminal: percentage and time left, redrawn in place; TERM=dumb plain lines.
DB_BIG="$WORK/progress.db"
generate_db "$DB_BIG" --customers 50 --calls 140000 --big-customer-calls 140000
copy_example
tty_export() { script -qec "TERM=$1 '$TC' --config '$CFG' --db '$DB_BIG' $2 export --customer C-0001 -o '$WORK/big.json' --force" /dev/null > "$WORK/tty" 2>&1; }
tty_export xterm ""
expect_match "$WORK/tty" $'\r'"exporting [a-z_]+: [0-9]+ of [0-9]+ records \([0-9]+%" "a percentage on a terminal"
grep -q $'\x1b\\[K' "$WORK/tty" && ok "redrawn in place" || fail "no redraw on a terminal"
tty_export dumb ""
expect_match "$WORK/tty" "^exporting [a-z_]+: [0-9]+ of [0-9]+ records \([0-9]+%" "plain progress lines with TERM=dumb"
grep -q $'\x1b' "$WORK/tty" && fail "escape codes with TERM=dumb" || ok "no escape codes with TERM=dumb"
tty_export xterm -q
[ ! -s "$WORK/tty" ] && ok "--quiet: no progress, no note" || { fail "--quiet printed on a terminal"; head -3 "$WORK/tty"; }

# Configuration discovery: --config, then $TELCOMPLY_CONFIG, then ./telcomply.yaml, then
# /etc/telcomply/telcomply.yaml (that last one in tests/policy/policy_test.cpp, find_config).
mkdir -p "$WORK/empty"
expect_status 2 "no configuration anywhere" bash -c "cd '$WORK/empty' && '$TC' lint"
expect_match "$WORK/err" "no configuration" "says how to give a configuration"
expect_one_line "$WORK/err" "one-line error"
expect_status 2 "--print-config-path without a configuration" bash -c "cd '$WORK/empty' && '$TC' --print-config-path"
expect_match "$WORK/err" "no configuration: .*TELCOMPLY_CONFIG.*/etc/telcomply/telcomply.yaml" "lists where it looked"
expect_status 0 "TELCOMPLY_CONFIG is used" env TELCOMPLY_CONFIG="$CONFIG" bash -c "cd '$WORK/empty' && '$TC' lint"
expect_status 0 "--print-config-path: TELCOMPLY_CONFIG" env TELCOMPLY_CONFIG="$CONFIG" bash -c "cd '$WORK/empty' && '$TC' --print-config-path"
expect_match "$WORK/out" "^$CONFIG$" "prints \$TELCOMPLY_CONFIG"
cp -r "$SRC/examples" "$WORK/ex"
expect_status 0 "./telcomply.yaml is found" bash -c "cd '$WORK/ex' && '$TC' lint"
expect_status 0 "--print-config-path: ./telcomply.yaml" bash -c "cd '$WORK/ex' && '$TC' --print-config-path"
expect_match "$WORK/out" "^telcomply.yaml$" "prints ./telcomply.yaml"
printf 'organisation: {name: x, privacy_contact: y}\npolicies: {data_map: missing.yaml}\n' > "$WORK/empty/telcomply.yaml"
expect_status 0 "TELCOMPLY_CONFIG wins over ./telcomply.yaml" env TELCOMPLY_CONFIG="$CONFIG" bash -c "cd '$WORK/empty' && '$TC' lint"
expect_status 2 "./telcomply.yaml is read without TELCOMPLY_CONFIG" bash -c "cd '$WORK/empty' && '$TC' lint"
expect_match "$WORK/err" "missing.yaml': no such file" "names the missing policy file"
expect_status 0 "--config wins over TELCOMPLY_CONFIG" env TELCOMPLY_CONFIG="$WORK/empty/telcomply.yaml" "$TC" --config "$CONFIG" --print-config-path
expect_match "$WORK/out" "^$CONFIG$" "prints --config"
expect_status 2 "--print-config-path with a command" "$TC" --config "$CONFIG" --print-config-path lint
# shipped:NAME resolves against the shipped set, and names a file in it, nothing else.
sed 's/^  data_map: .*/  data_map: shipped:..\/x.yaml/' "$CONFIG" > "$WORK/ex/bad-shipped.yaml"
expect_status 2 "shipped: with a path" "$TC" --config "$WORK/ex/bad-shipped.yaml" lint
expect_match "$WORK/err" "bad-shipped.yaml:[0-9]+:[0-9]+: 'shipped:../x.yaml' names no shipped policy file" "refused at its place"
sed 's/^  data_map: .*/  data_map: shipped:nope.yaml/' "$CONFIG" > "$WORK/ex/bad-shipped.yaml"
expect_status 2 "shipped: a file the set lacks" "$TC" --config "$WORK/ex/bad-shipped.yaml" lint
expect_match "$WORK/err" "'$SRC/policies/nope.yaml': no such file" "resolves against the source tree's set from a build"
expect_status 2 "TELCOMPLY_POLICIES moves the set" env TELCOMPLY_POLICIES="$WORK/elsewhere" "$TC" --config "$CONFIG" lint
expect_match "$WORK/err" "'$WORK/elsewhere/retention-nl.yaml': no such file" "names the file in TELCOMPLY_POLICIES"

# --db overrides the configuration's database.
expect_status 2 "--db to a missing file" "$TC" lint --config "$CONFIG" --db "$WORK/nope.db"
expect_match "$WORK/err" "nope.db': no such file" "names the missing database"
test ! -e "$WORK/nope.db" && ok "no database file is created" || fail "a database file was created"

# Arguments are UTF-8; the value is never repeated.
expect_status 2 "an argument that is not UTF-8" "$TC" --config "$CONFIG" export --customer "$(printf 'C-\xff')"
expect_match "$WORK/err" "^telcomply: error: argument 5 \(after --customer\) is not valid UTF-8$" "names the argument"
# Standard output that cannot be written fails the command, even --help.
expect_status 4 "--help to a full standard output" bash -c "'$TC' --help > /dev/full"
expect_match "$WORK/err" "^telcomply: error: cannot write to standard output: No space left on device$" "says why"
expect_status 4 "lint with standard output closed" bash -c "'$TC' lint --config '$CONFIG' >&-"

finish
