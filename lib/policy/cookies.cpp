// Cookie policy (policy kind `cookies`): the site's own domains, the rules per cookie
// category, the organisation's attestations and the declared cookies, pixels and storage.
#include <algorithm>
#include <cctype>

#include "policy/load.h"
#include "core/text.h"

namespace telcomply {

const char* to_string(CookieType type) {
  switch (type) {
    case CookieType::http: return "http";
    case CookieType::pixel: return "pixel";
    case CookieType::local_storage: return "local-storage";
  }
  return "http";
}

namespace {

// A host name as written in a policy: letters, digits, '-', '.', no scheme, no path.
bool looks_like_domain(const std::string& text) {
  if (text.empty() || text.front() == '.' || text.back() == '.') return false;
  return std::all_of(text.begin(), text.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return (std::isalnum(u) && !std::isupper(u)) || c == '-' || c == '.';
  });
}

std::string domain_value(const YamlDoc& doc, const YamlNode& node, const std::string& what) {
  const std::string text = doc.scalar(node, what);
  if (!looks_like_domain(text))
    doc.fail(node, what + " must be a lowercase domain name such as voipgrid.nl, not '" + text + "'");
  return text;
}

void load_category(const YamlDoc& doc, const YamlNode& key, const YamlNode& value,
                   CookiePolicy& policy) {
  const std::string id = key.text();
  if (auto it = policy.categories.find(id); it != policy.categories.end())
    doc.fail(key, "cookie category '" + id + "' is already defined at " + it->second.loc.str());
  doc.expect_map(value, "cookie category '" + id + "'",
                 {"name", "description", "consent", "max_lifetime", "conditions", "basis"});
  CookieCategory category;
  category.id = id;
  category.loc = doc.where(key);
  category.name = doc.optional_string(value, "name").value_or("");
  category.description = doc.optional_string(value, "description").value_or("");
  category.basis = doc.optional_string(value, "basis").value_or("");
  const std::string consent =
      doc.choice(value, "consent", {"required", "not-required", "exempt-if-attested"}, "required");
  category.consent = consent == "required"       ? ConsentRule::required
                     : consent == "not-required" ? ConsentRule::not_required
                                                 : ConsentRule::exempt_if_attested;
  category.max_lifetime = doc.optional_duration(value, "max_lifetime");
  if (category.max_lifetime && category.max_lifetime->is_session())
    doc.fail(value["max_lifetime"], "'max_lifetime' must be a length such as 13 months, not Session");
  category.conditions = doc.string_list(value, "conditions");
  if (category.consent == ConsentRule::exempt_if_attested && category.conditions.empty())
    doc.fail(value, "category '" + id +
                        "' is exempt-if-attested: list the attestations it needs in 'conditions'");
  if (category.consent != ConsentRule::exempt_if_attested && !category.conditions.empty())
    doc.fail(value["conditions"],
             "'conditions' only apply to a category whose consent is exempt-if-attested");
  policy.categories.emplace(id, std::move(category));
}

void load_attestation(const YamlDoc& doc, const YamlNode& key, const YamlNode& value,
                      CookiePolicy& policy) {
  const std::string id = key.text();
  if (auto it = policy.attestations.find(id); it != policy.attestations.end())
    doc.fail(key, "attestation '" + id + "' is already defined at " + it->second.loc.str());
  Attestation attestation;
  attestation.id = id;
  attestation.loc = doc.where(key);
  if (value.is_scalar()) {
    // Shorthand `id: true`.
    const std::string text = value.text();
    if (text == "true" || text == "yes") attestation.value = true;
    else if (text != "false" && text != "no")
      doc.fail(value, "attestation '" + id + "' must be true or false, not '" + text + "'");
  } else {
    doc.expect_map(value, "attestation '" + id + "'", {"value", "evidence"});
    if (!value["value"].defined()) doc.fail(value, "attestation '" + id + "' needs 'value'");
    attestation.value = doc.boolean(value, "value", false);
    attestation.evidence = doc.optional_string(value, "evidence").value_or("");
  }
  policy.attestations.emplace(id, std::move(attestation));
}

DeclaredCookie load_cookie(const YamlDoc& doc, const YamlNode& c) {
  doc.expect_map(c, "a declared cookie",
                 {"name", "provider", "type", "expiry", "category", "description"});
  DeclaredCookie cookie;
  cookie.loc = doc.where(c);
  cookie.name = doc.string(c, "name");
  if (cookie.name.find_first_of(" \t;,=") != std::string::npos)
    doc.fail(c["name"], "cookie name '" + cookie.name + "' contains a space, ';', ',' or '='");
  if (!c["provider"].defined() || c["provider"].is_null())
    doc.fail(c, "missing required key 'provider'");
  cookie.provider = domain_value(doc, c["provider"], "'provider'");
  const std::string type = doc.choice(c, "type", {"http", "pixel", "local-storage"}, "http");
  cookie.type = type == "http"    ? CookieType::http
                : type == "pixel" ? CookieType::pixel
                                  : CookieType::local_storage;
  cookie.expiry = doc.duration(c, "expiry");
  cookie.expiry_text = doc.scalar(c["expiry"], "'expiry'");
  cookie.category = doc.string(c, "category");
  cookie.description = doc.optional_string(c, "description").value_or("");
  return cookie;
}

// `consent: {accept: {selectors: [...], labels: [...]}, refuse: {...}}`: the site's banner.
void load_consent_buttons(const YamlDoc& doc, const YamlNode& consent, CookiePolicy& policy) {
  doc.expect_map(consent, "'consent'", {"accept", "refuse"});
  for (auto [key, buttons] : {std::pair{"accept", &policy.accept}, {"refuse", &policy.refuse}}) {
    const YamlNode& n = consent[key];
    if (!n.defined() || n.is_null()) continue;
    doc.expect_map(n, std::string("'consent.") + key + "'", {"selectors", "labels"});
    for (auto& s : doc.string_list(n, "selectors")) buttons->selectors.push_back(std::move(s));
    for (auto& l : doc.string_list(n, "labels")) buttons->labels.push_back(std::move(l));
  }
}

struct PendingCategory {
  std::size_t cookie;
  SourceLocation loc;  // of its 'category'
};

}  // namespace

CookiePolicy load_cookie_policy(const std::vector<YamlSource>& sources) {
  CookiePolicy policy;
  std::vector<PendingCategory> pending;
  for (const auto& source : sources) {
    YamlDoc doc(source);
    const YamlNode& root = doc.root();
    doc.expect_map(root, "the cookie policy",
                   {"site", "categories", "attestations", "cookies", "consent"});
    if (const YamlNode& n = root["consent"]; n.defined() && !n.is_null())
      load_consent_buttons(doc, n, policy);
    policy.files.push_back(source.name);
    if (const YamlNode& n = root["site"]; n.defined() && !n.is_null()) {
      std::vector<const YamlNode*> items;
      if (n.is_scalar()) items.push_back(&n);
      else {
        doc.expect_sequence(n, "'site'");
        for (const auto& item : n.items()) items.push_back(&item);
      }
      for (const YamlNode* item : items) {
        std::string domain = domain_value(doc, *item, "an item of 'site'");
        if (std::find(policy.site.begin(), policy.site.end(), domain) == policy.site.end())
          policy.site.push_back(std::move(domain));
      }
    }
    if (const YamlNode& n = root["categories"]; n.defined() && !n.is_null()) {
      doc.expect_any_map(n, "'categories'");
      for (const auto& item : n.pairs()) load_category(doc, item.first, item.second, policy);
    }
    if (const YamlNode& n = root["attestations"]; n.defined() && !n.is_null()) {
      doc.expect_any_map(n, "'attestations'");
      for (const auto& item : n.pairs()) load_attestation(doc, item.first, item.second, policy);
    }
    if (const YamlNode& n = root["cookies"]; n.defined() && !n.is_null()) {
      doc.expect_sequence(n, "'cookies'");
      for (const auto& c : n.items()) {
        DeclaredCookie cookie = load_cookie(doc, c);
        for (const auto& other : policy.cookies)
          if (other.name == cookie.name && other.provider == cookie.provider &&
              other.type == cookie.type)
            doc.fail(c, "cookie '" + cookie.name + "' of " + cookie.provider +
                            " is already declared at " + other.loc.str());
        pending.push_back(PendingCategory{policy.cookies.size(), doc.where(c["category"])});
        policy.cookies.push_back(std::move(cookie));
      }
    }
  }
  if (!policy.cookies.empty() && policy.site.empty())
    throw_invalid(policy.cookies.front().loc,
                  "cookies are declared but no file of the cookie policy names the 'site' (the "
                  "site's own domains, e.g. site: [voipgrid.nl])");
  // Categories may come from another file of the same kind (the shipped rules), so the
  // references are resolved once every file is read.
  std::vector<std::string> names;
  for (const auto& [id, category] : policy.categories) names.push_back(id);
  for (const auto& p : pending) {
    const std::string& id = policy.cookies[p.cookie].category;
    if (policy.categories.count(id)) continue;
    std::string message = "cookie '" + policy.cookies[p.cookie].name + "': unknown category '" +
                          id + "'";
    if (auto hint = closest_match(id, names)) message += "; did you mean '" + *hint + "'?";
    else if (names.empty()) message += " (no file of the cookie policy defines 'categories')";
    throw_invalid(p.loc, message);
  }
  return policy;
}

}  // namespace telcomply
