// The declared cookie policy as the table a privacy statement publishes.
#include <array>
#include <nlohmann/json.hpp>

#include "cookies/cookies.h"
#include "render/render.h"
#include "report/escape.h"

namespace telcomply {

namespace {

// The table's words in one language.
struct Phrases {
  const char* title;
  const char* intro;  // "... of" the site
  const char* cookie;
  const char* provider;
  const char* type;
  const char* expiry;
  const char* purpose;
  const char* consent;
  const char* no_consent;
  std::array<const char*, 3> types;  // in CookieType order: http, pixel, local storage
};

constexpr Phrases kEnglish{"Cookies",
                           "The cookies and similar techniques used on",
                           "Cookie",
                           "Provider",
                           "Type",
                           "Expiry",
                           "Purpose",
                           "Only with your consent",
                           "No consent needed",
                           {"HTTP", "Pixel", "Local storage"}};
constexpr Phrases kDutch{"Cookies",
                         "De cookies en vergelijkbare technieken op",
                         "Cookie",
                         "Aanbieder",
                         "Soort",
                         "Bewaartermijn",
                         "Doel",
                         "Alleen met uw toestemming",
                         "Geen toestemming nodig",
                         {"HTTP", "Pixel", "Lokale opslag"}};

const Phrases& phrases(Language language) { return language == Language::nl ? kDutch : kEnglish; }

const char* type_label(CookieType type, const Phrases& p) {
  switch (type) {
    case CookieType::http:
      return p.types[0];
    case CookieType::pixel:
      return p.types[1];
    case CookieType::local_storage:
      return p.types[2];
  }
  return p.types[0];
}

const char* consent_label(ConsentRule rule) {
  switch (rule) {
    case ConsentRule::required: return "required";
    case ConsentRule::not_required: return "not-required";
    case ConsentRule::exempt_if_attested: return "exempt-if-attested";
  }
  return "required";
}

struct Group {
  const CookieCategory* category;
  bool needs_consent = true;
  std::vector<const DeclaredCookie*> cookies;
};

// Categories in the order the policy first uses them, each with its entries in file order.
std::vector<Group> groups(const CookiePolicy& policy) {
  std::vector<Group> out;
  for (const auto& c : policy.cookies) {
    auto it = std::find_if(out.begin(), out.end(),
                           [&](const Group& g) { return g.category->id == c.category; });
    if (it == out.end()) {
      const CookieCategory& category = policy.categories.at(c.category);
      out.push_back(Group{&category, needs_consent(category, policy.attestations), {}});
      it = std::prev(out.end());
    }
    it->cookies.push_back(&c);
  }
  return out;
}

std::string title(const CookieCategory& category) {
  return category.name.empty() ? category.id : category.name;
}

void write_markdown(std::ostream& out, const std::vector<Group>& all, const Phrases& p,
                    Language language) {
  bool first = true;
  for (const auto& g : all) {
    if (!first) out << "\n";
    first = false;
    out << "## " << markdown_escaped(title(*g.category)) << "\n\n";
    if (!g.category->description.empty())
      out << markdown_escaped(g.category->description) << "\n\n";
    out << (g.needs_consent ? p.consent : p.no_consent) << ".\n\n";
    out << "| " << p.cookie << " | " << p.provider << " | " << p.type << " | " << p.expiry << " | "
        << p.purpose << " |\n|---|---|---|---|---|\n";
    for (const auto* c : g.cookies)
      out << "| " << markdown_escaped(c->name) << " | " << markdown_escaped(c->provider) << " | "
          << type_label(c->type, p) << " | " << c->expiry.text(language) << " | "
          << md_cell(c->description) << " |\n";
  }
}

void write_html(std::ostream& out, const CookiePolicy& policy, const std::vector<Group>& all,
                const TableOptions& options) {
  const Phrases& p = phrases(options.language);
  nlohmann::json data;
  data["t"] = {{"title", p.title},       {"intro", p.intro}, {"cookie", p.cookie},
               {"provider", p.provider}, {"type", p.type},   {"expiry", p.expiry},
               {"purpose", p.purpose}};
  if (!policy.site.empty()) data["site"] = policy.site.front();
  data["categories"] = nlohmann::json::array();
  for (const auto& g : all) {
    nlohmann::json category{{"id", g.category->id},
                            {"name", title(*g.category)},
                            {"consent", g.needs_consent ? p.consent : p.no_consent},
                            {"cookies", nlohmann::json::array()}};
    if (!g.category->description.empty()) category["description"] = g.category->description;
    for (const auto* c : g.cookies)
      category["cookies"].push_back(
          {{"name", c->name},
           {"provider", c->provider},
           {"type", type_label(c->type, p)},
           {"expiry", c->expiry.text(options.language)},
           {"purpose", c->description.empty() ? std::string(kNone) : c->description}});
    data["categories"].push_back(std::move(category));
  }
  const std::string table = render_template("cookie-table.html.mustache", data, options.templates);
  out << (options.fragment ? table
                           : render_page(options.language, p.title, table, options.templates));
}

void write_csv(std::ostream& out, const std::vector<Group>& all) {
  out << "category,name,provider,type,expiry,description\r\n";
  for (const auto& g : all)
    for (const auto* c : g.cookies)
      out << csv_cell(g.category->id) << ',' << csv_cell(c->name) << ',' << csv_cell(c->provider) << ','
          << to_string(c->type) << ',' << csv_cell(c->expiry_text) << ',' << csv_cell(c->description)
          << "\r\n";
}

void write_json(std::ostream& out, const CookiePolicy& policy, const std::vector<Group>& all) {
  nlohmann::ordered_json doc;
  doc["site"] = policy.site;
  doc["categories"] = nlohmann::ordered_json::array();
  for (const auto& g : all) {
    nlohmann::ordered_json cat;
    cat["id"] = g.category->id;
    cat["name"] = title(*g.category);
    if (!g.category->description.empty()) cat["description"] = g.category->description;
    cat["consent"] = consent_label(g.category->consent);
    cat["needs_consent"] = needs_consent(*g.category, policy.attestations);
    if (g.category->max_lifetime) cat["max_lifetime"] = g.category->max_lifetime->str();
    if (!g.category->basis.empty()) cat["basis"] = g.category->basis;
    cat["cookies"] = nlohmann::ordered_json::array();
    for (const auto* c : g.cookies) {
      nlohmann::ordered_json entry{{"name", c->name},
                                   {"provider", c->provider},
                                   {"type", to_string(c->type)},
                                   {"expiry", c->expiry_text},
                                   {"session", c->expiry.is_session()}};
      if (!c->description.empty()) entry["description"] = c->description;
      cat["cookies"].push_back(std::move(entry));
    }
    doc["categories"].push_back(std::move(cat));
  }
  out << doc.dump(2) << "\n";
}

}  // namespace

TableFormat parse_table_format(std::string_view name) {
  if (name == "md" || name == "markdown") return TableFormat::markdown;
  if (name == "html") return TableFormat::html;
  if (name == "csv") return TableFormat::csv;
  if (name == "json") return TableFormat::json;
  throw_invalid("unknown table format '" + std::string(name) + "' (known: md, html, csv, json)");
}

void write_cookie_table(std::ostream& out, const CookiePolicy& policy, TableFormat format,
                        const TableOptions& options) {
  const auto all = groups(policy);
  switch (format) {
    case TableFormat::markdown:
      write_markdown(out, all, phrases(options.language), options.language);
      break;
    case TableFormat::html:
      write_html(out, policy, all, options);
      break;
    case TableFormat::csv: write_csv(out, all); break;
    case TableFormat::json: write_json(out, policy, all); break;
  }
}

}  // namespace telcomply
