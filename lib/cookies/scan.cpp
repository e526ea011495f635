#include "cookies/scan.h"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <deque>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>

#include "cookies/text.h"
#include "core/date.h"
#include "io/curl_api.h"

namespace telcomply {

namespace {

using cookie_text::lower;
using cookie_text::trim;

// ---------------------------------------------------------------------------------------
// libcurl

class CurlClient : public HttpClient {
 public:
  explicit CurlClient(const ScanOptions& options) : max_body_(options.max_body) {
    init_curl();
    handle_ = curl_easy_init();
    if (!handle_) throw_operational("cannot initialise libcurl");
    std::string sent;
    for (const auto& c : options.cookies) sent += (sent.empty() ? "" : "; ") + c;
    cookie_header_ = sent;
    const long timeout = std::max(1L, options.timeout_seconds);
    bool ok =
        curl_easy_setopt(handle_, CURLOPT_PROTOCOLS_STR, "http,https") == CURLE_OK &&
        curl_easy_setopt(handle_, CURLOPT_REDIR_PROTOCOLS_STR, "http,https") == CURLE_OK &&
        curl_easy_setopt(handle_, CURLOPT_FOLLOWLOCATION, 0L) == CURLE_OK &&
        curl_easy_setopt(handle_, CURLOPT_MAXREDIRS, 0L) == CURLE_OK &&
        curl_easy_setopt(handle_, CURLOPT_CONNECTTIMEOUT, std::min(timeout, 30L)) == CURLE_OK &&
        curl_easy_setopt(handle_, CURLOPT_TIMEOUT, timeout) == CURLE_OK &&
        curl_easy_setopt(handle_, CURLOPT_SSL_VERIFYPEER, 1L) == CURLE_OK &&
        curl_easy_setopt(handle_, CURLOPT_SSL_VERIFYHOST, 2L) == CURLE_OK &&
        curl_easy_setopt(handle_, CURLOPT_NOSIGNAL, 1L) == CURLE_OK &&
        curl_easy_setopt(handle_, CURLOPT_COOKIEFILE, "") == CURLE_OK &&
        curl_easy_setopt(handle_, CURLOPT_ACCEPT_ENCODING, "") == CURLE_OK &&
        curl_easy_setopt(handle_, CURLOPT_USERAGENT,
                         "telcomply/" TELCOMPLY_VERSION " (cookie scan)") == CURLE_OK &&
        curl_easy_setopt(handle_, CURLOPT_ERRORBUFFER, error_) == CURLE_OK &&
        curl_easy_setopt(handle_, CURLOPT_HEADERFUNCTION, &CurlClient::on_header) == CURLE_OK &&
        curl_easy_setopt(handle_, CURLOPT_HEADERDATA, this) == CURLE_OK &&
        curl_easy_setopt(handle_, CURLOPT_WRITEFUNCTION, &CurlClient::on_body) == CURLE_OK &&
        curl_easy_setopt(handle_, CURLOPT_WRITEDATA, this) == CURLE_OK;
    if (ok && !cookie_header_.empty())
      ok = curl_easy_setopt(handle_, CURLOPT_COOKIE, cookie_header_.c_str()) == CURLE_OK;
    if (!ok) {
      curl_easy_cleanup(handle_);
      throw_operational("this libcurl lacks an option the scan needs (libcurl 7.85 or later)");
    }
  }
  ~CurlClient() override { curl_easy_cleanup(handle_); }
  CurlClient(const CurlClient&) = delete;
  CurlClient& operator=(const CurlClient&) = delete;

  HttpResponse get(const std::string& url) override {
    response_ = HttpResponse{};
    error_[0] = '\0';
    curl_easy_setopt(handle_, CURLOPT_URL, url.c_str());
    const CURLcode code = curl_easy_perform(handle_);
    response_.time = static_cast<std::int64_t>(std::time(nullptr));
    if (code != CURLE_OK && !(code == CURLE_WRITE_ERROR && response_.truncated)) {
      const std::string detail = error_[0] ? error_ : curl_easy_strerror(code);
      // The page without its query: a query string may carry a token.
      const auto parts = parse_url(url);
      throw_operational("cannot fetch " + (parts ? parts->page : std::string("the URL")) + ": " + detail);
    }
    curl_easy_getinfo(handle_, CURLINFO_RESPONSE_CODE, &response_.status);
    return std::move(response_);
  }

 private:
  static std::size_t on_header(char* data, std::size_t size, std::size_t count, void* self) {
    auto* client = static_cast<CurlClient*>(self);
    const std::string_view line(data, size * count);
    if (line.starts_with("HTTP/")) {  // a new response (e.g. after 100 Continue)
      client->response_.set_cookies.clear();
      client->response_.location.clear();
      client->response_.content_type.clear();
    }
    const std::size_t colon = line.find(':');
    if (colon != std::string_view::npos) {
      const std::string name = lower(trim(line.substr(0, colon)));
      const std::string value(trim(line.substr(colon + 1)));
      if (name == "set-cookie") client->response_.set_cookies.push_back(value);
      else if (name == "location") client->response_.location = value;
      else if (name == "content-type") client->response_.content_type = lower(value);
    }
    return size * count;
  }

  static std::size_t on_body(char* data, std::size_t size, std::size_t count, void* self) {
    auto* client = static_cast<CurlClient*>(self);
    std::string& body = client->response_.body;
    const std::size_t n = size * count;
    if (body.size() + n > client->max_body_) {
      body.append(data, client->max_body_ - body.size());
      client->response_.truncated = true;
      return 0;  // stop reading: the cap is reached
    }
    body.append(data, n);
    return n;
  }

  CURL* handle_ = nullptr;
  std::size_t max_body_;
  std::string cookie_header_;
  HttpResponse response_;
  char error_[CURL_ERROR_SIZE] = {};
};

// ---------------------------------------------------------------------------------------
// Links

std::optional<std::string> resolve(const std::string& base, const std::string& link) {
  auto u = curl_url_of(base);
  if (!u || curl_url_set(u->get(), CURLUPART_URL, link.c_str(), 0) != CURLUE_OK)
    return std::nullopt;
  curl_url_set(u->get(), CURLUPART_FRAGMENT, nullptr, 0);
  auto result = curl_url_part(u->get(), CURLUPART_URL);
  if (!result || !parse_url(*result)) return std::nullopt;  // http and https only
  return result;
}

std::string decode_entities(std::string text) {
  static const std::pair<const char*, const char*> kEntities[] = {
      {"&amp;", "&"}, {"&#38;", "&"}, {"&quot;", "\""}, {"&#39;", "'"}, {"&lt;", "<"}, {"&gt;", ">"}};
  for (const auto& [from, to] : kEntities)
    for (std::size_t at; (at = text.find(from)) != std::string::npos;)
      text.replace(at, std::string_view(from).size(), to);
  return text;
}

}  // namespace

std::string site_of(const std::string& url) {
  auto parts = parse_url(url);
  return parts ? registrable_domain(parts->host) : std::string();
}

nlohmann::ordered_json scan_cookie_json(const ObservedCookie& c, std::int64_t started) {
  nlohmann::ordered_json cookie{
      {"name", c.name},
      {"domain", c.domain},
      {"host_only", c.host_only},
      {"path", c.path},
      {"expires", c.expires ? nlohmann::ordered_json(format_moment(*c.expires)) : nullptr},
      {"secure", c.secure.value_or(false)},
      {"http_only", c.http_only.value_or(false)},
      {"same_site", c.same_site},
      {"page", c.page},
      {"captured", format_moment(c.captured.value_or(started))}};
  if (c.expiry_clamped) cookie["expiry_clamped"] = true;
  return cookie;
}

std::unique_ptr<HttpClient> make_curl_client(const ScanOptions& options) {
  return std::make_unique<CurlClient>(options);
}

std::vector<std::string> extract_links(const std::string& html, const std::string& base) {
  std::vector<std::string> links;
  const std::string text = lower(html);
  for (std::size_t at = text.find('<'); at != std::string::npos; at = text.find('<', at + 1)) {
    std::size_t name_end = at + 1;
    while (name_end < text.size() && std::isalpha(static_cast<unsigned char>(text[name_end]))) ++name_end;
    const std::string tag = text.substr(at + 1, name_end - at - 1);
    if (tag != "a" && tag != "area") continue;
    const std::size_t close = text.find('>', name_end);
    if (close == std::string::npos) break;
    // Attributes of the tag: find href=value.
    for (std::size_t i = name_end; i < close;) {
      while (i < close && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
      std::size_t key_end = i;
      while (key_end < close && !std::isspace(static_cast<unsigned char>(text[key_end])) &&
             text[key_end] != '=' && text[key_end] != '>')
        ++key_end;
      const std::string key = text.substr(i, key_end - i);
      std::size_t j = key_end;
      while (j < close && std::isspace(static_cast<unsigned char>(text[j]))) ++j;
      std::string value;
      if (j < close && text[j] == '=') {
        ++j;
        while (j < close && std::isspace(static_cast<unsigned char>(text[j]))) ++j;
        if (j < close && (text[j] == '"' || text[j] == '\'')) {
          const char quote = text[j];
          const std::size_t end = text.find(quote, j + 1);
          if (end == std::string::npos) break;
          value = html.substr(j + 1, end - j - 1);
          j = end + 1;
        } else {
          std::size_t end = j;
          while (end < close && !std::isspace(static_cast<unsigned char>(text[end]))) ++end;
          value = html.substr(j, end - j);
          j = end;
        }
      }
      if (key == "href" && !value.empty())
        if (auto url = resolve(base, decode_entities(std::string(trim(value))))) links.push_back(*url);
      if (j == i) ++j;
      i = j;
    }
    at = close;
  }
  return links;
}

ScanResult scan_site(HttpClient& client, const ScanOptions& options, const ProgressSink& progress) {
  if (options.urls.empty()) throw_invalid("give at least one URL to scan");
  if (options.max_pages < 1) throw_invalid("--max-pages must be at least 1");
  if (options.max_redirects < 0) throw_invalid("--max-redirects must not be negative");
  ScanResult result;
  result.started = static_cast<std::int64_t>(std::time(nullptr));
  for (const auto& c : options.cookies) {
    const std::size_t eq = c.find('=');
    if (eq == std::string::npos || eq == 0)
      throw_invalid("--cookie takes NAME=VALUE (a cookie without a name or '=' was given)");
    result.sent_cookies.push_back(c.substr(0, eq));
  }
  result.phase = options.phase.value_or(options.cookies.empty() ? ConsentPhase::before_consent
                                                                : ConsentPhase::consent_given);
  struct Queued {
    std::string url;
    bool start;
  };
  std::deque<Queued> queue;
  std::set<std::string> seen;
  std::set<std::string> sites;
  for (const auto& url : options.urls) {
    if (!parse_url(url)) throw_invalid("cannot scan '" + url + "': only http and https URLs");
    sites.insert(site_of(url));
    if (seen.insert(url).second) queue.push_back(Queued{url, true});
  }
  // Every start page is fetched, however few --max-pages allows; followed links only while
  // fewer pages than that were fetched.
  int fetched = 0;
  while (!queue.empty() && (queue.front().start || fetched < options.max_pages)) {
    const Queued next = queue.front();
    queue.pop_front();
    ++fetched;
    ScannedPage page;
    page.url = parse_url(next.url)->page;
    page.start = next.start;
    if (progress) progress(Progress{"scanning", page.url, fetched, options.max_pages, "pages"});
    std::string url = next.url;
    HttpResponse response;
    try {
      for (int hop = 0;; ++hop) {
        const UrlParts parts = *parse_url(url);
        response = client.get(url);
        for (const auto& header : response.set_cookies)
          if (auto c = parse_set_cookie(header, response.time))
            result.cookies.push_back(observe_set_cookie(*c, parts, response.time));
        const bool redirect = response.status >= 300 && response.status < 400 &&
                              response.status != 304 && !response.location.empty();
        if (!redirect) break;
        if (hop >= options.max_redirects)
          throw_operational("more than " + std::to_string(options.max_redirects) + " redirects");
        auto target = resolve(url, response.location);
        if (!target) throw_operational("redirect to a URL that is not http or https");
        page.redirects.push_back(parts.page);
        url = *target;
      }
      page.status = response.status;
      page.truncated = response.truncated;
      if (auto final_url = parse_url(url)) page.url = final_url->page;
    } catch (const Error& e) {
      page.error = e.what();
      result.pages.push_back(std::move(page));
      continue;
    }
    if (next.start && response.status >= 400)
      page.error = "answered HTTP " + std::to_string(response.status);
    result.pages.push_back(page);
    const bool html = response.content_type.find("html") != std::string::npos;
    if (html && fetched < options.max_pages) {
      for (const auto& link : extract_links(response.body, url)) {
        if (!sites.count(site_of(link))) continue;  // other sites are not followed
        if (seen.insert(link).second) queue.push_back(Queued{link, false});
      }
    }
  }
  result.finished = static_cast<std::int64_t>(std::time(nullptr));
  return result;
}

void write_scan(std::ostream& out, const ScanResult& result) {
  nlohmann::ordered_json doc;
  doc["format"] = "telcomply-cookie-scan";
  doc["version"] = 1;
  doc["started"] = format_moment(result.started);
  doc["finished"] = format_moment(result.finished);
  doc["phase"] = to_string(result.phase);
  doc["sent_cookies"] = result.sent_cookies;
  doc["note"] =
      "Set-Cookie headers only: cookies set by JavaScript need a browser (a HAR or the EDPS "
      "Website Evidence Collector's output)";
  doc["pages"] = nlohmann::ordered_json::array();
  for (const auto& p : result.pages) {
    nlohmann::ordered_json page{{"url", p.url}, {"status", p.status}};
    if (!p.redirects.empty()) page["redirects"] = p.redirects;
    if (p.truncated) page["truncated"] = true;
    if (!p.error.empty()) page["error"] = p.error;
    doc["pages"].push_back(std::move(page));
  }
  doc["cookies"] = nlohmann::ordered_json::array();
  for (const auto& c : result.cookies)
    doc["cookies"].push_back(scan_cookie_json(c, result.started));
  // Names and paths are as the site sent them: bytes that are not UTF-8 become U+FFFD.
  out << doc.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << "\n";
}

}  // namespace telcomply
