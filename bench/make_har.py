#!/usr/bin/env python3
"""Writes a deterministic HAR 1.2 file of about --size-mb megabytes for the cookie benchmark.

It looks like what Chromium's DevTools export of a long crawl of the example operator's site
holds: page visits with their subresources (styles, scripts, images, fonts) and third-party
requests (Google Analytics and Tag Manager, Google Ads, LinkedIn, Bing, Vimeo, Hotjar), each
with full request and response headers, timings, request cookies (the browser's cookie jar
for that host) and response cookies (from Set-Cookie). Every 25 pages the crawler starts a
new visitor with an empty jar, so the cookies are set again. A few cookies are not declared
in the example's cookie policy, and some live longer than declared, so the check has
findings to report. The same --seed gives the same file, byte for byte.

  bench/make_har.py OUT.har --size-mb 50 [--seed 1]
"""

import argparse
import datetime
import json
import random

SITE = "www.voipgrid.nl"
PAGES = ["/", "/contact", "/prijzen", "/telefonie/vast", "/telefonie/mobiel", "/over-ons",
         "/partners", "/support", "/vacatures", "/blog", "/blog/nummerportering",
         "/blog/voip-voor-mkb", "/integraties", "/status", "/privacy", "/cookies"]
ASSETS = [("/static/site.css", "stylesheet", "text/css", 48213),
          ("/static/app.js", "script", "application/javascript", 183402),
          ("/static/vendor.js", "script", "application/javascript", 402117),
          ("/static/logo.svg", "image", "image/svg+xml", 5123),
          ("/static/hero.webp", "image", "image/webp", 88120),
          ("/static/inter.woff2", "font", "font/woff2", 31544),
          ("/favicon.ico", "image", "image/x-icon", 1150)]
UA = ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
      "HeadlessChrome/131.0.0.0 Safari/537.36")
DAY = 86400


def token(rng, n=22):
    return "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(n))


def iso(t):
    return (datetime.datetime(1970, 1, 1) + datetime.timedelta(seconds=t)).strftime(
        "%Y-%m-%dT%H:%M:%S.") + "%03dZ" % int((t % 1) * 1000)


def http_date(t):
    return (datetime.datetime(1970, 1, 1) + datetime.timedelta(seconds=int(t))).strftime(
        "%a, %d %b %Y %H:%M:%S GMT")


# (host the request goes to, cookie name, cookie domain or None for host-only, lifetime in
# seconds or None for a session cookie). Lifetimes longer than declared and names the policy
# does not declare are on purpose.
FIRST_PARTY = [("PHPSESSID", None, None), ("CookieConsent", None, 365 * DAY),
               ("_ga", ".voipgrid.nl", 730 * DAY), ("_gid", ".voipgrid.nl", 2 * DAY),
               ("_gat", ".voipgrid.nl", 60), ("_dc_gtm_UA-12345678-1", ".voipgrid.nl", 60),
               ("_gcl_au", ".voipgrid.nl", 90 * DAY), ("_fbp", ".voipgrid.nl", 90 * DAY),
               ("_hjSessionUser_3012345", ".voipgrid.nl", 365 * DAY),
               ("_hjSession_3012345", ".voipgrid.nl", 1800)]
THIRD_PARTY = [
    ("www.google-analytics.com", "/g/collect?v=2&tid=G-ABCDEF1234&en=page_view", "ping", []),
    ("www.googletagmanager.com", "/gtm.js?id=GTM-ABC1234", "script", []),
    ("googleads.g.doubleclick.net", "/pagead/viewthroughconversion/123456789/", "image",
     [("test_cookie", ".doubleclick.net", 900), ("IDE", ".doubleclick.net", 390 * DAY)]),
    ("www.google.com", "/pagead/1p-user-list/123456789/?random=1", "image", []),
    ("px.ads.linkedin.com", "/collect?pid=123456&fmt=gif", "image",
     [("lang", ".ads.linkedin.com", None), ("UserMatchHistory", ".linkedin.com", 30 * DAY),
      ("bcookie", ".linkedin.com", 365 * DAY), ("lidc", ".linkedin.com", DAY)]),
    ("bat.bing.com", "/action/0?ti=12345678&evt=pageLoad", "image",
     [("MUID", ".bing.com", 390 * DAY), ("MR", ".bat.bing.com", 7 * DAY)]),
    ("player.vimeo.com", "/video/123456789?h=abc", "document",
     [("vuid", ".vimeo.com", 730 * DAY), ("__cf_bm", ".vimeo.com", 1800)]),
    ("static.hotjar.com", "/c/hotjar-3012345.js?sv=7", "script", []),
]


class Crawler:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.t = 1795392000.0  # 2026-11-23T00:00:00Z
        self.jar = {}  # (domain or host, name) -> (value, expires or None)
        self.pages = []
        self.entries = []

    def new_visitor(self):
        self.jar = {}

    def cookies_for(self, host):
        out = []
        for (where, name), (value, _expires) in sorted(self.jar.items()):
            if where == host or (where.startswith(".") and (host.endswith(where) or
                                                              host == where[1:])):
                out.append({"name": name, "value": value})
        return out

    def set_cookie(self, host, name, domain, lifetime):
        value = {"_ga": "GA1.1.%d.%d" % (self.rng.randrange(10**9), int(self.t)),
                 "_gid": "GA1.1.%d.%d" % (self.rng.randrange(10**9), int(self.t)),
                 "_fbp": "fb.1.%d.%d" % (int(self.t * 1000), self.rng.randrange(10**9)),
                 "_gat": "1"}.get(name, token(self.rng))
        cookie = {"name": name, "value": value, "path": "/", "httpOnly": name == "PHPSESSID",
                  "secure": True}
        header = "%s=%s; Path=/" % (name, value)
        if lifetime is not None:
            cookie["expires"] = iso(self.t + lifetime)
            header += "; Expires=%s; Max-Age=%d" % (http_date(self.t + lifetime), lifetime)
        if domain is not None:
            cookie["domain"] = domain
            header += "; Domain=%s" % domain[1:]
        header += "; Secure" + ("; HttpOnly" if cookie["httpOnly"] else "") + "; SameSite=Lax"
        cookie["sameSite"] = "Lax"
        self.jar[(domain or host, name)] = (value, lifetime)
        return cookie, header

    def entry(self, page, url, host, kind, mime, size, set_cookies, referer):
        rng = self.rng
        request_cookies = self.cookies_for(host)
        req_headers = [
            {"name": "Accept", "value": "text/html,application/xhtml+xml,application/xml;"
             "q=0.9,image/avif,image/webp,*/*;q=0.8" if kind == "document" else "*/*"},
            {"name": "Accept-Encoding", "value": "gzip, deflate, br, zstd"},
            {"name": "Accept-Language", "value": "nl-NL,nl;q=0.9,en-US;q=0.8,en;q=0.7"},
            {"name": "Connection", "value": "keep-alive"},
            {"name": "Host", "value": host},
            {"name": "Sec-Fetch-Dest", "value": kind},
            {"name": "Sec-Fetch-Mode", "value": "navigate" if kind == "document" else "no-cors"},
            {"name": "Sec-Fetch-Site", "value": "same-origin" if host == SITE else "cross-site"},
            {"name": "User-Agent", "value": UA},
        ]
        if referer:
            req_headers.append({"name": "Referer", "value": referer})
        if request_cookies:
            req_headers.append({"name": "Cookie", "value": "; ".join(
                "%s=%s" % (c["name"], c["value"]) for c in request_cookies)})
        response_cookies = []
        resp_headers = [
            {"name": "Date", "value": http_date(self.t)},
            {"name": "Content-Type", "value": mime},
            {"name": "Content-Length", "value": str(size)},
            {"name": "Cache-Control", "value": "no-cache" if kind == "document" else
             "public, max-age=31536000, immutable"},
            {"name": "Server", "value": "nginx" if host == SITE else "ESF"},
            {"name": "Strict-Transport-Security", "value": "max-age=63072000; includeSubDomains"},
            {"name": "X-Content-Type-Options", "value": "nosniff"},
        ]
        for name, domain, lifetime in set_cookies:
            cookie, header = self.set_cookie(host, name, domain, lifetime)
            response_cookies.append(cookie)
            resp_headers.append({"name": "Set-Cookie", "value": header})
        wait = round(rng.uniform(8, 180), 3)
        receive = round(rng.uniform(0.5, 40), 3)
        e = {
            "_resourceType": kind,
            "cache": {},
            "pageref": page,
            "request": {"method": "GET", "url": url, "httpVersion": "http/2.0",
                        "headers": req_headers,
                        "queryString": [{"name": k, "value": v} for k, v in
                                        (p.split("=", 1) for p in url.split("?", 1)[1].split("&")
                                         if "=" in p)] if "?" in url else [],
                        "cookies": request_cookies, "headersSize": -1, "bodySize": 0},
            "response": {"status": 200, "statusText": "", "httpVersion": "http/2.0",
                         "headers": resp_headers, "cookies": response_cookies,
                         "content": {"size": size, "mimeType": mime},
                         "redirectURL": "", "headersSize": -1, "bodySize": size,
                         "_transferSize": size + 400},
            "serverIPAddress": "203.0.113.%d" % (10 + len(host) % 200),
            "startedDateTime": iso(self.t),
            "time": round(wait + receive + 1.2, 3),
            "timings": {"blocked": 0.8, "dns": -1, "ssl": -1, "connect": -1, "send": 0.4,
                        "wait": wait, "receive": receive, "_blocked_queueing": 0.5},
        }
        self.entries.append(e)
        self.t += rng.uniform(0.005, 0.2)

    def visit(self, n):
        rng = self.rng
        if n % 25 == 0:
            self.new_visitor()
        path = PAGES[n % len(PAGES)] if n < len(PAGES) else rng.choice(PAGES)
        url = "https://%s%s" % (SITE, path)
        page = "page_%d" % (n + 1)
        self.pages.append({"id": page, "startedDateTime": iso(self.t), "title": url,
                           "pageTimings": {"onContentLoad": round(rng.uniform(200, 900), 3),
                                           "onLoad": round(rng.uniform(400, 2500), 3)}})
        fresh = not any(name == "PHPSESSID" for (_w, name) in self.jar)
        sets = [c for c in FIRST_PARTY if fresh or c[0] in ("_gat", "_dc_gtm_UA-12345678-1",
                                                             "_hjSession_3012345")]
        self.entry(page, url, SITE, "document", "text/html; charset=utf-8",
                   rng.randrange(20000, 90000), sets, None)
        for asset, kind, mime, size in ASSETS:
            self.entry(page, "https://%s%s?v=4.2.%d" % (SITE, asset, n % 7), SITE, kind, mime,
                       size, [], url)
        for host, p, kind, sets3 in THIRD_PARTY:
            self.entry(page, "https://%s%s&_p=%d" % (host, p, rng.randrange(10**9))
                       if "?" in p else "https://%s%s" % (host, p), host, kind,
                       "text/plain" if kind == "ping" else "application/octet-stream",
                       rng.randrange(40, 60000), sets3 if fresh else [], url)
        self.t += rng.uniform(2, 30)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--size-mb", type=float, default=50)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    crawler = Crawler(args.seed)
    # About 69 KB of indented JSON per page visit (24 entries).
    pages = max(1, int(args.size_mb * 1e6 / 69000))
    for n in range(pages):
        crawler.visit(n)
    har = {"log": {"version": "1.2",
                   "creator": {"name": "telcomply bench/make_har.py", "version": "1"},
                   "browser": {"name": "Chromium", "version": "131.0.6778.85"},
                   "pages": crawler.pages, "entries": crawler.entries}}
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(har, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
