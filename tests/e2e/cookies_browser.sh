# telcomply cookies scan --browser with the real binary and Debian's Chromium against a local
# shop site (tests/e2e/cookies_site.py, on 127.0.0.1 only, several host names mapped with
# --resolve): a Cookiebot banner, a session cookie set by HTTP, JavaScript cookies, a tracking
# pixel, a third-party iframe setting a cookie and a localStorage key after consent. The
# policy tests/data/cookies/shop-policy.yaml declares all of it except the cookie _fbp.
source "$(dirname "$0")/lib.sh"
DATA="$SRC/tests/data/cookies"
POLICY="$DATA/shop-policy.yaml"

[ -x /usr/bin/chromium ] || { fail "no /usr/bin/chromium: scripts/install-deps installs the package chromium"; finish; exit; }

# The site, stopped however the test ends. The browser's profiles go to a short $TMPDIR (a
# long one gives way to /tmp: the browser's socket paths are limited to 107 bytes).
TMPDIR=$(mktemp -d /tmp/tcb.XXXXXX)
export TMPDIR
python3 "$SRC/tests/e2e/cookies_site.py" "$WORK/port" > "$WORK/site.log" 2>&1 &
SITE=$!
SCAN=""
cleanup() {
  kill "$SITE" 2> /dev/null
  [ -n "$SCAN" ] && kill -KILL "$SCAN" 2> /dev/null
  wait 2> /dev/null
  rm -rf "$TMPDIR"
}
trap cleanup EXIT
for _ in $(seq 50); do [ -s "$WORK/port" ] && break; sleep 0.1; done
P=$(cat "$WORK/port" 2> /dev/null)
[ -n "$P" ] || { fail "the test site did not start"; cat "$WORK/site.log"; finish; exit; }
SHOP="http://www.shop.test:$P"
RESOLVE=(--resolve "www.shop.test:$P:127.0.0.1" --resolve "pixel.tracker.test:$P:127.0.0.1"
         --resolve "ads.tracker.test:$P:127.0.0.1")
FAST=(--idle 300 --delay 300 --page-timeout 20)

# No browser left running and no profile left behind.
no_leftovers() {
  local what="$1"
  local left
  left=$(pgrep -f "$TMPDIR/telcomply-chromium")
  if [ -n "$left" ]; then fail "$what: a browser is still running"; kill -KILL $left; else ok "$what: no browser left running"; fi
  if [ -z "$(ls -A "$TMPDIR")" ]; then ok "$what: no profile left behind"; else fail "$what: left $(ls "$TMPDIR")"; rm -rf "${TMPDIR:?}"/*; fi
}

# field PYTHON-EXPRESSION: evaluated with `d` the scan's JSON and `phase(name)` one phase.
field() {
  python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
phase = lambda name: next(p for p in d["phases"] if p["phase"] == name)
names = lambda name: sorted(c["name"] for c in phase(name)["cookies"] if "refused" not in c)
print(eval(sys.argv[2]))' "$WORK/scan.json" "$1"
}
expect_field() {
  local got
  got=$(field "$1" 2>&1)
  [ "$got" = "$2" ] && ok "$3" || fail "$3: $1 is '$got', expected '$2'"
}

# The three phases, with the Cookiebot banner found by its built-in selectors.
expect_status 0 "the browser scan of the shop" "$TC" cookies scan --browser "${RESOLVE[@]}" "${FAST[@]}" \
  --max-pages 3 -o "$WORK/scan.json" "$SHOP/" "$SHOP/old"
no_leftovers "after a scan"
expect_field 'd["version"], [p["phase"] for p in d["phases"]]' "(2, ['before-consent', 'consent-given', 'consent-refused'])" "three phases"
expect_field 'names("before-consent")' "['session']" "before consent: only the functional session cookie"
expect_field '[c["set_by"] for c in phase("before-consent")["cookies"]]' "['http']" "the session cookie was set by HTTP"
expect_field 'phase("before-consent")["storage"], [r["url"] for r in phase("before-consent")["requests"] if "tracker" in r["url"]]' "([], [])" "before consent: no storage, no tracker requested"
expect_field 'phase("consent-given")["button"]' "#CybotCookiebotDialogBodyLevelButtonLevelOptinAllowAll" "accepted with Cookiebot's button"
expect_field 'phase("consent-refused")["button"]' "#CybotCookiebotDialogBodyButtonDecline" "refused with Cookiebot's button"
expect_field 'names("consent-given")' "['CookieConsent', '_fbp', '_ga', 'session']" "after accepting: the JavaScript cookies"
expect_field 'next(c["set_by"] for c in phase("consent-given")["cookies"] if c["name"] == "_fbp")' "javascript" "_fbp was set by JavaScript"
# _fbp is set with Max-Age=7776000 (90 days): its expiry is exact to the second, measured from
# when the jar was read, a few seconds after it was set.
lifetime=$(field 'next((__import__("datetime").datetime.fromisoformat(c["expires"].replace("Z", "+00:00")) - __import__("datetime").datetime.fromisoformat(c["captured"].replace("Z", "+00:00"))).total_seconds() for c in phase("consent-given")["cookies"] if c["name"] == "_fbp")')
python3 -c "import sys; sys.exit(0 if 7776000 - 30 <= float('$lifetime') <= 7776000 else 1)" && ok "_fbp lasts 90 days to the second ($lifetime s)" || fail "_fbp lasts $lifetime s, not 90 days"
expect_field '[(s["kind"], s["key"]) for s in phase("consent-given")["storage"]]' "[('localStorage', 'tracking_id')]" "after accepting: the localStorage key"
expect_field '[(r["type"], r["initiator"], r.get("pixel")) for r in phase("consent-given")["requests"] if r["url"] == "http://pixel.tracker.test:'"$P"'/collect"]' "[('Image', '$SHOP/', True)]" "the pixel request, its type and initiator"
expect_field '[(r["type"], r["initiator"]) for r in phase("consent-given")["requests"] if r["url"] == "http://ads.tracker.test:'"$P"'/frame"]' "[('Document', '$SHOP/')]" "the third-party iframe"
expect_field '[(c["domain"], c["refused"] != "") for c in phase("consent-given")["cookies"] if c["name"] == "adid"]' "[('ads.tracker.test', True)]" "the iframe's third-party cookie was refused, with a reason"
expect_field 'names("consent-refused")' "['CookieConsent', 'session']" "after refusing: no tracking cookie"
expect_field '[r["url"] for r in phase("consent-refused")["requests"] if "tracker" in r["url"]]' "[]" "after refusing: no tracker requested"
expect_field 'phase("before-consent")["redirects"]' "[{'from': '$SHOP/old', 'to': '$SHOP/about', 'status': 301}]" "the redirect"
expect_field 'len(phase("before-consent")["pages"])' "3" "start pages and a same-site link"
for value in s3ss10n-value GA1.1.12345 fb.1.2.3 ad-value-77 c0ffee-visitor-42 visitor-42; do
  grep -qF -- "$value" "$WORK/scan.json" && fail "the value '$value' is in the inventory" || ok "no value '$value' in the inventory"
done

# The check applies each phase's rule: the undeclared JavaScript cookie fails, named.
expect_status 1 "check of the browser scan" "$TC" cookies check --policy "$POLICY" "$WORK/scan.json"
expect_match "$WORK/out" "scan.json:[0-9]+:[0-9]+: error: undeclared cookie '_fbp' of shop.test \(first party\) \[undeclared-cookie\]" "names _fbp"
expect_match "$WORK/out" "^1 error, " "only _fbp is an error"
expect_no_match "$WORK/out" "set-before-consent" "nothing needing consent before it, nor after refusal"
expect_match "$WORK/out" "declared cookie 'adid' of tracker.test was attempted but refused by the browser \(.*\), and not observed set in any inventory \[never-observed\]" "adid: attempted and refused"
expect_no_match "$WORK/out" "'(_ga|tracking_id|collect|session)'.*never-observed" "the declared cookie, storage key and pixel were observed"

# A banner of the site's own: found only with the policy's selectors and labels.
expect_status 0 "a banner of the site's own, without a policy" "$TC" cookies scan --browser "${RESOLVE[@]}" "${FAST[@]}" \
  -o "$WORK/own-none.json" "$SHOP/own"
expect_match "$WORK/err" "warning: consent-given: no consent button found on the banner; the phase was not scanned" "the accept phase is reported as not found"
expect_status 0 "check says so" "$TC" cookies check --policy "$POLICY" "$WORK/own-none.json"
expect_match "$WORK/out" "warning: consent-given phase: no button to accept cookies was found on the banner.*\[consent-button-not-found\]" "consent-button-not-found"
expect_status 0 "a banner of the site's own, with the policy's buttons" "$TC" cookies scan --browser "${RESOLVE[@]}" "${FAST[@]}" \
  --policy "$POLICY" -o "$WORK/own.json" "$SHOP/own"
cp "$WORK/own.json" "$WORK/scan.json"
expect_field 'phase("consent-given")["button"], phase("consent-refused")["button"]' "('button.shop-yes', 'label \"nee, bedankt\"')" "the policy's selector and label were clicked"
expect_field 'names("consent-given")' "['CookieConsent', '_fbp', '_ga', 'session']" "and consent was given"
no_leftovers "after the banner scans"

# Failures: no browser, a start page that fails, bad options, a timeout and signals.
TELCOMPLY_CHROMIUM=/nonexistent/chromium expect_status 4 "no browser" "$TC" cookies scan --browser "$SHOP/"
expect_one_line "$WORK/err" "no browser names the package"
expect_match "$WORK/err" "apt-get install chromium" "the package to install"
expect_status 4 "a start page answering 404" "$TC" cookies scan --browser "${RESOLVE[@]}" "${FAST[@]}" -o "$WORK/missing.json" "$SHOP/missing"
expect_match "$WORK/err" "start page before-consent: $SHOP/missing: answered HTTP 404" "names the page and its status"
[ ! -e "$WORK/missing.json" ] && ok "no inventory without its start page" || fail "an inventory was written"
expect_status 2 "a bad --resolve" "$TC" cookies scan --browser --resolve www.shop.test:127.0.0.1 "$SHOP/"
expect_status 2 "--cookie is the HTTP scan's" "$TC" cookies scan --browser --cookie a=b "$SHOP/"
expect_status 2 "--resolve needs --browser" "$TC" cookies scan --resolve "www.shop.test:$P:127.0.0.1" "$SHOP/"
expect_status 4 "the scan's time bound" "$TC" cookies scan --browser "${RESOLVE[@]}" --scan-timeout 2 -o "$WORK/slow.json" "$SHOP/"
expect_match "$WORK/err" "took longer than --scan-timeout 2 s" "says so"
[ ! -e "$WORK/slow.json" ] && ok "nothing written after the time bound" || fail "an inventory was written"
no_leftovers "after the time bound"
for signal in TERM INT; do
  "$TC" cookies scan --browser "${RESOLVE[@]}" -o "$WORK/signal.json" "$SHOP/" > "$WORK/out" 2> "$WORK/err" &
  SCAN=$!
  for _ in $(seq 100); do pgrep -f "$TMPDIR/telcomply-chromium" > /dev/null && break; sleep 0.1; done
  sleep 1
  kill -"$signal" "$SCAN"
  wait "$SCAN"
  status=$?
  SCAN=""
  [ "$status" -eq 4 ] && ok "SIG$signal: exit 4" || fail "SIG$signal: exit $status, expected 4"
  expect_match "$WORK/err" "interrupted by SIG$signal" "SIG$signal: says so"
  [ ! -e "$WORK/signal.json" ] && ok "SIG$signal: nothing written" || fail "SIG$signal: an inventory was written"
  no_leftovers "SIG$signal"
done

finish
