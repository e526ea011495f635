#!/usr/bin/env bash
# Records the HAR files under tests/data/cookies/ from a real headless Chromium (Debian's
# `chromium` package) and Node.js, both from Debian. Run it by hand when the test site
# changes; the tests read the committed results:
#   chromium-clean.har     the site sets CookieConsent (1 year) and PHPSESSID (session) and
#                          loads the Google Analytics collect pixel
#   chromium-tracking.har  the same plus an undeclared tracking cookie (_fbp, 90 days)
# record-har.mjs says how the HAR is made. Nothing leaves the machine: the site runs on
# 127.0.0.1 and Chromium resolves only its two host names, to 127.0.0.1.
# OUT_DIR writes the files elsewhere (tests/e2e/cookies.sh records afresh that way).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${OUT_DIR:-$here}
chromium=${CHROMIUM:-/usr/bin/chromium}
command -v node >/dev/null || { echo "record-har.sh: needs node (apt-get install nodejs)" >&2; exit 2; }
[ -x "$chromium" ] || { echo "record-har.sh: needs $chromium (apt-get install chromium)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A throw-away certificate for the two host names; Chromium is told to accept it.
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=www.voipgrid.nl" \
  -addext "subjectAltName=DNS:www.voipgrid.nl,DNS:www.google-analytics.com" \
  -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
node "$here/record-har.mjs" --chromium "$chromium" --key "$work/key.pem" --cert "$work/cert.pem" \
  --out "$out/chromium-clean.har"
node "$here/record-har.mjs" --chromium "$chromium" --key "$work/key.pem" --cert "$work/cert.pem" \
  --tracking --out "$out/chromium-tracking.har"
