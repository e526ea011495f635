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
