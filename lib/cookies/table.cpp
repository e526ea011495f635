// The declared cookie policy as the table a privacy statement publishes.
#include <nlohmann/json.hpp>

#include "cookies/cookies.h"
#include "report/escape.h"

namespace telcomply {

namespace {

const char* type_label(CookieType type) {
  switch (type) {
    case CookieType::http: return "HTTP";
    case CookieType::pixel: return "Pixel";
    case CookieType::local_storage: return "Local storage";
  }
  return "HTTP";
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
  std::vector<const DeclaredCookie*> cookies;
};

// Categories in the order the policy first uses them, each with its entries in file order.
std::vector<Group> groups(const CookiePolicy& policy) {
  std::vector<Group> out;
  for (const auto& c : policy.cookies) {
    auto it = std::find_if(out.begin(), out.end(),
                           [&](const Group& g) { return g.category->id == c.category; });
    if (it == out.end()) {
      out.push_back(Group{&policy.categories.at(c.category), {}});
      it = std::prev(out.end());
    }
    it->cookies.push_back(&c);
  }
  return out;
}

std::string title(const CookieCategory& category) {
  return category.name.empty() ? category.id : category.name;
}

void write_markdown(std::ostream& out, const std::vector<Group>& all) {
  bool first = true;
  for (const auto& g : all) {
    if (!first) out << "\n";
    first = false;
    out << "## " << markdown_escaped(title(*g.category)) << "\n\n";
    if (!g.category->description.empty())
      out << markdown_escaped(g.category->description) << "\n\n";
    out << "| Cookie name | Provider | Type | Expiry |\n|---|---|---|---|\n";
    for (const auto* c : g.cookies)
      out << "| " << markdown_escaped(c->name) << " | " << markdown_escaped(c->provider) << " | "
          << type_label(c->type) << " | " << markdown_escaped(c->expiry_text) << " |\n";
  }
}

void write_html(std::ostream& out, const std::vector<Group>& all) {
  for (const auto& g : all) {
    out << "<section class=\"cookie-category\" id=\"cookies-" << html_escaped(g.category->id) << "\">\n"
        << "<h2>" << html_escaped(title(*g.category)) << "</h2>\n";
    if (!g.category->description.empty()) out << "<p>" << html_escaped(g.category->description) << "</p>\n";
    out << "<table>\n<thead><tr><th>Cookie name</th><th>Provider</th><th>Type</th>"
           "<th>Expiry</th></tr></thead>\n<tbody>\n";
    for (const auto* c : g.cookies)
      out << "<tr><td>" << html_escaped(c->name) << "</td><td>" << html_escaped(c->provider) << "</td><td>"
          << type_label(c->type) << "</td><td>" << html_escaped(c->expiry_text) << "</td></tr>\n";
    out << "</tbody>\n</table>\n</section>\n";
  }
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

void write_cookie_table(std::ostream& out, const CookiePolicy& policy, TableFormat format) {
  const auto all = groups(policy);
  switch (format) {
    case TableFormat::markdown: write_markdown(out, all); break;
    case TableFormat::html: write_html(out, all); break;
    case TableFormat::csv: write_csv(out, all); break;
    case TableFormat::json: write_json(out, policy, all); break;
  }
}

}  // namespace telcomply
