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

# Configuration discovery: --config, then ./telcomply.yaml, then $TELCOMPLY_CONFIG.
mkdir -p "$WORK/empty"
expect_status 2 "no configuration anywhere" bash -c "cd '$WORK/empty' && '$TC' lint"
expect_match "$WORK/err" "no configuration" "says how to give a configuration"
expect_one_line "$WORK/err" "one-line error"
expect_status 0 "TELCOMPLY_CONFIG is used" env TELCOMPLY_CONFIG="$CONFIG" bash -c "cd '$WORK/empty' && '$TC' lint"
cp -r "$SRC/examples" "$WORK/ex" && cp -r "$SRC/policies" "$WORK/policies"
expect_status 0 "./telcomply.yaml is found" bash -c "cd '$WORK/ex' && '$TC' lint"
printf 'organisation: {name: x, privacy_contact: y}\npolicies: {data_map: missing.yaml}\n' > "$WORK/empty/telcomply.yaml"
expect_status 2 "./telcomply.yaml wins over TELCOMPLY_CONFIG" env TELCOMPLY_CONFIG="$CONFIG" bash -c "cd '$WORK/empty' && '$TC' lint"
expect_match "$WORK/err" "missing.yaml': no such file" "names the missing policy file"

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
