# Every HTML page telcomply writes for people, rendered in Debian's headless Chromium at a
# desktop's width (1280 px), a tablet's (768 px) and a phone's (390 px): nothing wider than the window
# (document.documentElement.scrollWidth within its clientWidth), the right <html lang>, and in
# Dutch none of the English fixed phrases. Each page is measured in an iframe of that width in
# one harness page, so that its own media queries apply.
source "$(dirname "$0")/lib.sh"

[ -x /usr/bin/chromium ] || { fail "no /usr/bin/chromium: scripts/install-deps installs the package chromium"; finish; exit; }
# A short profile folder, removed however the test ends (socket paths are limited to 107 bytes).
PROFILE=$(mktemp -d /tmp/tcl.XXXXXX)
trap 'rm -rf "$PROFILE"' EXIT

copy_example
P="$WORK/pages"
mkdir -p "$P"
# NAME LANG ARGS...: one page, written with the example's configuration.
page() {
  local name="$1" lang="$2"
  shift 2
  run "$TC" --config "$CFG" "$@" --lang "$lang" -o "$P/$name.html"
  [ "$STATUS" -eq 0 ] && ok "$name: written" || fail "$name: exit $STATUS: $(cat "$WORK/err")"
}
page cookies-en en cookies table --format html
page cookies-nl nl cookies table --format html
page register-en en register --format html
page register-nl nl register --format html
page subprocessors-en en subprocessors list --format html --all --date 2026-11-20
page subprocessors-nl nl subprocessors list --format html --all --date 2026-11-20
SP="$SRC/tests/data/subprocessors"
page subprocessor-notice-en en subprocessors diff --format html --date 2026-03-01 "$SP/v1.yaml" "$SP/v2.yaml"
page subprocessor-notice-nl nl subprocessors diff --format html --date 2026-03-01 "$SP/v1.yaml" "$SP/v2.yaml"
DB=$(example_db)
page export-en en --db "$DB" export --customer C-0001 --format html
page export-nl nl --db "$DB" export --customer C-0001 --format html

# The English fixed phrases a Dutch page must not show.
ENGLISH='Provider|Expiry|Purpose|Only with your consent|No consent needed|Local storage|[0-9] (day|month|year)s?<|>session<'
# ... of the sub-processor list and the change notice.
ENGLISH="$ENGLISH"'|Sub-processor|sub-processor of|Processing locations|Access from|Transfer safeguards|Supplementary measures|Processor agreement|No sub-processors|none needed|standard contractual clauses|adequacy decision|binding corporate rules|Notice of changes|Notice (date|period)|Takes effect|Object by|not before|short notice|no objection needed|No changes|[0-9] (January|February|March|April|May|June|July|August|September|October|November|December) [0-9]{4}'
# ... of the access package.
ENGLISH="$ENGLISH|Your personal data|Summary|Your rights|Provided by you|Information about the processing|How long we keep it|Who receives it|Record number|Times are shown|GDPR art"

harness="$P/harness.html"
{
  echo '<!DOCTYPE html><html><body>'
  for f in "$P"/*-??.html; do
    for w in 1280 768 390; do
      echo "<iframe src=\"$(basename "$f")\" data-name=\"$(basename "$f" .html)\" style=\"width:${w}px;height:800px;border:0\"></iframe>"
    done
  done
  cat << 'SCRIPT'
<pre id="out"></pre>
<script>
window.addEventListener('load', () => {
  const lines = [];
  for (const f of document.querySelectorAll('iframe')) {
    const d = f.contentDocument.documentElement;
    lines.push([f.dataset.name, f.clientWidth, d.scrollWidth, d.clientWidth, d.lang].join(' '));
  }
  document.getElementById('out').textContent = lines.join('\n');
});
</script></body></html>
SCRIPT
} > "$harness"
timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$PROFILE" --allow-file-access-from-files --window-size=1400,1000 \
  --virtual-time-budget=10000 --dump-dom "file://$harness" > "$WORK/dom" 2> "$WORK/chromium.log"
sed -n '/<pre id="out">/,/<\/pre>/p' "$WORK/dom" | sed 's/<[^>]*>//g' | grep . > "$WORK/measured"
expect_equal "every page measured at each width" "$(wc -l < "$WORK/measured")" "$(($(ls "$P"/*-??.html | wc -l) * 3))"
while read -r name window scroll client lang; do
  if [ "$scroll" -le "$client" ]; then
    ok "$name at $window px: no horizontal overflow ($scroll <= $client)"
  else
    fail "$name at $window px: $scroll px wide in a $client px window"
  fi
  expect_equal "$name at $window px: <html lang=\"${name##*-}\">" "$lang" "${name##*-}"
done < "$WORK/measured"

for f in "$P"/*-nl.html; do
  expect_no_match "$f" "$ENGLISH" "$(basename "$f"): no English fixed phrases"
done
expect_match "$P/cookies-nl.html" "<th>Bewaartermijn</th>" "the Dutch cookie table's headings"
expect_match "$P/cookies-nl.html" ">2 jaar<" "the Dutch cookie table's expiries read as Dutch durations"
expect_match "$P/subprocessors-nl.html" "<th>Doorgifte buiten de EER</th>" "the Dutch sub-processor list's headings"
expect_match "$P/subprocessors-nl.html" "vanaf 15 december 2026 \(aangekondigd op 2 november 2026\)" "its dates in Dutch"
expect_match "$P/subprocessors-nl.html" ">Verenigde Staten<" "its countries by their Dutch names"
expect_match "$P/subprocessor-notice-nl.html" "<th>Bezwaar uiterlijk</th>" "the Dutch change notice's headings"
expect_match "$P/export-nl.html" ">€ [0-9]{1,3}(\.[0-9]{3})*,[0-9]{2}<" "the Dutch package shows amounts as € 189,00"
expect_match "$P/export-nl.html" "<th scope=\"row\">Klantnummer</th>" "the Dutch package shows a column's label"
expect_no_match "$P/export-nl.html" ">customer_number<|>amount_cents<|>[0-9]{4}-[0-9]{2}-[0-9]{2}T" "and no raw column names or ISO moments"
expect_match "$P/export-nl.html" "Recht op inzage" "the rights in the Autoriteit Persoonsgegevens' words"
expect_match "$P/export-en.html" ">€[0-9]{1,3}(,[0-9]{3})*\.[0-9]{2}<" "the English package shows amounts as €189.00"
finish
