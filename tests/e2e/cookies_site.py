#!/usr/bin/env python3
"""A small shop site for the browser scan's end-to-end test, on 127.0.0.1 only.

One server answers for several host names (told apart by the Host header; the scan maps them
to 127.0.0.1 with --resolve):
  www.shop.test     the site: a session cookie by HTTP, a Cookiebot banner, and after
                    consent JavaScript cookies, a localStorage key, a tracking pixel and a
                    third-party iframe; /about is linked from the home page, /old redirects
                    to it, /own is the home page with a banner of the site's own, and
                    /p/1, /p/2, ... are more pages like the home page, each linking the next
                    (for bench/browser).
  pixel.tracker.test  /collect answers a 1x1 GIF (the pixel).
  ads.tracker.test    /frame sets the cookie 'adid' from inside the iframe (third party).
Usage: cookies_site.py PORT_FILE [HTML_DIR]; writes the port it listens on to PORT_FILE.
"""
import http.server
import os
import sys

GIF = (b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00"
       b"\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")

PAGE = """<!doctype html>
<html><head><title>Shop</title></head>
<body>
<h1>Shop</h1>
<a href="/about">About us</a> <a href="NEXT">More</a>
BANNER
<script>
  const consent = (document.cookie.match(/(?:^|; )CookieConsent=([^;]*)/) || [])[1];
  const choose = value => {
    document.cookie = "CookieConsent=" + value + "; Max-Age=31536000; Path=/; SameSite=Lax";
    location.reload();
  };
  for (const button of document.querySelectorAll("#banner button"))
    button.onclick = () => choose(button.dataset.choice);
  if (!consent) {
    // The banner appears a little later, as a consent platform's script loads.
    setTimeout(() => { document.getElementById("banner").style.display = "block"; }, 300);
  } else if (consent === "all") {
    document.cookie = "_ga=GA1.1.12345.67890; Max-Age=63072000; Path=/; SameSite=Lax";
    document.cookie = "_fbp=fb.1.2.3; Max-Age=7776000; Path=/; SameSite=Lax";
    localStorage.setItem("tracking_id", "c0ffee-visitor-42");
    const pixel = new Image(1, 1);
    pixel.src = "http://pixel.tracker.test:PORT/collect?uid=visitor-42";
    document.body.appendChild(pixel);
    const frame = document.createElement("iframe");
    frame.src = "http://ads.tracker.test:PORT/frame";
    document.body.appendChild(frame);
  }
</script>
</body></html>
"""

# Cookiebot's banner, with its Dutch labels; and a banner of the site's own that only the
# cookie policy's 'consent' declarations find.
COOKIEBOT = """<div id="banner" style="display:none"><div id="CybotCookiebotDialog">
  <p>Deze website gebruikt cookies.</p>
  <button id="CybotCookiebotDialogBodyLevelButtonLevelOptinAllowAll" data-choice="all">Alles accepteren</button>
  <button id="CybotCookiebotDialogBodyButtonDecline" data-choice="necessary">Alleen noodzakelijke cookies</button>
</div></div>"""
OWN = """<div id="banner" style="display:none">
  <p>Wij gebruiken cookies.</p>
  <button class="shop-yes" data-choice="all">Prima, ga door</button>
  <button class="shop-no" data-choice="necessary">Nee, bedankt</button>
</div>"""

ABOUT = "<!doctype html><html><body><h1>About</h1><a href=\"/\">Home</a></body></html>"
FRAME = "<!doctype html><html><body>ad</body></html>"


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def send(self, status, body, content_type, headers=()):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        host = self.headers.get("Host", "").rsplit(":", 1)[0]
        path = self.path.split("?", 1)[0]
        port = str(self.server.server_address[1])
        numbered = path.startswith("/p/") and path[3:].isdigit()
        if host == "www.shop.test" and (path in ("/", "/own") or numbered):
            number = int(path[3:]) if numbered else 0
            page = (PAGE.replace("BANNER", OWN if path == "/own" else COOKIEBOT)
                    .replace("PORT", port).replace("NEXT", "/p/%d" % (number + 1)))
            self.send(200, page.encode(), "text/html; charset=utf-8",
                      [("Set-Cookie", "session=s3ss10n-value; Path=/; HttpOnly; SameSite=Lax")])
        elif host == "www.shop.test" and path == "/about":
            self.send(200, ABOUT.encode(), "text/html; charset=utf-8")
        elif host == "www.shop.test" and path == "/old":
            self.send(301, b"", "text/html", [("Location", "/about")])
        elif host == "pixel.tracker.test" and path == "/collect":
            self.send(200, GIF, "image/gif")
        elif host == "ads.tracker.test" and path == "/frame":
            self.send(200, FRAME.encode(), "text/html; charset=utf-8",
                      [("Set-Cookie", "adid=ad-value-77; Max-Age=31536000; Path=/")])
        else:
            self.send(404, b"not found", "text/plain")


def main():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    with open(sys.argv[1] + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(sys.argv[1] + ".tmp", sys.argv[1])
    server.serve_forever()


if __name__ == "__main__":
    main()
