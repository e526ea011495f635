# The man pages: every page renders without warnings, and every option that --help shows
# (for each subcommand and nested subcommand) is documented in that subcommand's page.
source "$(dirname "$0")/lib.sh"

for page in "$SRC"/man/*.[15]; do
  warnings=$(groff -man -ww -z "$page" 2>&1)
  if [ -z "$warnings" ]; then ok "$(basename "$page") renders cleanly"; else fail "$(basename "$page"): $warnings"; fi
done

# Options listed under "Options:" by `telcomply ARGS... --help`, one per line (--help,
# which every command has, is documented once in telcomply.1).
options_of() {
  "$TC" "$@" --help 2>/dev/null |
    awk '/^Options:/{on=1; next} /^[A-Z][a-z]*:/{on=0} on' |
    grep -oE -- '^ +(-[a-zA-Z],)?--[a-z][a-z0-9-]*' | grep -oE -- '--[a-z][a-z0-9-]*' |
    grep -vx -- '--help' | sort -u
}
# Subcommands listed by `telcomply ARGS... --help`.
subcommands_of() {
  "$TC" "$@" --help 2>/dev/null | awk '/^Subcommands:/{on=1; next} on && /^  [a-z]/{print $1} on && /^$/{on=0}'
}

check_page() {
  local page="$1"
  shift
  if [ ! -f "$page" ]; then fail "no man page $(basename "$page") for '$*'"; return; fi
  local missing=""
  for opt in $(options_of "$@"); do
    local escaped="${opt//-/\\\\-}"
    grep -q -- "$escaped" "$page" || grep -q -- "$opt" "$page" || missing="$missing $opt"
  done
  if [ -z "$missing" ]; then ok "$(basename "$page") documents every option of '$*'"; else fail "$(basename "$page") lacks$missing for '$*'"; fi
}

# "--option PLACEHOLDER" pairs shown by `telcomply ARGS... --help`: the placeholder's first
# word ("FORMAT" of "FORMAT=text", "HOST" of "HOST:PORT:ADDRESS").
placeholders_of() {
  "$TC" "$@" --help 2>/dev/null |
    awk '/^Options:/{on=1; next} /^[A-Z][a-z]*:/{on=0} on' |
    grep -oE -- '^ +(-[a-zA-Z],)?--[a-z][a-z0-9-]* [A-Z]+\b' | sed -E 's/^ +(-[a-zA-Z],)?//'
}

# Every value an option takes has a placeholder that says what it is (FILE, DATE, FORMAT),
# never CLI11's type (TEXT, INT), and the man page names the same one.
check_placeholders() {
  local page="$1"
  shift
  local wrong=""
  while read -r opt word; do
    [ -n "$opt" ] || continue
    case "$word" in TEXT | INT | UINT | FLOAT | BOOLEAN) wrong="$wrong $opt:$word"; continue ;; esac
    local pattern="^\\.BI? .*${opt//-/\\\\-} \"( |\\\\fR)*${word}"
    grep -qE -- "$pattern" "$page" || wrong="$wrong $opt:$word"
  done < <(placeholders_of "$@")
  if [ -z "$wrong" ]; then ok "the placeholders of '$*' are the man page's"; else fail "placeholders of '$*' not in $(basename "$page"):$wrong"; fi
}

check_page "$SRC/man/telcomply.1"
check_placeholders "$SRC/man/telcomply.1"
for sub in $(subcommands_of); do
  check_page "$SRC/man/telcomply-$sub.1" "$sub"
  check_placeholders "$SRC/man/telcomply-$sub.1" "$sub"
  for nested in $(subcommands_of "$sub"); do
    check_page "$SRC/man/telcomply-$sub.1" "$sub" "$nested"
    check_placeholders "$SRC/man/telcomply-$sub.1" "$sub" "$nested"
  done
  grep -q "telcomply-$sub" "$SRC/man/telcomply.1" && ok "telcomply.1 refers to telcomply-$sub(1)" || fail "telcomply.1 does not refer to telcomply-$sub"
done

finish
