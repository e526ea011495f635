// The browser scan: Chromium over --remote-debugging-pipe, one fresh profile per consent
// phase. See browser.h.
#include "cookies/browser.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "cookies/scan.h"
#include "cookies/text.h"
#include "core/date.h"

namespace telcomply {

namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

// ---------------------------------------------------------------------------------------
// The browser process, killed with its whole process group on SIGINT and SIGTERM.

std::atomic<pid_t> g_browser_group{0};
volatile sig_atomic_t g_signal = 0;

void on_signal(int signal) {
  g_signal = signal;
  const pid_t group = g_browser_group.load();
  if (group > 0) ::kill(-group, SIGKILL);
}

// Installs the handlers for as long as it lives, and restores the ones before.
class SignalGuard {
 public:
  SignalGuard() {
    g_signal = 0;
    struct sigaction action {};
    action.sa_handler = on_signal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, &old_int_);
    sigaction(SIGTERM, &action, &old_term_);
  }
  ~SignalGuard() {
    sigaction(SIGINT, &old_int_, nullptr);
    sigaction(SIGTERM, &old_term_, nullptr);
  }
  SignalGuard(const SignalGuard&) = delete;
  SignalGuard& operator=(const SignalGuard&) = delete;

 private:
  struct sigaction old_int_ {
  }, old_term_{};
};

void check_signal() {
  if (g_signal)
    throw_operational(std::string("interrupted by ") + (g_signal == SIGINT ? "SIGINT" : "SIGTERM") +
                      "; the browser was stopped");
}

// A temporary profile folder, removed with everything in it.
class TempProfile {
 public:
  TempProfile() {
    // The browser makes Unix sockets below its temporary folder, whose paths may not exceed
    // 107 bytes: a longer $TMPDIR gives way to /tmp.
    std::filesystem::path folder = std::filesystem::temp_directory_path();
    if (folder.string().size() > 32) folder = "/tmp";
    std::string base = (folder / "telcomply-chromium-XXXXXX").string();
    if (!::mkdtemp(base.data())) throw_operational("cannot create a temporary browser profile");
    path_ = base;
    std::error_code ec;
    std::filesystem::create_directory(path_ + "/profile", ec);
    if (ec) {
      std::filesystem::remove_all(path_, ec);
      throw_operational("cannot create a temporary browser profile");
    }
  }
  ~TempProfile() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempProfile(const TempProfile&) = delete;
  TempProfile& operator=(const TempProfile&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

using EventHandler = std::function<void(const json& event)>;

class Chromium {
 public:
  Chromium(const BrowserScanOptions& options, const std::string& resolver_rules) : profile_() {
    if (::access(options.executable.c_str(), X_OK) != 0)
      throw_operational("no browser: " + options.executable +
                        " is not installed (install the Debian package chromium: apt-get install "
                        "chromium)");
    std::vector<std::string> args{options.executable,
                                  "--headless",
                                  "--disable-gpu",
                                  "--disable-quic",
                                  "--no-first-run",
                                  "--disable-background-networking",
                                  "--disable-component-update",
                                  "--disable-sync",
                                  "--disable-features=HttpsUpgrades",
                                  "--remote-debugging-pipe",
                                  "--user-data-dir=" + profile_.path() + "/profile"};
    // Chromium's sandbox cannot run as root; as another user it stays on.
    if (::geteuid() == 0) args.push_back("--no-sandbox");
    if (!resolver_rules.empty()) args.push_back("--host-resolver-rules=" + resolver_rules);
    args.push_back("about:blank");
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    // The browser's own temporary files go into the profile folder too, removed with it.
    std::vector<std::string> env_strings;
    for (char** e = environ; *e; ++e)
      if (!std::string_view(*e).starts_with("TMPDIR=")) env_strings.emplace_back(*e);
    env_strings.push_back("TMPDIR=" + profile_.path());
    std::vector<char*> envp;
    for (auto& e : env_strings) envp.push_back(e.data());
    envp.push_back(nullptr);

    int to_browser[2], from_browser[2];
    if (::pipe2(to_browser, O_CLOEXEC) != 0) throw_operational("cannot start the browser: no pipe");
    if (::pipe2(from_browser, O_CLOEXEC) != 0) {
      ::close(to_browser[0]);
      ::close(to_browser[1]);
      throw_operational("cannot start the browser: no pipe");
    }
    const int devnull = ::open("/dev/null", O_RDWR | O_CLOEXEC);
    pid_ = ::fork();
    if (pid_ == 0) {
      // The child: fd 3 reads the commands, fd 4 writes the answers; nothing else is open.
      ::setpgid(0, 0);
      const int in = ::fcntl(to_browser[0], F_DUPFD, 10);
      const int out = ::fcntl(from_browser[1], F_DUPFD, 10);
      if (in < 0 || out < 0 || ::dup2(in, 3) < 0 || ::dup2(out, 4) < 0) ::_exit(127);
      if (devnull >= 0) {
        ::dup2(devnull, 0);
        ::dup2(devnull, 1);
        ::dup2(devnull, 2);
      }
      ::execve(argv[0], argv.data(), envp.data());
      ::_exit(127);
    }
    ::close(to_browser[0]);
    ::close(from_browser[1]);
    if (devnull >= 0) ::close(devnull);
    write_fd_ = to_browser[1];
    read_fd_ = from_browser[0];
    if (pid_ < 0) {
      close_pipes();
      throw_operational(std::string("cannot start the browser: ") + std::strerror(errno));
    }
    ::setpgid(pid_, pid_);  // also here, so that a signal at once finds the group
    g_browser_group = pid_;
  }

  ~Chromium() {
    close_pipes();
    if (pid_ > 0) {
      ::kill(-pid_, SIGKILL);
      ::kill(pid_, SIGKILL);
      int status = 0;
      while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
      }
      g_browser_group = 0;
    }
    // The profile is removed after the browser is gone (its member destructor runs now).
  }
  Chromium(const Chromium&) = delete;
  Chromium& operator=(const Chromium&) = delete;

  void on_event(EventHandler handler) { handler_ = std::move(handler); }

  // Sends a command without waiting for its answer; returns its id.
  int send(const std::string& method, json params = json::object(),
           const std::string& session = {}) {
    json message{{"id", ++next_id_}, {"method", method}, {"params", std::move(params)}};
    if (!session.empty()) message["sessionId"] = session;
    std::string text = message.dump();
    text.push_back('\0');
    for (std::size_t done = 0; done < text.size();) {
      const ssize_t n = ::write(write_fd_, text.data() + done, text.size() - done);
      if (n < 0 && errno == EINTR) {
        check_signal();
        continue;
      }
      if (n <= 0) {
        check_signal();
        throw_operational("the browser stopped unexpectedly");
      }
      done += static_cast<std::size_t>(n);
    }
    return next_id_;
  }

  // Sends a command and waits for its answer until `deadline`; events meanwhile go to the
  // handler. Throws Error(operational) when the browser answers with an error.
  json call(const std::string& method, json params, const std::string& session,
            Clock::time_point deadline) {
    const int id = send(method, std::move(params), session);
    for (;;) {
      auto message = next(deadline);
      if (!message) throw_operational("the browser did not answer " + method + " in time");
      if (message->contains("id") && (*message)["id"] == id) {
        if (message->contains("error"))
          throw_operational("the browser refused " + method + ": " +
                            message->value("/error/message"_json_pointer, std::string("error")));
        return message->value("result", json::object());
      }
      dispatch(*message);
    }
  }

  // Handles events until `deadline` or until `done()` holds, checked after each event and at
  // least every 50 ms.
  void pump(Clock::time_point deadline, const std::function<bool()>& done = {}) {
    for (;;) {
      if (done && done()) return;
      const auto now = Clock::now();
      if (now >= deadline) return;
      auto message = next(std::min(deadline, now + std::chrono::milliseconds(50)));
      if (message) dispatch(*message);
    }
  }

 private:
  void dispatch(const json& message) {
    if (handler_ && message.contains("method")) handler_(message);
  }

  // The next message, or nullopt at `deadline`.
  std::optional<json> next(Clock::time_point deadline) {
    for (;;) {
      check_signal();
      const std::size_t end = buffer_.find('\0');
      if (end != std::string::npos) {
        json message =
            json::parse(buffer_.begin(), buffer_.begin() + static_cast<long>(end), nullptr, false);
        buffer_.erase(0, end + 1);
        if (message.is_discarded() || !message.is_object())
          throw_operational("the browser sent a message that is not JSON");
        return message;
      }
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      if (left.count() <= 0) return std::nullopt;
      pollfd p{read_fd_, POLLIN, 0};
      const int ready = ::poll(&p, 1, static_cast<int>(std::min<long long>(left.count(), 1000)));
      if (ready < 0 && errno == EINTR) continue;
      if (ready <= 0) continue;
      char chunk[65536];
      const ssize_t n = ::read(read_fd_, chunk, sizeof chunk);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        check_signal();
        throw_operational("the browser stopped unexpectedly");
      }
      buffer_.append(chunk, static_cast<std::size_t>(n));
    }
  }

  void close_pipes() {
    if (write_fd_ >= 0) ::close(write_fd_);
    if (read_fd_ >= 0) ::close(read_fd_);
    write_fd_ = read_fd_ = -1;
  }

  TempProfile profile_;
  pid_t pid_ = -1;
  int write_fd_ = -1, read_fd_ = -1;
  int next_id_ = 0;
  std::string buffer_;
  EventHandler handler_;
};

// ---------------------------------------------------------------------------------------
// Consent buttons.

const ConsentButtons kAccept{
    {
        "#CybotCookiebotDialogBodyLevelButtonLevelOptinAllowAll",  // Cookiebot
        "#CybotCookiebotDialogBodyButtonAccept",
        "#onetrust-accept-btn-handler",                       // OneTrust
        "#didomi-notice-agree-button",                        // Didomi
        ".cmplz-btn.cmplz-accept",                            // Complianz
        ".cky-btn-accept",                                    // CookieYes
        ".qc-cmp2-summary-buttons button[mode=\"primary\"]",  // Quantcast Choice
    },
    {"Alles accepteren", "Alle cookies accepteren", "Accepteren", "Akkoord", "Accept all",
     "Accept all cookies", "Allow all", "Allow all cookies", "I agree", "Agree", "Accept"},
};

const ConsentButtons kRefuse{
    {
        "#CybotCookiebotDialogBodyButtonDecline",               // Cookiebot
        "#onetrust-reject-all-handler",                         // OneTrust
        "#didomi-notice-disagree-button",                       // Didomi
        ".cmplz-btn.cmplz-deny",                                // Complianz
        ".cky-btn-reject",                                      // CookieYes
        ".qc-cmp2-summary-buttons button[mode=\"secondary\"]",  // Quantcast Choice
    },
    {"Alleen noodzakelijke cookies", "Alleen noodzakelijk", "Alles weigeren", "Weigeren",
     "Reject all", "Reject all cookies", "Decline", "Deny", "Refuse", "Only necessary cookies",
     "Necessary cookies only", "Reject"},
};

// A script that clicks the first visible element matching the policy's selectors, then its
// labels, then the built-in ones (open shadow roots included), and gives what it clicked or "".
std::string click_script(const ConsentButtons& policy, const ConsentButtons& builtin) {
  json groups = json::array();
  for (const auto* b : {&policy, &builtin})
    groups.push_back(json{{"selectors", b->selectors}, {"labels", b->labels}});
  return "(() => {\n"
         "  const groups = " +
         groups.dump() + ";\n" +
         R"(  const all = (root, query) => {
    let out = [];
    try { out = Array.from(root.querySelectorAll(query)); } catch (e) { return []; }
    for (const el of root.querySelectorAll('*'))
      if (el.shadowRoot) out = out.concat(all(el.shadowRoot, query));
    return out;
  };
  const visible = e => {
    const r = e.getBoundingClientRect(), s = getComputedStyle(e);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none';
  };
  const norm = t => (t || '').replace(/\s+/g, ' ').trim().toLowerCase();
  const candidates = all(document, 'button, a, [role=button], input[type=button], input[type=submit]');
  for (const group of groups) {
    for (const s of group.selectors)
      for (const e of all(document, s))
        if (visible(e)) { e.click(); return s; }
    for (const w of group.labels.map(norm))
      for (const e of candidates)
        if (norm(e.innerText || e.value || e.getAttribute('aria-label')) === w && visible(e)) {
          e.click();
          return 'label "' + w + '"';
        }
  }
  return '';
})())";
}

constexpr const char* kStorageScript = R"((() => {
  const keys = s => { try { return Object.keys(s); } catch (e) { return []; } };
  let local = [], session = [];
  try { local = keys(window.localStorage); } catch (e) {}
  try { session = keys(window.sessionStorage); } catch (e) {}
  return {origin: location.origin, local, session};
})())";

constexpr const char* kLinksScript =
    "Array.from(document.querySelectorAll('a[href], area[href]'), a => a.href)";

// ---------------------------------------------------------------------------------------
// Blocked-cookie reasons, in words.

std::string refusal(const json& reasons) {
  static const std::map<std::string, std::string> kWords{
      {"ThirdPartyPhaseout", "third-party cookies are blocked"},
      {"ThirdPartyBlockedInFirstPartySet", "third-party cookies are blocked"},
      {"UserPreferences", "third-party cookies are blocked by the browser's settings"},
      {"SameSiteNoneInsecure", "SameSite=None without Secure"},
      {"SecureOnly", "Secure cookie set over http"},
      {"SameSiteStrict", "SameSite=Strict in a cross-site context"},
      {"SameSiteLax", "SameSite=Lax in a cross-site context"},
      {"SameSiteUnspecifiedTreatedAsLax", "no SameSite (Lax) in a cross-site context"},
      {"InvalidDomain", "its Domain is not the setting host's"},
      {"InvalidPrefix", "an invalid __Secure- or __Host- prefix"},
      {"SyntaxError", "a Set-Cookie line the browser cannot parse"},
      {"OverwriteSecure", "it would overwrite a Secure cookie over http"},
      {"DisallowedCharacter", "a character cookies may not hold"},
      {"NameValuePairExceedsMaxSize", "larger than 4096 bytes"},
  };
  std::string out;
  if (!reasons.is_array()) return "refused";
  for (const auto& r : reasons) {
    if (!r.is_string()) continue;
    auto it = kWords.find(r.get<std::string>());
    const std::string word = it == kWords.end() ? r.get<std::string>() : it->second;
    if (out.find(word) == std::string::npos) out += (out.empty() ? "" : "; ") + word;
  }
  return out.empty() ? "refused" : out;
}

std::string str(const json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// A URL without query or fragment; empty when it is not http(s).
std::string page_of(const std::string& url) {
  auto parts = parse_url(url);
  return parts ? parts->page : std::string();
}

// ---------------------------------------------------------------------------------------
// One phase in one browser.

std::string timeout_message(const BrowserScanOptions& options) {
  return "the browser scan took longer than --scan-timeout " +
         std::to_string(options.scan_timeout_seconds) + " s";
}

class PhaseRun {
 public:
  PhaseRun(const BrowserScanOptions& options, const std::string& rules, Clock::time_point end,
           BrowserPhase& out)
      : options_(options), end_(end), out_(out), browser_(options, rules) {
    browser_.on_event([this](const json& event) { handle(event); });
  }

  std::string start() {
    const json version = browser_.call("Browser.getVersion", json::object(), {}, bound(30));
    const json target =
        browser_.call("Target.createTarget", {{"url", "about:blank"}}, {}, bound(30));
    const json attached =
        browser_.call("Target.attachToTarget",
                      {{"targetId", str(target, "targetId")}, {"flatten", true}}, {}, bound(30));
    session_ = str(attached, "sessionId");
    browser_.call("Network.enable", json::object(), session_, bound(30));
    browser_.call("Page.enable", json::object(), session_, bound(30));
    const json tree = browser_.call("Page.getFrameTree", json::object(), session_, bound(30));
    main_frame_ = tree.value("/frameTree/frame/id"_json_pointer, std::string());
    browser_.call("Target.setAutoAttach",
                  {{"autoAttach", true}, {"waitForDebuggerOnStart", true}, {"flatten", true}},
                  session_, bound(30));
    return str(version, "product");
  }

  // Visits `url` and waits until it settles; records its status or error in `page`.
  void visit(BrowserPage& page, const std::string& url) {
    page_ = page.url;
    loaded_ = false;
    document_status_ = 0;
    const auto deadline = bound(options_.page_timeout_seconds);
    json result;
    try {
      result = browser_.call("Page.navigate", {{"url", url}}, session_, deadline);
    } catch (const Error& e) {
      check_signal();
      if (Clock::now() >= end_) throw_operational(timeout_message(options_));
      page.error = e.what();
      return;
    }
    if (const std::string error = str(result, "errorText"); !error.empty()) {
      page.error = "the browser could not load it: " + error;
      return;
    }
    settle(deadline);
    page.status = document_status_;
    if (page.start && document_status_ >= 400)
      page.error = "answered HTTP " + std::to_string(document_status_);
  }

  // Waits for the load event, then for `idle_ms` without a request in flight, then
  // `delay_ms` more, all within `deadline`.
  void settle(Clock::time_point deadline) {
    deadline = std::min(deadline, end_);
    browser_.pump(deadline, [&] { return loaded_; });
    auto quiet_since = Clock::now();
    browser_.pump(deadline, [&] {
      if (!in_flight_.empty()) quiet_since = Clock::now();
      return Clock::now() - quiet_since >= std::chrono::milliseconds(options_.idle_ms);
    });
    browser_.pump(std::min(deadline, Clock::now() + std::chrono::milliseconds(options_.delay_ms)));
    if (Clock::now() >= end_) throw_operational(timeout_message(options_));
  }

  // Clicks a consent button, trying until the page's bound; false when none was found.
  bool click(const ConsentButtons& policy, const ConsentButtons& builtin) {
    const std::string script = click_script(policy, builtin);
    const auto deadline = std::min(end_, bound(options_.page_timeout_seconds));
    while (Clock::now() < deadline) {
      const std::string clicked = evaluate_string(script, deadline);
      if (!clicked.empty()) {
        out_.button = clicked;
        loaded_ = true;  // a click that reloads the page is waited for by the requests
        settle(bound(options_.page_timeout_seconds));
        return true;
      }
      browser_.pump(std::min(deadline, Clock::now() + std::chrono::milliseconds(250)));
    }
    return false;
  }

  // The jar, web storage and links after a page settled.
  std::vector<std::string> collect() {
    const auto deadline = bound(30);
    const std::int64_t now = unix_now_seconds();
    const json jar = browser_.call("Storage.getCookies", json::object(), {}, deadline);
    const json cookies = jar.value("cookies", json::array());
    for (const auto& c : cookies) {
      ObservedCookie o;
      o.name = str(c, "name");
      o.domain = str(c, "domain");
      o.host_only = o.domain.empty() || o.domain.front() != '.';
      while (!o.domain.empty() && o.domain.front() == '.') o.domain.erase(0, 1);
      o.path = str(c, "path");
      const double expires = c.value("expires", -1.0);
      if (!c.value("session", false) && expires >= 0)
        o.expires = std::min<std::int64_t>(std::llround(std::min(expires, 1e15)), kLatestExpiry);
      o.secure = c.value("secure", false);
      o.http_only = c.value("httpOnly", false);
      o.same_site = str(c, "sameSite");
      o.captured = now;
      o.page = page_;
      o.phase = out_.phase;
      if (!seen_.insert(o.name + "\n" + o.domain + "\n" + o.path).second) continue;
      out_.set_by_http.push_back(http_set_.count(o.name + "\n" + o.domain) > 0);
      out_.cookies.push_back(std::move(o));
    }
    for (const json& storage : storage_results(deadline)) {
      const std::string origin = str(storage, "origin");
      for (const bool session : {false, true}) {
        const json keys = storage.value(session ? "session" : "local", json::array());
        for (const auto& key : keys) {
          if (!key.is_string()) continue;
          if (!storage_seen_.insert(origin + "\n" + (session ? "s" : "l") + key.get<std::string>())
                   .second)
            continue;
          out_.storage.push_back(StorageKey{origin, key.get<std::string>(), session, page_});
        }
      }
    }
    std::vector<std::string> links;
    const json found = evaluate(kLinksScript, deadline);
    if (found.is_array())
      for (const auto& l : found)
        if (l.is_string()) links.push_back(l.get<std::string>());
    return links;
  }

 private:
  static std::int64_t unix_now_seconds() { return static_cast<std::int64_t>(std::time(nullptr)); }

  Clock::time_point bound(long seconds) const {
    return std::min(end_, Clock::now() + std::chrono::seconds(std::max(1L, seconds)));
  }

  json evaluate(const std::string& script, Clock::time_point deadline, int context = 0) {
    json params{{"expression", script}, {"returnByValue", true}};
    if (context) params["contextId"] = context;
    try {
      const json r = browser_.call("Runtime.evaluate", params, session_, deadline);
      return r.value("/result/value"_json_pointer, json());
    } catch (const Error&) {
      check_signal();
      return json();  // a page that navigates away meanwhile: nothing this time
    }
  }

  std::string evaluate_string(const std::string& script, Clock::time_point deadline) {
    const json v = evaluate(script, deadline);
    return v.is_string() ? v.get<std::string>() : std::string();
  }

  // The storage keys of the page and of each frame in it (each frame's own origin).
  std::vector<json> storage_results(Clock::time_point deadline) {
    std::vector<json> out;
    out.push_back(evaluate(kStorageScript, deadline));
    json tree;
    try {
      tree = browser_.call("Page.getFrameTree", json::object(), session_, deadline);
    } catch (const Error&) {
      check_signal();
      return out;
    }
    std::vector<std::string> frames;
    std::function<void(const json&)> walk = [&](const json& node) {
      const json children = node.value("childFrames", json::array());
      for (const auto& child : children) {
        frames.push_back(child.value("/frame/id"_json_pointer, std::string()));
        walk(child);
      }
    };
    walk(tree.value("frameTree", json::object()));
    for (const std::string& frame : frames) {
      try {
        const json world =
            browser_.call("Page.createIsolatedWorld",
                          {{"frameId", frame}, {"worldName", "telcomply"}}, session_, deadline);
        out.push_back(evaluate(kStorageScript, deadline, world.value("executionContextId", 0)));
      } catch (const Error&) {
        check_signal();  // a frame in another process, or gone: its storage is not seen
      }
    }
    return out;
  }

  void handle(const json& event) {
    const std::string method = str(event, "method");
    const json& params = event.contains("params") ? event["params"] : json::object();
    if (method == "Page.loadEventFired") {
      loaded_ = true;
    } else if (method == "Target.attachedToTarget") {
      // A frame or worker in its own process: its requests are recorded as well.
      const std::string child = str(params, "sessionId");
      browser_.send("Network.enable", json::object(), child);
      browser_.send("Runtime.runIfWaitingForDebugger", json::object(), child);
    } else if (method == "Network.requestWillBeSent") {
      request_sent(params);
    } else if (method == "Network.responseReceived") {
      const std::string id = str(params, "requestId");
      const long status = params.value("/response/status"_json_pointer, 0L);
      if (auto it = requests_.find(id); it != requests_.end()) {
        auto& r = out_.requests[it->second];
        r.status = status;
        if (status == 204) r.pixel = true;
        mime_[id] = params.value("/response/mimeType"_json_pointer, std::string());
      }
      if (str(params, "type") == "Document" && str(params, "frameId") == main_frame_)
        document_status_ = status;
    } else if (method == "Network.dataReceived") {
      bytes_[str(params, "requestId")] += params.value("dataLength", 0L);
    } else if (method == "Network.loadingFinished" || method == "Network.loadingFailed") {
      const std::string id = str(params, "requestId");
      in_flight_.erase(id);
      if (auto it = requests_.find(id); it != requests_.end()) {
        auto& r = out_.requests[it->second];
        if (r.type == "Image" && mime_[id].starts_with("image/") && bytes_[id] <= 1024)
          r.pixel = true;
      }
    } else if (method == "Network.responseReceivedExtraInfo") {
      set_cookies(params);
    }
  }

  void request_sent(const json& params) {
    const std::string id = str(params, "requestId");
    const std::string url = params.value("/request/url"_json_pointer, std::string());
    in_flight_.insert(id);
    urls_[id] = url;
    if (params.contains("redirectResponse")) {
      const std::string from =
          page_of(params.value("/redirectResponse/url"_json_pointer, std::string()));
      const std::string to =
          page_of(url).empty() ? url.substr(0, url.find(':')) + ":..." : page_of(url);
      if (!from.empty() && redirects_seen_.insert(from + "\n" + to).second)
        out_.redirects.push_back(
            BrowserRedirect{from, to, params.value("/redirectResponse/status"_json_pointer, 0L)});
    }
    const std::string page = page_of(url);
    if (page.empty()) return;  // data:, blob: and the like
    BrowserRequest r;
    r.url = page;
    r.type = str(params, "type");
    r.pixel = r.type == "Ping" || r.type == "Beacon";
    const json initiator = params.value("initiator", json::object());
    r.initiator = page_of(str(initiator, "url"));
    if (r.initiator.empty()) {
      const json frames = initiator.value("/stack/callFrames"_json_pointer, json::array());
      if (!frames.empty()) r.initiator = page_of(str(frames.front(), "url"));
    }
    if (r.initiator.empty()) r.initiator = str(initiator, "type");
    r.page = page_;
    const std::string key = r.url + "\n" + r.type + "\n" + r.initiator + "\n" + r.page;
    if (auto it = request_keys_.find(key); it != request_keys_.end()) {
      requests_[id] = it->second;
      return;
    }
    request_keys_.emplace(key, out_.requests.size());
    requests_[id] = out_.requests.size();
    out_.requests.push_back(std::move(r));
  }

  // Set-Cookie lines of a response: which cookies HTTP set, and which the browser refused.
  void set_cookies(const json& params) {
    const std::int64_t now = unix_now_seconds();
    const auto url = parse_url(urls_[str(params, "requestId")]);
    std::set<std::string> blocked_lines;
    const json blocked = params.value("blockedCookies", json::array());
    for (const auto& b : blocked) {
      const std::string line = str(b, "cookieLine");
      blocked_lines.insert(line);
      auto c = parse_set_cookie(line, now);
      if (!c || !url) continue;
      ObservedCookie o = observe_set_cookie(*c, *url, now);
      o.refused = refusal(b.value("blockedReasons", json::array()));
      o.page = page_;
      o.phase = out_.phase;
      if (!seen_.insert("refused\n" + o.name + "\n" + o.domain + "\n" + o.path).second) continue;
      out_.set_by_http.push_back(true);
      out_.cookies.push_back(std::move(o));
    }
    const json headers = params.value("headers", json::object());
    for (const auto& [name, value] : headers.items()) {
      if (cookie_text::lower(name) != "set-cookie" || !value.is_string()) continue;
      const std::string lines = value.get<std::string>();
      for (std::size_t at = 0; at <= lines.size();) {
        std::size_t end = lines.find('\n', at);
        if (end == std::string::npos) end = lines.size();
        const std::string line = lines.substr(at, end - at);
        at = end + 1;
        if (blocked_lines.count(line)) continue;
        auto c = parse_set_cookie(line, now);
        if (c && url)
          http_set_.insert(c->name + "\n" + (c->domain.empty() ? url->host : c->domain));
      }
    }
  }

  const BrowserScanOptions& options_;
  Clock::time_point end_;
  BrowserPhase& out_;
  Chromium browser_;
  std::string session_, main_frame_, page_;
  bool loaded_ = false;
  long document_status_ = 0;
  std::set<std::string> in_flight_, seen_, storage_seen_, http_set_, redirects_seen_;
  std::map<std::string, std::string> urls_, mime_;
  std::map<std::string, long> bytes_;
  std::map<std::string, std::size_t> requests_, request_keys_;
};

}  // namespace

const ConsentButtons& builtin_accept_buttons() { return kAccept; }
const ConsentButtons& builtin_refuse_buttons() { return kRefuse; }

std::string host_resolver_rules(const std::vector<std::string>& resolve) {
  std::string rules;
  for (const auto& mapping : resolve) {
    // HOST:PORT:ADDRESS; an IPv6 address may be written in brackets.
    const std::size_t first = mapping.find(':');
    const std::size_t second = first == std::string::npos ? first : mapping.find(':', first + 1);
    const auto bad = [&] {
      throw_invalid(
          "--resolve takes HOST:PORT:ADDRESS, as curl's (e.g. "
          "www.example.nl:443:127.0.0.1), not '" +
          mapping + "'");
    };
    if (second == std::string::npos) bad();
    const std::string host = mapping.substr(0, first);
    const std::string port = mapping.substr(first + 1, second - first - 1);
    std::string address = mapping.substr(second + 1);
    const bool port_ok = !port.empty() && port.size() <= 5 &&
                         port.find_first_not_of("0123456789") == std::string::npos &&
                         std::stoi(port) > 0 && std::stoi(port) < 65536;
    const auto host_char = [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_';
    };
    const auto address_char = [](char c) {
      return std::isxdigit(static_cast<unsigned char>(c)) || c == '.' || c == ':' || c == '[' ||
             c == ']';
    };
    if (host.empty() || !std::all_of(host.begin(), host.end(), host_char) || !port_ok ||
        address.empty() || !std::all_of(address.begin(), address.end(), address_char))
      bad();
    if (address.find(':') != std::string::npos && address.front() != '[')
      address = "[" + address + "]";
    rules += (rules.empty() ? "" : ", ") + std::string("MAP ") + host + ":" + port + " " + address +
             ":" + port;
  }
  return rules;
}

namespace {

void run_phases(const BrowserScanOptions& options, const std::string& rules, Clock::time_point end,
                const std::set<std::string>& sites, BrowserScanResult& result,
                const ProgressSink& progress) {
  const int phases = 3;
  int visited = 0;
  for (ConsentPhase phase :
       {ConsentPhase::before_consent, ConsentPhase::consent_given, ConsentPhase::consent_refused}) {
    BrowserPhase out;
    out.phase = phase;
    {
      PhaseRun run(options, rules, end, out);
      result.browser = run.start();
      if (phase != ConsentPhase::before_consent) {
        BrowserPage first;
        first.url = page_of(options.urls.front());
        run.visit(first, options.urls.front());
        const bool accept = phase == ConsentPhase::consent_given;
        out.button_found =
            first.error.empty() &&
            run.click(accept ? options.accept : options.refuse, accept ? kAccept : kRefuse);
        if (!out.button_found) {
          // Nothing is recorded of a phase whose consent could not be given.
          out.cookies.clear();
          out.set_by_http.clear();
          out.storage.clear();
          out.requests.clear();
          out.redirects.clear();
          result.phases.push_back(std::move(out));
          continue;
        }
      }
      struct Queued {
        std::string url;
        bool start;
      };
      std::vector<Queued> queue;
      std::set<std::string> queued;
      for (const auto& url : options.urls)
        if (queued.insert(url).second) queue.push_back(Queued{url, true});
      for (std::size_t i = 0; i < queue.size(); ++i) {
        const Queued next = queue[i];
        if (!next.start && static_cast<int>(out.pages.size()) >= options.max_pages) break;
        BrowserPage page;
        page.url = page_of(next.url);
        page.start = next.start;
        ++visited;
        if (progress)
          progress(Progress{"scanning", page.url, visited,
                            phases * std::max<std::int64_t>(options.max_pages, options.urls.size()),
                            "pages"});
        // Twice: what a site sets on a second visit is seen too.
        run.visit(page, next.url);
        if (page.error.empty()) run.visit(page, next.url);
        if (page.error.empty()) {
          for (auto link : run.collect()) {
            link = link.substr(0, link.find('#'));
            if (!parse_url(link) || !sites.count(site_of(link))) continue;
            if (queued.insert(link).second) queue.push_back(Queued{link, false});
          }
        }
        out.pages.push_back(std::move(page));
      }
    }  // the browser and its profile are gone here
    result.phases.push_back(std::move(out));
  }
}

}  // namespace

BrowserScanResult scan_with_browser(const BrowserScanOptions& options,
                                    const ProgressSink& progress) {
  if (options.urls.empty()) throw_invalid("give at least one URL to scan");
  if (options.max_pages < 1) throw_invalid("--max-pages must be at least 1");
  if (options.idle_ms < 0 || options.delay_ms < 0)
    throw_invalid("--idle and --delay must not be negative");
  if (options.page_timeout_seconds < 1 || options.scan_timeout_seconds < 1)
    throw_invalid("--page-timeout and --scan-timeout must be at least 1 second");
  std::set<std::string> sites;
  for (const auto& url : options.urls) {
    if (!parse_url(url)) throw_invalid("cannot scan '" + url + "': only http and https URLs");
    sites.insert(site_of(url));
  }
  const std::string rules = host_resolver_rules(options.resolve);
  SignalGuard signals;
  const auto end = Clock::now() + std::chrono::seconds(options.scan_timeout_seconds);
  BrowserScanResult result;
  result.started = static_cast<std::int64_t>(std::time(nullptr));
  try {
    run_phases(options, rules, end, sites, result, progress);
  } catch (const Error&) {
    // Whatever waited last when the scan's time was up, the time bound is the reason.
    if (!g_signal && Clock::now() >= end) throw_operational(timeout_message(options));
    throw;
  }
  result.finished = static_cast<std::int64_t>(std::time(nullptr));
  return result;
}

void write_browser_scan(std::ostream& out, const BrowserScanResult& result) {
  using ojson = nlohmann::ordered_json;
  ojson doc;
  doc["format"] = "telcomply-cookie-scan";
  doc["version"] = 2;
  doc["browser"] = result.browser;
  doc["started"] = format_moment(result.started);
  doc["finished"] = format_moment(result.finished);
  doc["phases"] = ojson::array();
  for (const auto& phase : result.phases) {
    ojson p;
    p["phase"] = to_string(phase.phase);
    if (phase.phase != ConsentPhase::before_consent)
      p["button"] = phase.button_found ? ojson(phase.button) : ojson(nullptr);
    p["pages"] = ojson::array();
    for (const auto& page : phase.pages) {
      ojson o{{"url", page.url}, {"status", page.status}};
      if (page.start) o["start"] = true;
      if (!page.error.empty()) o["error"] = page.error;
      p["pages"].push_back(std::move(o));
    }
    p["cookies"] = ojson::array();
    for (std::size_t i = 0; i < phase.cookies.size(); ++i) {
      ojson c = scan_cookie_json(phase.cookies[i], result.started);
      c["set_by"] = phase.set_by_http[i] ? "http" : "javascript";
      if (!phase.cookies[i].refused.empty()) c["refused"] = phase.cookies[i].refused;
      p["cookies"].push_back(std::move(c));
    }
    p["storage"] = ojson::array();
    for (const auto& s : phase.storage)
      p["storage"].push_back(ojson{{"origin", s.origin},
                                   {"kind", s.session ? "sessionStorage" : "localStorage"},
                                   {"key", s.key},
                                   {"page", s.page}});
    p["requests"] = ojson::array();
    for (const auto& r : phase.requests) {
      ojson o{{"url", r.url},
              {"type", r.type},
              {"initiator", r.initiator},
              {"page", r.page},
              {"status", r.status}};
      if (r.pixel) o["pixel"] = true;
      p["requests"].push_back(std::move(o));
    }
    p["redirects"] = ojson::array();
    for (const auto& r : phase.redirects)
      p["redirects"].push_back(ojson{{"from", r.from}, {"to", r.to}, {"status", r.status}});
    doc["phases"].push_back(std::move(p));
  }
  out << doc.dump(2, ' ', false, ojson::error_handler_t::replace) << "\n";
}

}  // namespace telcomply
