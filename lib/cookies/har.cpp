// HAR 1.2, read as nlohmann's SAX parser streams it. A HAR is mostly what the check never
// looks at (headers, timings, query strings, bodies), so no document is built: a handler
// follows where the parser is in the HAR's shape, keeps the few fields read_har's contract
// names, notes the position of the objects it keeps as the parser meets them, and turns each
// entry into inventory items when the entry ends. Cookie values are never kept: a Cookie
// header is reduced to its names and a Set-Cookie header loses its value as soon as the
// header object ends. An item that repeats one kept before is dropped at once (a browser
// sends its cookie jar with every request), so that memory follows what the site sets, not
// the length of the recording. Where a key occurs twice in an object, the last one counts,
// as in a JSON document.
#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "cookies/inventory.h"
#include "cookies/text.h"

namespace telcomply {

namespace {

using cookie_text::lower;
using cookie_text::trim;
using nlohmann::json;

using Position = std::pair<int, int>;  // line, column

bool equals_lower(std::string_view text, std::string_view lowercase) {
  if (text.size() != lowercase.size()) return false;
  for (std::size_t i = 0; i < text.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(text[i])) != lowercase[i]) return false;
  return true;
}

// Calls `each` with every piece of `text` between `separator`s as std::getline would give
// them (no piece after a final separator).
template <class Each>
void for_each_piece(std::string_view text, char separator, Each each) {
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = std::min(text.find(separator, start), text.size());
    each(text.substr(start, end - start));
    start = end + 1;
  }
}

// A Set-Cookie header without its cookie values: on each line, what stands between the
// name's '=' and the first ';' goes. Whatever parse_set_cookie reads is left.
std::string without_values(std::string_view header) {
  std::string out;
  out.reserve(header.size());
  std::size_t start = 0;
  for (;;) {
    const std::size_t end = std::min(header.find('\n', start), header.size());
    const std::string_view line = header.substr(start, end - start);
    const std::size_t semi = std::min(line.find(';'), line.size());
    const std::size_t eq = line.substr(0, semi).find('=');
    if (eq == std::string_view::npos) {
      out += line;
    } else {
      out += line.substr(0, eq + 1);
      out += line.substr(semi);
    }
    if (end == header.size()) return out;
    out += '\n';
    start = end + 1;
  }
}

// Where the parser is in the HAR's shape: the object or array it is in.
enum class At : std::uint8_t {
  root,
  log,
  pages,
  page,
  entries,
  entry,
  request,
  request_headers,
  request_header,
  request_cookies,
  request_cookie,
  response,
  response_headers,
  response_header,
  response_cookies,
  response_cookie,
  content,
};

// The keys that matter, in whichever object they matter.
enum class Key : std::uint8_t {
  other,
  log,
  format,
  cookies,
  edps,  // beacons, uri_ins, browsing_history
  origins,
  pages,
  entries,
  id,
  title,
  request,
  response,
  started,
  pageref,
  resource_type,
  url,
  headers,
  name,
  value,
  status,
  content,
  body_size,
  domain,
  path,
  secure,
  http_only,
  same_site,
  expires,
  mime_type,
  size,
};

// A cookie name sent in a request, or a Set-Cookie header without values, and where.
struct Held {
  std::string text;
  Position pos;
};

struct ResponseCookie {
  CookieAttributes attributes;
  bool expires_given = false;  // present and not null
  std::optional<std::int64_t> expires;
  Position pos;
};

// The elements of a cookies array, or the headers of one name: how many, and those kept.
template <class T>
struct Counted {
  std::size_t count = 0;
  std::vector<T> kept;

  void clear() {
    count = 0;
    kept.clear();
  }
};

// What one entry holds of what the check uses.
struct Entry {
  std::string started, pageref, resource_type;

  bool request = false;  // an object
  Position request_pos;
  std::string url;
  std::optional<std::string> referer_page;  // of the first Referer header that is a URL
  Counted<Held> cookie_headers;             // their cookie names
  Counted<Held> request_cookies;            // the named ones

  bool response = false;  // an object
  std::optional<std::int64_t> status;
  Counted<Held> set_cookies;                 // Set-Cookie headers without values
  Counted<ResponseCookie> response_cookies;  // the named ones
  bool content = false;                      // an object
  std::string mime_type;
  std::optional<std::int64_t> content_size, body_size;

  void clear_request() {
    request = false;
    url.clear();
    clear_request_headers();
    request_cookies.clear();
  }
  void clear_request_headers() {
    referer_page.reset();
    cookie_headers.clear();
  }
  void clear_response() {
    response = false;
    status.reset();
    set_cookies.clear();
    response_cookies.clear();
    clear_content();
    body_size.reset();
  }
  void clear_content() {
    content = false;
    mime_type.clear();
    content_size.reset();
  }
  void clear() {
    started.clear();
    pageref.clear();
    resource_type.clear();
    clear_request();
    clear_response();
  }

  // A tiny image (at most 1 KiB) is a likely tracking pixel.
  bool tiny_image() const {
    if (!content || !lower(mime_type).starts_with("image/")) return false;
    std::optional<std::int64_t> size = content_size;
    if (!size || *size < 0) size = body_size;
    return size && *size >= 0 && *size <= 1024;
  }
};

// The items of an entry whose page is that of its pageref, once the pages are known.
struct PageRef {
  std::string id;
  std::size_t first, last;
};

// Whether two items are the same observation, seen again: equal in everything but their
// place and when they were seen. A cookie with an expiry is the same only with the same
// lifetime, set on the same day (UTC): its lifetime is judged from that day.
bool same_observation(const ObservedCookie& a, const ObservedCookie& b) {
  constexpr std::int64_t kDay = 86400;
  const auto day = [](std::int64_t t) { return t / kDay - (t % kDay < 0 ? 1 : 0); };
  if (a.type != b.type || a.name != b.name || a.domain != b.domain || a.path != b.path ||
      a.page != b.page || a.host_only != b.host_only || a.expiry_known != b.expiry_known ||
      a.secure != b.secure || a.http_only != b.http_only || a.same_site != b.same_site ||
      a.evidence != b.evidence || a.phase != b.phase ||
      a.expires.has_value() != b.expires.has_value() ||
      a.captured.has_value() != b.captured.has_value())
    return false;
  if (!a.expires) return true;
  if (!a.captured) return *a.expires == *b.expires;
  return *a.expires - *a.captured == *b.expires - *b.captured &&
         day(*a.captured) == day(*b.captured);
}

// The items kept so far that later items may repeat, by their place in the item list.
class Kept {
 public:
  explicit Kept(const std::vector<ObservedCookie>& items) : set_(64, Hash{&items}, Equal{&items}) {}
  // Whether items[index] repeats one kept before; if not, it is kept from now on.
  bool repeats(std::size_t index) { return !set_.insert(index).second; }
  void clear() { set_.clear(); }

 private:
  struct Hash {
    const std::vector<ObservedCookie>* items;
    std::size_t operator()(std::size_t i) const {
      const ObservedCookie& o = (*items)[i];
      const std::hash<std::string> h;
      return h(o.name) ^ (h(o.domain) * 31) ^ (h(o.page) * 961) ^ (h(o.path) * 29791);
    }
  };
  struct Equal {
    const std::vector<ObservedCookie>* items;
    bool operator()(std::size_t a, std::size_t b) const {
      return same_observation((*items)[a], (*items)[b]);
    }
  };
  std::unordered_set<std::size_t, Hash, Equal> set_;
};

class HarSax : public JsonSaxErrors {
 public:
  HarSax(const std::string& name, const JsonInput& input, HarContent& out)
      : name_(name), input_(input), out_(out), kept_(out.items) {}

  bool null() { return skip_ || other(std::nullopt); }
  bool boolean(bool v) { return skip_ || other(v); }
  bool number_integer(json::number_integer_t v) { return skip_ || number(json(v)); }
  bool number_unsigned(json::number_unsigned_t v) { return skip_ || number(json(v)); }
  bool number_float(json::number_float_t v, const json::string_t&) {
    return skip_ || number(json(v));
  }
  bool string(json::string_t& v) {
    if (skip_ || stack_.empty()) return true;
    if (std::string* field = string_field()) {
      std::swap(*field, v);  // the lexer's buffer, taken rather than copied
    } else if (top() == At::root && key_ == Key::format) {
      out_.shape.scan = v == "telcomply-cookie-scan";
    } else if (top() == At::response_cookie && key_ == Key::expires) {
      set_.expires_given = true;
      set_.expires = parse_iso_time(v);
    } else {
      element();
    }
    return true;
  }
  bool key(json::string_t& k) {
    if (skip_) return true;
    key_ = key_named(k);
    forget();
    return true;
  }
  bool start_object(std::size_t) { return open(true); }
  bool start_array(std::size_t) { return open(false); }
  bool end_object() { return close(); }
  bool end_array() { return close(); }

  // After a successful parse: what is not a HAR, and the pages of the entries.
  void finish() {
    if (!out_.shape.object) {
      invalid(SourceLocation{name_, 0, 0}, "expected a JSON object");
    } else if (!out_.shape.log_entries || !entries_array_) {
      out_.invalid.reset();
      invalid(where(root_pos_), "not a HAR file: 'log.entries' is missing");
    }
    if (repaged_)
      invalid(where(root_pos_),
              "not a HAR file: 'log.pages' is given again after entries that refer to its pages");
    if (out_.invalid) return;
    for (const PageRef& ref : page_refs_)
      if (auto it = pages_.find(ref.id); it != pages_.end())
        for (std::size_t i = ref.first; i < ref.last; ++i) out_.items[i].page = it->second;
    if (entry_count_ > 0 && !saw_cookie_data_)
      out_.notes.push_back(Finding{
          "sanitised-har", Severity::warning,
          "the HAR holds no cookies and no Cookie or Set-Cookie headers: it was probably "
          "exported sanitised; export it with cookies (in Chrome: 'Export HAR (with sensitive "
          "data)')",
          where(root_pos_), ""});
  }

 private:
  SourceLocation where(Position pos) const { return SourceLocation{name_, pos.first, pos.second}; }

  void invalid(const SourceLocation& loc, const std::string& message) {
    if (!out_.invalid) out_.invalid.emplace(Exit::invalid, located(loc, message));
  }

  At top() const { return stack_.back(); }

  // Counts an element of the arrays whose length matters.
  void element() {
    switch (top()) {
      case At::entries:
        ++entry_count_;
        break;
      case At::request_cookies:
        ++entry_.request_cookies.count;
        break;
      case At::response_cookies:
        ++entry_.response_cookies.count;
        break;
      default:
        break;
    }
  }

  // The key `k` means, where the parser is.
  Key key_named(const std::string& k) const {
    switch (top()) {
      case At::root:
        if (k == "log") return Key::log;
        if (k == "format") return Key::format;
        if (k == "cookies") return Key::cookies;
        if (k == "beacons" || k == "uri_ins" || k == "browsing_history") return Key::edps;
        if (k == "origins") return Key::origins;
        break;
      case At::log:
        if (k == "pages") return Key::pages;
        if (k == "entries") return Key::entries;
        break;
      case At::page:
        if (k == "id") return Key::id;
        if (k == "title") return Key::title;
        break;
      case At::entry:
        if (k == "request") return Key::request;
        if (k == "response") return Key::response;
        if (k == "startedDateTime") return Key::started;
        if (k == "pageref") return Key::pageref;
        if (k == "_resourceType") return Key::resource_type;
        break;
      case At::request:
        if (k == "url") return Key::url;
        if (k == "headers") return Key::headers;
        if (k == "cookies") return Key::cookies;
        break;
      case At::request_header:
      case At::response_header:
        if (k == "name") return Key::name;
        if (k == "value") return Key::value;
        break;
      case At::request_cookie:
        if (k == "name") return Key::name;
        break;
      case At::response:
        if (k == "status") return Key::status;
        if (k == "headers") return Key::headers;
        if (k == "cookies") return Key::cookies;
        if (k == "content") return Key::content;
        if (k == "bodySize") return Key::body_size;
        break;
      case At::response_cookie:
        if (k == "name") return Key::name;
        if (k == "domain") return Key::domain;
        if (k == "path") return Key::path;
        if (k == "secure") return Key::secure;
        if (k == "httpOnly") return Key::http_only;
        if (k == "sameSite") return Key::same_site;
        if (k == "expires") return Key::expires;
        break;
      case At::content:
        if (k == "mimeType") return Key::mime_type;
        if (k == "size") return Key::size;
        break;
      default:
        break;  // arrays have no keys
    }
    return Key::other;
  }

  // A value for key_ follows: what the same key gave before no longer counts (of equal keys
  // the last counts, as in a document).
  void forget() {
    if (std::string* field = string_field()) return field->clear();
    switch (top()) {
      case At::root:
        if (key_ == Key::log) {
          out_.shape.log_entries = false;
          pages_.clear();
          clear_entries();
        } else if (key_ == Key::format) {
          out_.shape.scan = false;
        } else if (key_ == Key::cookies) {
          out_.shape.cookies_array = false;
        } else if (key_ == Key::edps) {
          out_.shape.edps_keys = true;  // there at all is enough
        } else if (key_ == Key::origins) {
          out_.shape.origins = true;
        }
        break;
      case At::log:
        if (key_ == Key::pages) {
          repaged_ = repaged_ || paged_;
          pages_.clear();
        } else if (key_ == Key::entries) {
          out_.shape.log_entries = true;
          clear_entries();
        }
        break;
      case At::entry:
        if (key_ == Key::request) entry_.clear_request();
        if (key_ == Key::response) entry_.clear_response();
        break;
      case At::request:
        if (key_ == Key::headers) entry_.clear_request_headers();
        if (key_ == Key::cookies) entry_.request_cookies.clear();
        break;
      case At::response:
        if (key_ == Key::status) entry_.status.reset();
        if (key_ == Key::headers) entry_.set_cookies.clear();
        if (key_ == Key::cookies) entry_.response_cookies.clear();
        if (key_ == Key::content) entry_.clear_content();
        if (key_ == Key::body_size) entry_.body_size.reset();
        break;
      case At::response_cookie:
        if (key_ == Key::secure) set_.attributes.secure.reset();
        if (key_ == Key::http_only) set_.attributes.http_only.reset();
        if (key_ == Key::expires) {
          set_.expires_given = false;
          set_.expires.reset();
        }
        break;
      case At::content:
        if (key_ == Key::size) entry_.content_size.reset();
        break;
      default:
        break;
    }
  }

  void clear_entries() {
    entries_array_ = false;
    entry_count_ = 0;
    saw_cookie_data_ = false;
    out_.items.clear();
    kept_.clear();
    out_.invalid.reset();
    page_refs_.clear();
    paged_ = repaged_ = false;
  }

  // Where a string value goes, given where the parser is; nullptr: nowhere.
  std::string* string_field() {
    switch (top()) {
      case At::page:
        if (key_ == Key::id) return &page_id_;
        if (key_ == Key::title) return &page_title_;
        break;
      case At::entry:
        if (key_ == Key::started) return &entry_.started;
        if (key_ == Key::pageref) return &entry_.pageref;
        if (key_ == Key::resource_type) return &entry_.resource_type;
        break;
      case At::request:
        if (key_ == Key::url) return &entry_.url;
        break;
      case At::request_header:
      case At::response_header:
        if (key_ == Key::name) return &header_name_;
        if (key_ == Key::value) return &header_value_;
        break;
      case At::request_cookie:
        if (key_ == Key::name) return &sent_.text;
        break;
      case At::response_cookie:
        if (key_ == Key::name) return &set_.attributes.name;
        if (key_ == Key::domain) return &set_.attributes.domain;
        if (key_ == Key::path) return &set_.attributes.path;
        if (key_ == Key::same_site) return &set_.attributes.same_site;
        break;
      case At::content:
        if (key_ == Key::mime_type) return &entry_.mime_type;
        break;
      default:
        break;
    }
    return nullptr;
  }

  // A null (nullopt) or a boolean.
  bool other(std::optional<bool> flag) {
    if (stack_.empty()) return true;
    if (top() == At::response_cookie) {
      if (key_ == Key::secure)
        set_.attributes.secure = flag;
      else if (key_ == Key::http_only)
        set_.attributes.http_only = flag;
      else if (key_ == Key::expires && flag)
        set_.expires_given = true;
    } else {
      element();
    }
    return true;
  }

  bool number(const json& value) {
    if (stack_.empty()) return true;
    switch (top()) {
      case At::response:
        if (key_ == Key::status)
          entry_.status = whole_number(value);
        else if (key_ == Key::body_size)
          entry_.body_size = whole_number(value);
        break;
      case At::content:
        if (key_ == Key::size) entry_.content_size = whole_number(value);
        break;
      case At::response_cookie:
        if (key_ == Key::expires) {
          set_.expires_given = true;
          set_.expires = expiry_number(value);
        }
        break;
      default:
        element();
        break;
    }
    return true;
  }

  // The object or array to follow into, given where the parser is and the key.
  std::optional<At> child(bool object) {
    if (stack_.empty()) {
      out_.shape.object = object;
      if (object) root_pos_ = input_.last();
      return object ? std::optional(At::root) : std::nullopt;
    }
    switch (top()) {
      case At::root:
        if (key_ == Key::log && object) return At::log;
        if (key_ == Key::cookies && !object) out_.shape.cookies_array = true;
        return std::nullopt;
      case At::log:
        if (key_ == Key::pages && !object) return At::pages;
        if (key_ == Key::entries && !object) {
          entries_array_ = true;
          return At::entries;
        }
        return std::nullopt;
      case At::pages:
        if (!object) return std::nullopt;
        page_id_.clear();
        page_title_.clear();
        return At::page;
      case At::entries:
        ++entry_count_;
        if (!object) return std::nullopt;
        entry_.clear();
        return At::entry;
      case At::entry:
        if (key_ == Key::request && object) {
          entry_.request = true;
          entry_.request_pos = input_.last();
          return At::request;
        }
        if (key_ == Key::response && object) {
          entry_.response = true;
          return At::response;
        }
        return std::nullopt;
      case At::request:
        if (key_ == Key::headers && !object) return At::request_headers;
        if (key_ == Key::cookies && !object) return At::request_cookies;
        return std::nullopt;
      case At::response:
        if (key_ == Key::headers && !object) return At::response_headers;
        if (key_ == Key::cookies && !object) return At::response_cookies;
        if (key_ == Key::content && object) {
          entry_.content = true;
          return At::content;
        }
        return std::nullopt;
      case At::request_headers:
      case At::response_headers:
        if (!object) return std::nullopt;
        header_name_.clear();
        header_value_.clear();
        header_pos_ = input_.last();
        return top() == At::request_headers ? At::request_header : At::response_header;
      case At::request_cookies:
        ++entry_.request_cookies.count;
        if (!object) return std::nullopt;
        sent_.text.clear();
        sent_.pos = input_.last();
        return At::request_cookie;
      case At::response_cookies:
        ++entry_.response_cookies.count;
        if (!object) return std::nullopt;
        set_ = ResponseCookie{};
        set_.pos = input_.last();
        return At::response_cookie;
      case At::response_cookie:
        if (key_ == Key::expires) set_.expires_given = true;  // an object or array: no time
        return std::nullopt;
      default:
        return std::nullopt;
    }
  }

  bool open(bool object) {
    if (depth_ >= kMaxDepth) {
      too_deep = true;
      return false;
    }
    ++depth_;
    if (skip_) {
      ++skip_;
      return true;
    }
    if (auto next = child(object))
      stack_.push_back(*next);
    else
      skip_ = 1;
    return true;
  }

  bool close() {
    --depth_;
    if (skip_) {
      --skip_;
      return true;
    }
    const At done = top();
    stack_.pop_back();
    switch (done) {
      case At::page:
        if (auto url = parse_url(page_title_)) pages_[page_id_] = url->page;
        break;
      case At::request_header:
        end_request_header();
        break;
      case At::response_header:
        if (equals_lower(header_name_, "set-cookie")) {
          ++entry_.set_cookies.count;
          entry_.set_cookies.kept.push_back(Held{without_values(header_value_), header_pos_});
        }
        header_value_.clear();
        break;
      case At::request_cookie:
        if (!sent_.text.empty()) entry_.request_cookies.kept.push_back(std::move(sent_));
        break;
      case At::response_cookie:
        if (!set_.attributes.name.empty()) entry_.response_cookies.kept.push_back(std::move(set_));
        break;
      case At::entry:
        end_entry();
        break;
      default:
        break;
    }
    return true;
  }

  void end_request_header() {
    if (equals_lower(header_name_, "referer")) {
      if (!entry_.referer_page)
        if (auto ref = parse_url(header_value_)) entry_.referer_page = std::move(ref->page);
    } else if (equals_lower(header_name_, "cookie")) {
      ++entry_.cookie_headers.count;
      for_each_piece(header_value_, ';', [&](std::string_view pair) {
        const std::string_view name = trim(pair.substr(0, pair.find('=')));
        if (!name.empty())
          entry_.cookie_headers.kept.push_back(Held{std::string(name), header_pos_});
      });
    }
    header_value_.clear();
  }

  // An entry's items: the cookies its response set (the cookies array, or else the
  // Set-Cookie headers), the cookies its request sent (the cookies array, or else the Cookie
  // headers), and the request itself as a possible pixel.
  void end_entry() {
    const Entry& e = entry_;
    if (!e.request || out_.invalid) return;
    const auto url = parse_url(e.url);
    if (!url) return;  // data:, blob:, extension URLs
    const std::int64_t captured = parse_iso_time(e.started).value_or(unix_now());
    std::vector<ObservedCookie>& items = out_.items;

    if (e.response) {
      saw_cookie_data_ = saw_cookie_data_ || e.response_cookies.count || e.set_cookies.count;
      for (const ResponseCookie& c : e.response_cookies.kept) {
        ObservedCookie o = observe_cookie(c.attributes);
        if (o.domain.empty()) o.domain = url->host;
        if (c.expires_given) {
          o.expires = c.expires;
          if (!o.expires)
            return invalid(where(c.pos), "cookie '" + o.name + "': 'expires' is not a time");
        }
        o.captured = captured;
        o.secure = o.secure.value_or(false);
        o.http_only = o.http_only.value_or(false);
        o.page = url->page;
        o.loc = where(c.pos);
        keep(std::move(o), true);
      }
      if (e.response_cookies.count == 0)
        for (const Held& header : e.set_cookies.kept)
          // A header may hold several cookies separated by newlines (Firefox).
          for_each_piece(header.text, '\n', [&](std::string_view line) {
            if (auto c = parse_set_cookie(line, captured)) {
              ObservedCookie o = observe_set_cookie(*c, *url, captured);
              o.loc = where(header.pos);
              keep(std::move(o), true);
            }
          });
    }

    // Cookies the browser sent: present, their expiry unknown. Their page, and the pixel's,
    // is the one of the pageref when the pages name it; pages that come after the entries
    // are looked up at the end (see finish()), and these items kept until then.
    saw_cookie_data_ = saw_cookie_data_ || e.request_cookies.count || e.cookie_headers.count;
    const std::string* named = nullptr;
    if (!e.pageref.empty())
      if (auto it = pages_.find(e.pageref); it != pages_.end()) named = &it->second;
    const bool page_later = !e.pageref.empty() && !named;
    paged_ = paged_ || named;
    const std::string& page = named ? *named : e.referer_page ? *e.referer_page : url->page;
    const std::size_t first = items.size();
    for (const Held& sent :
         e.request_cookies.count ? e.request_cookies.kept : e.cookie_headers.kept) {
      ObservedCookie o;
      o.name = sent.text;
      o.domain = url->host;
      o.path = "/";
      o.expiry_known = false;
      o.captured = captured;
      o.page = page;
      o.loc = where(sent.pos);
      keep(std::move(o), !page_later);
    }

    // Every request may be a declared pixel; some look like tracking requests.
    ObservedCookie px;
    px.type = CookieType::pixel;
    px.name = url->host + url->path;
    px.domain = url->host;
    px.path = url->path;
    px.captured = captured;
    px.page = page;
    const std::string resource = lower(e.resource_type);
    if (resource == "ping" || resource == "beacon" ||
        (e.response && (e.status == 204 || e.tiny_image())))
      px.evidence = PixelEvidence::heuristic;
    px.loc = where(e.request_pos);
    keep(std::move(px), !page_later);
    if (page_later) page_refs_.push_back(PageRef{e.pageref, first, items.size()});
  }

  // Adds an item, unless `final` (nothing changes it any more) and it repeats one kept.
  void keep(ObservedCookie&& item, bool final) {
    out_.items.push_back(std::move(item));
    if (final && kept_.repeats(out_.items.size() - 1)) out_.items.pop_back();
  }

  const std::string& name_;
  const JsonInput& input_;
  HarContent& out_;

  std::vector<At> stack_;  // the objects and arrays followed into
  std::size_t depth_ = 0;  // all open objects and arrays
  std::size_t skip_ = 0;   // open objects and arrays not followed into
  Key key_ = Key::other;   // the last key, in the innermost object followed into

  Position root_pos_;
  std::map<std::string, std::string> pages_;  // id: page URL
  std::string page_id_, page_title_;          // of the page being read
  bool entries_array_ = false;
  std::size_t entry_count_ = 0;
  bool saw_cookie_data_ = false;
  std::vector<PageRef> page_refs_;  // of entries whose pageref the pages did not name yet
  Kept kept_;                       // the items that are final, to drop their repeats
  bool paged_ = false;              // an item has the page its pageref names
  bool repaged_ = false;            // ... and then the pages were given again

  Entry entry_;
  std::string header_name_, header_value_;
  Position header_pos_;
  Held sent_;           // the request cookie being read
  ResponseCookie set_;  // the response cookie being read
};

}  // namespace

HarContent read_har(const std::string& name, JsonInput& input) {
  HarContent out;
  HarSax sax(name, input, out);
  parse_json(name, input, sax);
  sax.finish();
  return out;
}

}  // namespace telcomply
