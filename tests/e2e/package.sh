# The Debian package: cpack builds it from this build folder, dpkg unpacks it into a
# temporary root, and the installed binary runs on the installed example and shipped
# policies. Also the shell completions, against every command's --help.
source "$(dirname "$0")/lib.sh"
BUILD="$(cd "$(dirname "$TC")/.." && pwd)"

# The .deb, its dependencies from dpkg-shlibdeps and its files.
if cpack -G DEB --config "$BUILD/CPackConfig.cmake" -B "$WORK/cpack" > "$WORK/cpack.log" 2>&1; then
  ok "cpack builds the package"
else
  fail "cpack failed"; tail -20 "$WORK/cpack.log"; finish; exit 1
fi
DEB="$(ls "$WORK"/cpack/telcomply_*.deb)"
dpkg-deb -f "$DEB" Depends > "$WORK/depends"
# (libphonenumber8 is provided as libphonenumber8-protobuf32, the protobuf it was built with)
for lib in libc6 libcurl4 libpq5 libsqlite3-0 libpsl5 libyaml-cpp0.7 "libphonenumber8-protobuf[0-9]+" iso-codes libdate-tz3 tzdata; do
  expect_match "$WORK/depends" "(^|, )$lib( |,|$)" "Depends lists $lib"
done
# Linked normally, so ldd (and dpkg-shlibdeps above) see them.
ldd "$TC" > "$WORK/ldd"
for lib in libyaml-cpp libcurl libphonenumber libpq; do
  expect_match "$WORK/ldd" "^[[:space:]]$lib\\." "ldd lists $lib"
done
dpkg-deb -c "$DEB" | awk '{print $6}' > "$WORK/contents"
for file in ./usr/bin/telcomply ./usr/share/man/man1/telcomply.1.gz \
  ./usr/share/man/man1/telcomply-lint.1.gz ./usr/share/man/man5/telcomply-policy.5.gz \
  ./usr/share/telcomply/policies/retention-nl.yaml ./usr/share/telcomply/policies/transfers.yaml \
  ./usr/share/doc/telcomply/copyright ./usr/share/doc/telcomply/examples/telcomply.yaml \
  ./usr/share/doc/telcomply/examples/voipgrow.sql ./usr/share/bash-completion/completions/telcomply \
  ./usr/share/zsh/vendor-completions/_telcomply; do
  expect_match "$WORK/contents" "^${file//./\\.}$" "the package installs $file"
done
expect_no_match "$WORK/contents" "telcomply_tests|telcomply_generate|\\.1$|\\.5$" "no test binaries, no uncompressed man pages"

# Installed in a fresh root, it runs from there: the example's shipped: policies resolve to the
# root's /usr/share/telcomply/policies.
ROOT="$WORK/root"
dpkg -x "$DEB" "$ROOT"
gzip -t "$ROOT"/usr/share/man/man1/*.gz && ok "the man pages are gzip files" || fail "a man page is not a gzip file"
expect_status 0 "the installed --version" "$ROOT/usr/bin/telcomply" --version
expect_match "$WORK/out" "^telcomply [0-9]" "version line"
unset TELCOMPLY_POLICIES
sqlite3 "$WORK/voipgrow.db" < "$ROOT/usr/share/doc/telcomply/examples/voipgrow.sql"
INSTALLED_CONFIG="$ROOT/usr/share/doc/telcomply/examples/telcomply.yaml"
expect_status 0 "the installed example lints clean" "$ROOT/usr/bin/telcomply" --config "$INSTALLED_CONFIG" lint --db "$WORK/voipgrow.db"
expect_match "$WORK/out" "^0 errors, 0 warnings$" "no findings"
rm "$ROOT/usr/share/telcomply/policies/retention-nl.yaml"
expect_status 2 "shipped: names the installed set" "$ROOT/usr/bin/telcomply" --config "$INSTALLED_CONFIG" lint
expect_match "$WORK/err" "$ROOT/usr/share/telcomply/policies/retention-nl.yaml': no such file" "names the installed file"

# Bash completion: every command and option --help shows is offered.
complete_words() {
  bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _telcomply_bash; printf "%s\n" "${COMPREPLY[@]}"' \
    sh "$ROOT/usr/share/bash-completion/completions/telcomply" telcomply "$@"
}
complete_words "" > "$WORK/words"
for cmd in export scrub cookies subprocessors lint register audit; do
  expect_match "$WORK/words" "^$cmd$" "completes the command $cmd"
done
complete_words lint --format "" > "$WORK/words"
expect_match "$WORK/words" "^sarif$" "completes --format's values"
for cmd in "" export scrub lint register "cookies check" "cookies scan" "cookies table" \
  "subprocessors list" "subprocessors check" "subprocessors diff" "audit verify" "audit show"; do
  # shellcheck disable=SC2086
  "$TC" $cmd --help | awk '/^Options:/{on=1; next} /^[A-Z][a-z]*:/{on=0} on' |
    grep -oE -- '^ +(-[a-zA-Z],)?--[a-z][a-z0-9-]*' | tr ',' '\n' | tr -d ' ' | sort -u > "$WORK/help"
  # shellcheck disable=SC2086
  complete_words $cmd - | sort -u > "$WORK/words"
  missing=$(comm -23 "$WORK/help" "$WORK/words" | tr '\n' ' ')
  [ -z "$missing" ] && ok "completes every option of 'telcomply $cmd'" || fail "'telcomply $cmd': not completed: $missing"
done
finish
