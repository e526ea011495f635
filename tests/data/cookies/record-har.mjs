// Records a HAR 1.2 file from a real headless Chromium visiting a local test site that sets
// the example's functional cookies (CookieConsent for 1 year, PHPSESSID for the session)
// and loads a Google Analytics "collect" pixel. With --tracking the site also sets an
// undeclared tracking cookie (_fbp, 90 days) for the whole voipgrid.nl domain.
//
// How it works: an HTTPS server on 127.0.0.1 (ephemeral port, a throw-away self-signed
// certificate made by record-har.sh) serves both www.voipgrid.nl and
// www.google-analytics.com; Chromium maps those names to 127.0.0.1 with
// --host-resolver-rules and resolves nothing else, so no traffic leaves the machine.
// Chromium is driven over the DevTools protocol on a pipe (--remote-debugging-pipe): it
// opens the home page, follows the link to /contact, and this script turns the Network
// events (requests, responses, the raw Set-Cookie and Cookie headers) into HAR entries the
// way Chromium's DevTools export does, with cookies. Only Node's standard library is used.
//
// Usage: node record-har.mjs --chromium /usr/bin/chromium --key KEY.pem --cert CERT.pem
//        [--tracking] --out FILE.har
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const args = process.argv.slice(2);
const option = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const chromium = option('--chromium') ?? '/usr/bin/chromium';
const out = option('--out');
const tracking = args.includes('--tracking');
if (!out || !option('--key') || !option('--cert')) {
  console.error('usage: node record-har.mjs --key KEY.pem --cert CERT.pem [--tracking] --out FILE.har');
  process.exit(2);
}

// A 1x1 transparent GIF, as analytics pixels answer.
const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
const random = () => Math.floor(Math.random() * 1e9).toString(36) + Date.now().toString(36);

function page(title, port, body) {
  const pixel = `https://www.google-analytics.com:${port}/collect?v=1&t=pageview&tid=UA-12345678-1&cid=${random()}`;
  return `<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>${title} - VoIPGRID</title>
<link rel="stylesheet" href="/static/site.css"></head>
<body><nav><a href="/">Home</a> <a href="/contact">Contact</a></nav>
<main>${body}</main>
<img src="${pixel}" width="1" height="1" alt="">
</body></html>
`;
}

const server = createServer(
  { key: readFileSync(option('--key')), cert: readFileSync(option('--cert')) },
  (req, res) => {
    const host = (req.headers.host ?? '').split(':')[0];
    const port = server.address().port;
    const url = new URL(req.url, `https://${host}`);
    if (host === 'www.google-analytics.com' && url.pathname === '/collect') {
      res.writeHead(200, { 'content-type': 'image/gif', 'cache-control': 'no-cache, no-store' });
      return res.end(GIF);
    }
    if (host !== 'www.voipgrid.nl') {
      res.writeHead(404, { 'content-type': 'text/plain' });
      return res.end('not found\n');
    }
    if (url.pathname === '/static/site.css') {
      res.writeHead(200, { 'content-type': 'text/css' });
      return res.end('body { font-family: sans-serif; }\n');
    }
    if (url.pathname === '/' || url.pathname === '/contact') {
      const cookies = [];
      const sent = req.headers.cookie ?? '';
      if (!sent.includes('PHPSESSID='))
        cookies.push(`PHPSESSID=${random()}; Path=/; Secure; HttpOnly; SameSite=Lax`);
      if (url.pathname === '/') {
        // The consent banner's choice: read by its script, so not HttpOnly.
        cookies.push(`CookieConsent=${random()}; Max-Age=31536000; Path=/; Secure; SameSite=Lax`);
        if (tracking)
          cookies.push(`_fbp=fb.1.${Date.now()}.${random()}; Max-Age=7776000; Domain=voipgrid.nl; Path=/; Secure; SameSite=Lax`);
      }
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'set-cookie': cookies });
      const body = url.pathname === '/' ? '<h1>VoIPGRID</h1><p>Telefonie voor partners.</p>'
                                        : '<h1>Contact</h1><p>security@voipgrid.nl</p>';
      return res.end(page(url.pathname === '/' ? 'Home' : 'Contact', port, body));
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found\n');
  });

await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const port = server.address().port;
const profile = mkdtempSync(join(tmpdir(), 'record-har-'));

const browser = spawn(chromium, [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  `--user-data-dir=${profile}`, '--remote-debugging-pipe', '--ignore-certificate-errors',
  '--host-resolver-rules=MAP www.voipgrid.nl 127.0.0.1, MAP www.google-analytics.com 127.0.0.1, MAP * ~NOTFOUND',
  'about:blank',
], { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] });

// The DevTools protocol over the pipe: JSON messages ended by a NUL byte.
let nextId = 1;
const pending = new Map();
const listeners = [];
let buffer = Buffer.alloc(0);
browser.stdio[4].on('data', (chunk) => {
  buffer = Buffer.concat([buffer, chunk]);
  for (let end; (end = buffer.indexOf(0)) >= 0;) {
    const message = JSON.parse(buffer.subarray(0, end).toString('utf8'));
    buffer = buffer.subarray(end + 1);
    if (message.id && pending.has(message.id)) {
      const { resolve, reject } = pending.get(message.id);
      pending.delete(message.id);
      message.error ? reject(new Error(message.error.message)) : resolve(message.result);
    } else if (message.method) {
      for (const listener of listeners) listener(message);
    }
  }
});
function send(method, params = {}, sessionId) {
  const id = nextId++;
  const message = { id, method, params };
  if (sessionId) message.sessionId = sessionId;
  browser.stdio[3].write(JSON.stringify(message) + '\0');
  return new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
}
function once(method) {
  return new Promise((resolve) => {
    const listener = (message) => {
      if (message.method !== method) return;
      listeners.splice(listeners.indexOf(listener), 1);
      resolve(message.params);
    };
    listeners.push(listener);
  });
}

const requests = new Map();  // requestId -> what the Network domain told about it
const record = (id) => {
  if (!requests.has(id)) requests.set(id, { order: requests.size });
  return requests.get(id);
};
let currentPage = null;
listeners.push(({ method, params }) => {
  if (method === 'Network.requestWillBeSent') {
    const r = record(params.requestId);
    Object.assign(r, { request: params.request, wallTime: params.wallTime, timestamp: params.timestamp,
                       type: params.type, pageref: currentPage });
  } else if (method === 'Network.requestWillBeSentExtraInfo') {
    Object.assign(record(params.requestId), { requestExtra: params });
  } else if (method === 'Network.responseReceived') {
    Object.assign(record(params.requestId), { response: params.response, responseTime: params.timestamp });
  } else if (method === 'Network.responseReceivedExtraInfo') {
    Object.assign(record(params.requestId), { responseExtra: params });
  } else if (method === 'Network.dataReceived') {
    const r = record(params.requestId);
    r.size = (r.size ?? 0) + params.dataLength;
  } else if (method === 'Network.loadingFinished') {
    Object.assign(record(params.requestId), { finished: params.timestamp, encoded: params.encodedDataLength });
  }
});

const version = await send('Browser.getVersion');
const { targetId } = await send('Target.createTarget', { url: 'about:blank' });
const { sessionId } = await send('Target.attachToTarget', { targetId, flatten: true });
await send('Network.enable', {}, sessionId);
await send('Network.setCacheDisabled', { cacheDisabled: true }, sessionId);
await send('Page.enable', {}, sessionId);

const pages = [];
for (const path of ['/', '/contact']) {
  const url = `https://www.voipgrid.nl:${port}${path}`;
  currentPage = `page_${pages.length + 1}`;
  pages.push({ id: currentPage, startedDateTime: new Date().toISOString(), title: url, pageTimings: {} });
  const loaded = once('Page.loadEventFired');
  await send('Page.navigate', { url }, sessionId);
  await loaded;
  await new Promise((resolve) => setTimeout(resolve, 500));
}
const exited = new Promise((resolve) => browser.once('exit', resolve));
await send('Browser.close').catch(() => {});
await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
if (browser.exitCode === null) browser.kill();
server.close();

// --- HAR 1.2, the way DevTools exports it with cookies -----------------------------------
const headerList = (headers = {}) =>
  Object.entries(headers).flatMap(([name, value]) =>
    String(value).split('\n').map((v) => ({ name, value: v })));

function setCookie(line, date) {
  const [pair, ...attributes] = line.split(';');
  const eq = pair.indexOf('=');
  const cookie = { name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim(), path: '/',
                   httpOnly: false, secure: false };
  for (const attribute of attributes) {
    const [key, ...rest] = attribute.split('=');
    const value = rest.join('=').trim();
    switch (key.trim().toLowerCase()) {
      case 'path': cookie.path = value; break;
      case 'domain': cookie.domain = value.startsWith('.') ? value : `.${value}`; break;
      case 'max-age': cookie.expires = new Date(date.getTime() + Number(value) * 1000).toISOString(); break;
      case 'expires': cookie.expires ??= new Date(value).toISOString(); break;
      case 'httponly': cookie.httpOnly = true; break;
      case 'secure': cookie.secure = true; break;
      case 'samesite': cookie.sameSite = value; break;
    }
  }
  return cookie;
}

const entries = [...requests.values()]
  .filter((r) => r.request && r.response)
  .sort((a, b) => a.order - b.order)
  .map((r) => {
    const started = new Date(r.wallTime * 1000);
    const requestHeaders = headerList(r.requestExtra?.headers ?? r.request.headers);
    const responseHeaders = headerList(r.responseExtra?.headers ?? r.response.headers);
    const sentCookies = (r.requestExtra?.associatedCookies ?? [])
      .filter((c) => c.blockedReasons.length === 0)
      .map(({ cookie }) => ({ name: cookie.name, value: cookie.value, path: cookie.path,
                              domain: cookie.domain, expires: cookie.session ? null : new Date(cookie.expires * 1000).toISOString(),
                              httpOnly: cookie.httpOnly, secure: cookie.secure, sameSite: cookie.sameSite }));
    const setCookies = responseHeaders.filter((h) => h.name.toLowerCase() === 'set-cookie')
      .map((h) => setCookie(h.value, started));
    const url = new URL(r.request.url);
    const wait = Math.max(0, ((r.responseTime ?? r.timestamp) - r.timestamp) * 1000);
    const receive = Math.max(0, ((r.finished ?? r.responseTime) - (r.responseTime ?? r.timestamp)) * 1000);
    return {
      _resourceType: (r.type ?? 'other').toLowerCase(),
      cache: {},
      pageref: r.pageref,
      request: {
        method: r.request.method, url: r.request.url, httpVersion: r.response.protocol ?? 'http/1.1',
        headers: requestHeaders,
        queryString: [...url.searchParams].map(([name, value]) => ({ name, value })),
        cookies: sentCookies, headersSize: -1, bodySize: 0,
      },
      response: {
        status: r.response.status, statusText: r.response.statusText ?? '',
        httpVersion: r.response.protocol ?? 'http/1.1', headers: responseHeaders, cookies: setCookies,
        content: { size: r.size ?? 0, mimeType: r.response.mimeType ?? '' },
        redirectURL: '', headersSize: -1, bodySize: r.encoded ?? -1,
        _transferSize: r.encoded ?? -1,
      },
      serverIPAddress: r.response.remoteIPAddress ?? '',
      startedDateTime: started.toISOString(),
      time: wait + receive,
      timings: { blocked: -1, dns: -1, ssl: -1, connect: -1, send: 0, wait, receive },
    };
  });

const har = {
  log: {
    version: '1.2',
    creator: { name: 'telcomply tests/data/cookies/record-har.mjs (Chromium DevTools protocol)', version: '1' },
    browser: { name: 'Chromium', version: version.product.replace(/^[^/]*\//, '') },
    pages,
    entries,
  },
};
writeFileSync(out, JSON.stringify(har, null, 2) + '\n');
rmSync(profile, { recursive: true, force: true });
console.error(`recorded ${entries.length} requests on ${pages.length} pages into ${out}`);
