// The check of cookie inventories against the declared cookie policy.
#include <algorithm>
#include <set>
#include <unordered_map>

#include "cookies/cookies.h"
#include "core/date.h"

namespace telcomply {

namespace {

constexpr std::int64_t kDay = 86400;
constexpr std::int64_t kTolerance = kDay;  // observed lifetime may exceed the declared by a day

bool phase_forbids_consented(ConsentPhase phase) {
  return phase == ConsentPhase::before_consent || phase == ConsentPhase::consent_refused;
}

std::string days(std::int64_t seconds) {
  const std::int64_t d = (seconds + kDay / 2) / kDay;
  return std::to_string(d) + (d == 1 ? " day" : " days");
}

// The longest lifetime `expiry` allows for a cookie set at `captured`: the larger of the
// scanners' convention (month 30 days, year 365) and calendar arithmetic.
std::int64_t allowed_lifetime(const Duration& expiry, std::int64_t captured) {
  std::int64_t days_since = captured / kDay;
  if (captured < 0 && captured % kDay) --days_since;
  const Date from = Date::from_days_since_epoch(days_since);
  const std::int64_t calendar = (expiry.after(from).days_since_epoch() - days_since) * kDay;
  return std::max(expiry.approx_seconds(), calendar);
}

// Which kinds of entry an inventory format can show at all.
bool can_show(InventoryFormat format, CookieType type) {
  switch (format) {
    case InventoryFormat::har: return type != CookieType::local_storage;
    case InventoryFormat::edps:
    case InventoryFormat::csv: return true;
    case InventoryFormat::playwright: return type != CookieType::pixel;
    case InventoryFormat::gdpr_cookie_scanner:
      return type != CookieType::local_storage;
    default: return type == CookieType::http;
  }
}

// A cookie jar (cookies.txt, Playwright, a gdpr-cookie-scanner report of the jar) has no
// deletions: a cookie in it that expired before the capture time was still set.
bool is_jar(InventoryFormat format) {
  return format == InventoryFormat::netscape || format == InventoryFormat::playwright ||
         format == InventoryFormat::gdpr_cookie_scanner;
}

// How specifically a declared `provider` names `host`: its length when it is the host or a
// parent domain of it, else 0 (the same site by registrable domain only).
std::size_t specificity(const std::string& provider, const std::string& host) {
  if (host == provider || (host.size() > provider.size() && host.ends_with(provider) &&
                           host[host.size() - provider.size() - 1] == '.'))
    return provider.size();
  return 0;
}

const char* kind_word(CookieType type) {
  switch (type) {
    case CookieType::http: return "cookie";
    case CookieType::pixel: return "pixel";
    case CookieType::local_storage: return "local-storage key";
  }
  return "cookie";
}

class Checker {
 public:
  Checker(const CookiePolicy& policy, const CookieCheckOptions& options)
      : policy_(policy),
        options_(options),
        observed_(policy.cookies.size(), false),
        refused_(policy.cookies.size()) {
    for (const auto& d : policy.site) site_.insert(registrable_domain(d));
    for (const auto& c : policy.cookies) providers_.push_back(registrable_domain(c.provider));
  }

  void inventory(const Inventory& inv) {
    for (const auto& note : inv.notes) add(note, note.rule + "|" + inv.source);
    for (CookieType t : {CookieType::http, CookieType::pixel, CookieType::local_storage})
      if (inv.browser || can_show(inv.format, t)) shown_.insert(t);
    phases_.insert(options_.before_consent ? ConsentPhase::before_consent : inv.phase);
    for (const auto& item : inv.items) {
      const ConsentPhase phase = options_.before_consent ? ConsentPhase::before_consent : item.phase;
      phases_.insert(phase);
      observe(item, phase, is_jar(inv.format));
    }
  }

  std::vector<Finding> finish() {
    for (std::size_t i = 0; i < policy_.cookies.size(); ++i) {
      const DeclaredCookie& d = policy_.cookies[i];
      if (observed_[i]) {
        limit(d);
        continue;
      }
      if (!shown_.count(d.type)) continue;  // no inventory could have shown it
      const bool consented = needs_consent(category(d), policy_.attestations);
      const bool only_without_consent =
          std::all_of(phases_.begin(), phases_.end(), phase_forbids_consented);
      if (consented && only_without_consent) continue;  // it may not appear before consent
      const std::string seen = refused_[i].empty()
                                   ? " was not observed in any inventory (stale policy?)"
                                   : " was attempted but refused by the browser (" + refused_[i] +
                                         "), and not observed set in any inventory";
      add(Finding{"never-observed", Severity::warning,
                  std::string("declared ") + kind_word(d.type) + " '" + d.name + "' of " +
                      d.provider + seen,
                  d.loc, d.name},
          "declared|" + std::to_string(i));
    }
    return std::move(findings_);
  }

 private:
  const CookieCategory& category(const DeclaredCookie& d) const {
    return policy_.categories.at(d.category);  // the loader resolved every category
  }

  bool third_party(const ObservedCookie& item, const std::string& domain) {
    if (!site_.empty()) return !site_.count(domain);
    auto page = parse_url(item.page);
    return page && registrable(page->host) != domain;
  }

  // registrable_domain(host), looked up once per host: an inventory names few hosts, often.
  const std::string& registrable(const std::string& host) {
    auto it = registrable_.find(host);
    if (it == registrable_.end()) it = registrable_.emplace(host, registrable_domain(host)).first;
    return it->second;
  }

  void add(Finding finding, const std::string& key) {
    if (seen_.insert(finding.rule + "|" + key).second) findings_.push_back(std::move(finding));
  }

  void observe(const ObservedCookie& item, ConsentPhase phase, bool jar) {
    const std::string& domain = registrable(item.domain);
    const std::string key = item.name + "|" + domain;
    if (!jar && item.type == CookieType::http && item.expiry_known && item.expires &&
        item.captured && *item.expires <= *item.captured)
      return;  // a deletion, not a cookie being set
    if (item.expiry_clamped)
      add(Finding{"expiry-out-of-range", Severity::warning,
                  "cookie '" + item.name + "' of " +
                      (domain.empty() ? std::string("an unknown domain") : domain) +
                      " asks for an expiry after " + format_moment(kLatestExpiry) +
                      " (lifetime out of range); it is counted as expiring then",
                  item.loc, item.name},
          key);

    // Of the declarations for the item's site, the one whose provider names its host most
    // specifically (lang of ads.linkedin.com before lang of linkedin.com), else the first.
    std::optional<std::size_t> match;
    std::size_t match_specificity = 0;
    std::optional<std::size_t> other_provider;
    for (std::size_t i = 0; i < policy_.cookies.size(); ++i) {
      const DeclaredCookie& d = policy_.cookies[i];
      if (d.type != item.type) continue;
      const bool named = item.type == CookieType::pixel ? match_pixel_path(d.name, item.path)
                                                        : match_cookie_name(d.name, item.name);
      if (!named) continue;
      if (providers_[i] != domain) {
        if (item.type != CookieType::pixel && !other_provider) other_provider = i;
        continue;
      }
      const std::size_t specific = specificity(d.provider, item.domain);
      if (!match || specific > match_specificity) {
        match = i;
        match_specificity = specific;
      }
    }
    // A cookie the browser refused was attempted, not set.
    const std::string attempted =
        item.refused.empty() ? "" : ", attempted but refused by the browser (" + item.refused + ")";

    if (!match && item.type == CookieType::pixel) {
      if (item.evidence == PixelEvidence::listed ||
          (item.evidence == PixelEvidence::heuristic && third_party(item, domain)))
        add(Finding{"undeclared-pixel", Severity::error,
                    "undeclared pixel: a tracking request to " + item.name +
                        " matches no declared pixel",
                    item.loc, item.name},
            key);
      return;
    }
    if (!match && other_provider) {
      const DeclaredCookie& d = policy_.cookies[*other_provider];
      add(Finding{"wrong-provider", Severity::error,
                  std::string(kind_word(item.type)) + " '" + item.name + "' is set by " +
                      (domain.empty() ? std::string("an unknown domain") : domain) +
                      ", but declared for provider " + d.provider + " (" + d.loc.str() + ")" +
                      attempted,
                  item.loc, item.name},
          key);
      if (item.refused.empty()) observed_[*other_provider] = true;
      return;
    }
    if (!match) {
      const char* rule = item.type == CookieType::local_storage ? "undeclared-storage"
                                                                : "undeclared-cookie";
      add(Finding{rule, Severity::error,
                  std::string("undeclared ") + kind_word(item.type) + " '" + item.name + "' of " +
                      (domain.empty() ? std::string("an unknown domain") : domain) +
                      (third_party(item, domain) ? " (third party)" : " (first party)") + attempted,
                  item.loc, item.name},
          key);
      return;
    }

    const DeclaredCookie& d = policy_.cookies[*match];
    const std::string declared_key = key + "|" + std::to_string(*match);
    if (item.refused.empty())
      observed_[*match] = true;
    else if (refused_[*match].empty())
      refused_[*match] = item.refused;
    const CookieCategory& cat = category(d);
    if (phase_forbids_consented(phase) && needs_consent(cat, policy_.attestations))
      add(Finding{"set-before-consent", Severity::error,
                  std::string(kind_word(item.type)) + " '" + item.name + "' (category " + cat.id +
                      ") needs consent but was " +
                      (item.type == CookieType::pixel ? "requested "
                       : item.refused.empty()         ? "set "
                                                      : "attempted ") +
                      (phase == ConsentPhase::consent_refused ? "after consent was refused"
                                                              : "before consent") +
                      (item.refused.empty() ? ""
                                            : " (refused by the browser: " + item.refused + ")"),
                  item.loc, item.name},
          declared_key);
    if (!item.refused.empty()) return;

    if (item.type == CookieType::http && item.expiry_known) lifetime(item, d, declared_key);

    if (item.type == CookieType::http && cat.consent == ConsentRule::not_required) {
      std::vector<std::string> missing;
      if (item.secure == false) missing.push_back("Secure");
      if (item.http_only == false) missing.push_back("HttpOnly");
      if (!missing.empty())
        add(Finding{"insecure-functional", Severity::warning,
                    "functional cookie '" + item.name + "' is set without " + missing.front() +
                        (missing.size() > 1 ? " and " + missing.back() : std::string()),
                    item.loc, item.name},
            declared_key);
    }
  }

  void lifetime(const ObservedCookie& item, const DeclaredCookie& d, const std::string& key) {
    const std::string where = " (" + d.loc.str() + ")";
    if (d.expiry.is_session() && item.expires) {
      std::string length;
      if (item.captured) length = " for " + days(*item.expires - *item.captured);
      add(Finding{"session-mismatch", Severity::error,
                  "cookie '" + item.name + "' is declared a session cookie" + where +
                      " but persists" + length,
                  item.loc, item.name},
          key);
      return;
    }
    if (!d.expiry.is_session() && !item.expires) {
      add(Finding{"session-mismatch", Severity::error,
                  "cookie '" + item.name + "' is declared to last " + d.expiry.str() + where +
                      " but is a session cookie",
                  item.loc, item.name},
          key);
      return;
    }
    if (d.expiry.is_session() || !item.captured) return;
    const std::int64_t observed = *item.expires - *item.captured;
    if (observed > allowed_lifetime(d.expiry, *item.captured) + kTolerance)
      add(Finding{"lifetime-exceeded", Severity::error,
                  "cookie '" + item.name + "' lasts " + days(observed) + ", longer than the declared " +
                      d.expiry.str() + where,
                  item.loc, item.name},
          key);
  }

  // A declared lifetime above its category's limit; judged for entries a site really sets.
  void limit(const DeclaredCookie& d) {
    const CookieCategory& cat = category(d);
    if (!cat.max_lifetime || d.expiry.is_session()) return;
    if (d.expiry.approx_seconds() <= cat.max_lifetime->approx_seconds()) return;
    add(Finding{"lifetime-above-limit", Severity::error,
                std::string(kind_word(d.type)) + " '" + d.name + "' is declared to last " +
                    d.expiry.str() + ", above the " + cat.max_lifetime->str() +
                    " allowed for category " + cat.id + " (" + cat.loc.str() + ")",
                d.loc, d.name},
        "limit|" + d.loc.str() + "|" + d.name);
  }

  const CookiePolicy& policy_;
  const CookieCheckOptions& options_;
  std::set<std::string> site_;
  std::vector<std::string> providers_;
  std::vector<bool> observed_;
  std::vector<std::string> refused_;  // per declared entry: why the browser refused it
  std::set<ConsentPhase> phases_;
  std::set<CookieType> shown_;
  std::set<std::string> seen_;
  std::vector<Finding> findings_;
  std::unordered_map<std::string, std::string> registrable_;
};

}  // namespace

bool needs_consent(const CookieCategory& category,
                   const std::map<std::string, Attestation>& attestations) {
  switch (category.consent) {
    case ConsentRule::required: return true;
    case ConsentRule::not_required: return false;
    case ConsentRule::exempt_if_attested:
      for (const auto& condition : category.conditions) {
        auto it = attestations.find(condition);
        if (it == attestations.end() || !it->second.value) return true;
      }
      return false;
  }
  return true;
}

std::vector<Finding> check_cookies(const CookiePolicy& policy,
                                   const std::vector<Inventory>& inventories,
                                   const CookieCheckOptions& options) {
  Checker checker(policy, options);
  for (const auto& inv : inventories) checker.inventory(inv);
  return checker.finish();
}

const std::vector<RuleInfo>& cookie_rules() {
  static const std::vector<RuleInfo> rules{
      {"undeclared-cookie", "A cookie the site sets is not in the cookie policy"},
      {"undeclared-pixel", "A tracking request (pixel, beacon) matches no declared pixel"},
      {"undeclared-storage", "A local-storage key the site writes is not in the cookie policy"},
      {"wrong-provider", "A declared cookie is set by a provider other than the declared one"},
      {"lifetime-exceeded", "A cookie lasts longer than declared, beyond a tolerance of one day"},
      {"lifetime-above-limit", "A declared lifetime is above the longest its category allows"},
      {"set-before-consent", "A cookie or pixel that needs consent appears before consent"},
      {"session-mismatch",
       "A declared session cookie persists, or a persistent one is a session cookie"},
      {"never-observed", "A declared entry was not observed in any inventory (stale policy)"},
      {"insecure-functional", "A functional cookie is set without Secure or HttpOnly"},
      {"sanitised-har", "A HAR file holds no cookies: it was exported sanitised"},
      {"expiry-out-of-range", "A cookie asks for an expiry after 9999-12-31, clamped to it"},
      {"consent-button-not-found",
       "A browser scan found no button to accept or refuse on the banner; that phase is missing"},
  };
  return rules;
}

}  // namespace telcomply
