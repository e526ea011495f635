// The published sub-processor list in Markdown, HTML (templates/subprocessor-list.html.mustache),
// CSV and JSON, in the chosen language.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "policy/country.h"
#include "policy/transfers.h"
#include "render/render.h"
#include "report/escape.h"
#include "subprocessors/format.h"
#include "subprocessors/phrases.h"
#include "subprocessors/subprocessors.h"

namespace telcomply {

namespace {

using Json = nlohmann::ordered_json;

using subprocessors_format::country_names;
using subprocessors_format::join;
using subprocessors_format::kNone;
using subprocessors_format::md_cell;
using subprocessors_text::Phrases;

std::string or_none(const std::string& text) { return text.empty() ? kNone : text; }

// One entry rendered into the words every format shares, in the chosen language.
struct Row {
  const Subprocessor* entry = nullptr;
  std::string name;  // legal name, else the id
  std::string parent_name;
  std::vector<std::string> categories;  // names from the data map when known
  std::vector<std::string> mechanisms;  // each mechanism in words
  std::string safeguards;               // the mechanisms, or "none needed (EEA only)"
  std::vector<std::string> measures;    // supplementary measures of all mechanisms, once each
  std::string since;                    // status and dates in words
  std::string since_line;               // the same as a line of its own: "since 1 May 2024"
};

Row make_row(const SubprocessorRegistry& registry, const Subprocessor& s,
             const ListOptions& options, const Phrases& p) {
  const Language lang = options.language;
  Row row;
  row.entry = &s;
  row.name = s.legal_name.empty() ? s.id : s.legal_name;
  if (s.role == "sub-sub-processor" && !s.parent.empty()) {
    const Subprocessor* parent = find_subprocessor(registry, s.parent);
    row.parent_name = parent && !parent->legal_name.empty() ? parent->legal_name : s.parent;
  }
  for (const auto& id : s.categories) {
    const Category* category = nullptr;
    if (options.data_map) {
      auto it = options.data_map->categories.find(id);
      if (it != options.data_map->categories.end()) category = &it->second;
    }
    row.categories.push_back(category && !category->name.empty() ? category->name : id);
  }
  for (const auto& m : s.transfers) {
    row.mechanisms.push_back(describe_mechanism(m, lang));
    for (const auto& measure : m.measures)
      if (std::find(row.measures.begin(), row.measures.end(), measure) == row.measures.end())
        row.measures.push_back(measure);
  }
  row.safeguards = join(row.mechanisms, "; ");
  if (row.mechanisms.empty() && options.transfers && eea_only(*options.transfers, s))
    row.safeguards = p.eea_only;
  if (s.status == "announced") {
    row.since = std::string(p.from) + " " +
                (s.effective ? s.effective->text(lang) : p.date_not_set) + " (" +
                (s.announced ? p.announced + (" " + s.announced->text(lang))
                             : std::string(p.status_announced)) +
                ")";
  } else if (s.status == "removed") {
    row.since = s.removed ? p.removed + (" " + s.removed->text(lang)) : p.status_removed;
  } else {
    row.since = s.effective ? s.effective->text(lang) : std::string(kNone);
  }
  row.since_line =
      s.status == "active" && s.effective ? p.since_date + (" " + row.since) : row.since;
  return row;
}

std::string title(const ListOptions& options, const Phrases& p) {
  std::string t = p.title;
  if (options.organisation && !options.organisation->name.empty())
    t += p.of + options.organisation->name;
  return t;
}

std::string intro(const SubprocessorRegistry& registry, const ListOptions& options,
                  const Phrases& p) {
  std::string text = std::string(p.as_of) + " " + options.as_of.text(options.language) + ".";
  if (!options.service.empty()) text += " " + std::string(p.limited) + " " + options.service + ".";
  text += " " + std::string(p.announce) + " " + registry.notice_period.text(options.language) +
          " " + p.object;
  return text;
}

std::string services_text(const SubprocessorRegistry& registry, const Subprocessor& s,
                          const Phrases& p) {
  const auto services = effective_services(registry, s);
  return services.empty() ? std::string(p.all_services) : join(services);
}

// The processor agreement in words: "dated 15 January 2019, version 3.0".
std::string agreement_text(const Agreement& a, const ListOptions& options, const Phrases& p) {
  std::vector<std::string> parts;
  if (a.date) parts.push_back(std::string(p.dated) + " " + a.date->text(options.language));
  if (!a.version.empty()) parts.push_back(std::string(p.version) + " " + a.version);
  return join(parts);
}

// The mechanisms in words, each with its transfer impact assessment.
std::vector<std::string> transfer_lines(const Row& row, const Phrases& p) {
  std::vector<std::string> out;
  const auto& transfers = row.entry->transfers;
  for (std::size_t i = 0; i < transfers.size(); ++i) {
    std::string line = row.mechanisms[i];
    if (!transfers[i].tia.empty()) line += "; " + std::string(p.tia) + " " + transfers[i].tia;
    out.push_back(std::move(line));
  }
  return out;
}

// --- Markdown -------------------------------------------------------------------------

void write_md(std::ostream& out, const SubprocessorRegistry& registry, const std::vector<Row>& rows,
              const ListOptions& options, const Phrases& p) {
  out << "# " << md_cell(title(options, p)) << "\n\n"
      << md_cell(intro(registry, options, p)) << "\n\n";
  if (rows.empty()) {
    out << p.no_entries << "\n";
    return;
  }
  out << "| " << p.subprocessor << " | " << p.purpose << " | " << p.categories << " | "
      << p.data_subjects << " | " << p.locations << " | " << p.access_from << " | " << p.safeguards
      << " | " << p.measures << " | " << p.since << " |\n"
      << "|---|---|---|---|---|---|---|---|---|\n";
  for (const Row& row : rows) {
    const Subprocessor& s = *row.entry;
    std::string name = row.name;
    if (!row.parent_name.empty())
      name += " (" + std::string(p.sub_processor_of) + " " + row.parent_name + ")";
    out << "| " << md_cell(name) << " | " << md_cell(s.purpose) << " | "
        << md_cell(join(row.categories)) << " | " << md_cell(join(s.data_subjects)) << " | "
        << md_cell(join(s.locations)) << " | " << md_cell(join(s.access_locations)) << " | "
        << md_cell(row.safeguards) << " | " << md_cell(join(row.measures)) << " | "
        << md_cell(row.since) << " |\n";
  }
  out << "\n## " << p.details << "\n";
  for (const Row& row : rows) {
    const Subprocessor& s = *row.entry;
    out << "\n### " << md_cell(row.name) << "\n\n";
    out << "- " << p.address << ": " << md_cell(s.address) << "\n";
    out << "- " << p.contact << ": " << md_cell(s.contact) << "\n";
    if (!row.parent_name.empty())
      out << "- " << p.engaged_by << ": " << md_cell(row.parent_name) << "\n";
    out << "- " << p.services << ": " << md_cell(services_text(registry, s, p)) << "\n";
    std::vector<std::string> places;
    for (const auto* list : {&s.locations, &s.access_locations})
      for (const auto& c : *list) {
        std::string place = c + " (" + std::string(country_name(c, options.language)) + ")";
        if (std::find(places.begin(), places.end(), place) == places.end()) places.push_back(place);
      }
    out << "- " << p.countries << ": " << md_cell(join(places)) << "\n";
    for (const auto& line : transfer_lines(row, p))
      out << "- " << p.transfer << ": " << md_cell(line) << "\n";
    if (s.dpf_certified) out << "- " << p.dpf_certified << "\n";
    std::string agreement = agreement_text(s.agreement, options, p);
    if (!s.agreement.url.empty()) agreement += (agreement.empty() ? "" : ", ") + s.agreement.url;
    out << "- " << p.agreement << ": " << md_cell(agreement) << "\n";
  }
}

// --- HTML -----------------------------------------------------------------------------

// The template's data (render_template's type).
using Data = nlohmann::json;

bool safe_link(const std::string& url) {
  return url.rfind("https://", 0) == 0 || url.rfind("http://", 0) == 0;
}

// A labelled fact of an entry's details: one text, or a list of several.
Data fact(const char* label, const std::vector<std::string>& items) {
  Data f{{"label", label}};
  if (items.size() > 1) {
    f["many"] = true;
    f["items"] = items;
  } else {
    f["text"] = items.empty() ? std::string(kNone) : or_none(items.front());
  }
  return f;
}

Data html_entry(const SubprocessorRegistry& registry, const Row& row, const ListOptions& options,
                const Phrases& p) {
  const Subprocessor& s = *row.entry;
  const Language lang = options.language;
  const std::string locations = country_names(s.locations, lang);
  const std::string access = country_names(s.access_locations, lang);
  Data e{{"anchor", "sp-" + s.id},
         {"name", row.name},
         {"purpose", or_none(s.purpose)},
         {"locations", or_none(locations)},
         {"safeguards", or_none(row.safeguards)},
         {"since_line", row.since_line}};
  if (!row.parent_name.empty()) e["parent"] = row.parent_name;
  if (s.status == "announced") e["status"] = p.status_announced;
  if (s.status == "removed") e["status"] = p.status_removed;
  if (!access.empty()) e["access"] = access;

  Data facts = Data::array();
  facts.push_back(fact(p.address, {s.address}));
  facts.push_back(fact(p.contact, {s.contact}));
  if (!row.parent_name.empty()) facts.push_back(fact(p.engaged_by, {row.parent_name}));
  facts.push_back(fact(p.services, {services_text(registry, s, p)}));
  facts.push_back(fact(p.purpose, {s.purpose}));
  facts.push_back(fact(p.categories, row.categories));
  facts.push_back(fact(p.data_subjects, s.data_subjects));
  facts.push_back(fact(p.locations, {locations}));
  if (!access.empty()) facts.push_back(fact(p.access_from, {access}));
  const auto transfers = transfer_lines(row, p);
  facts.push_back(
      fact(p.safeguards, transfers.empty() ? std::vector<std::string>{row.safeguards} : transfers));
  if (!row.measures.empty()) facts.push_back(fact(p.measures, row.measures));
  if (s.dpf_certified) facts.push_back(fact(p.dpf_certified, {p.yes}));
  Data agreement = fact(p.agreement, {agreement_text(s.agreement, options, p)});
  if (safe_link(s.agreement.url)) {
    agreement.erase("text");
    agreement["link"] = {{"url", s.agreement.url},
                         {"text", or_none(agreement_text(s.agreement, options, p))}};
  }
  facts.push_back(std::move(agreement));
  facts.push_back(fact(p.since, {row.since}));
  e["facts"] = std::move(facts);
  return e;
}

void write_html(std::ostream& out, const SubprocessorRegistry& registry,
                const std::vector<Row>& rows, const ListOptions& options, const Phrases& p) {
  Data data;
  data["t"] = {{"subprocessor", p.subprocessor},
               {"purpose", p.purpose},
               {"countries", p.countries},
               {"access_from", p.access_from},
               {"safeguards", p.safeguards},
               {"details", p.details},
               {"sub_processor_of", p.sub_processor_of},
               {"none", p.no_entries}};
  data["title"] = title(options, p);
  data["intro"] = intro(registry, options, p);
  data["has_entries"] = !rows.empty();
  data["entries"] = Data::array();
  for (const Row& row : rows) data["entries"].push_back(html_entry(registry, row, options, p));
  out << render_page(options.language, title(options, p),
                     render_template("subprocessor-list.html.mustache", data, options.templates),
                     options.templates);
}

// --- CSV ------------------------------------------------------------------------------

std::string date_or_empty(const std::optional<Date>& date) { return date ? date->iso() : ""; }

// Column names are the registry's field names, for spreadsheets and scripts; the
// mechanisms are in words of the chosen language.
void write_csv(std::ostream& out, const SubprocessorRegistry& registry,
               const std::vector<Row>& rows) {
  out << "id,legal_name,address,contact,role,parent,services,purpose,categories,data_subjects,"
         "locations,access_locations,transfers,tia,measures,dpf_certified,agreement_date,"
         "agreement_version,agreement_url,status,announced,effective,removed\r\n";
  for (const Row& row : rows) {
    const Subprocessor& s = *row.entry;
    std::vector<std::string> tias;
    for (const auto& m : s.transfers)
      if (!m.tia.empty()) tias.push_back(m.tia);
    const std::vector<std::string> cells = {s.id,
                                            s.legal_name,
                                            s.address,
                                            s.contact,
                                            s.role,
                                            s.parent,
                                            join(effective_services(registry, s), "; "),
                                            s.purpose,
                                            join(s.categories, "; "),
                                            join(s.data_subjects, "; "),
                                            join(s.locations, "; "),
                                            join(s.access_locations, "; "),
                                            join(row.mechanisms, "; "),
                                            join(tias, "; "),
                                            join(row.measures, "; "),
                                            s.dpf_certified ? "true" : "false",
                                            date_or_empty(s.agreement.date),
                                            s.agreement.version,
                                            s.agreement.url,
                                            s.status,
                                            date_or_empty(s.announced),
                                            date_or_empty(s.effective),
                                            date_or_empty(s.removed)};
    for (std::size_t i = 0; i < cells.size(); ++i) out << (i ? "," : "") << csv_cell(cells[i]);
    out << "\r\n";
  }
}

// --- JSON -----------------------------------------------------------------------------

Json date_json(const std::optional<Date>& date) { return date ? Json(date->iso()) : Json(nullptr); }

void write_json(std::ostream& out, const SubprocessorRegistry& registry,
                const std::vector<Row>& rows, const ListOptions& options) {
  Json doc;
  doc["organisation"] = options.organisation ? Json(options.organisation->name) : Json(nullptr);
  doc["language"] = to_string(options.language);
  doc["as_of"] = options.as_of.iso();
  doc["service"] = options.service.empty() ? Json(nullptr) : Json(options.service);
  doc["notice_period"] = registry.notice_period.str();
  Json list = Json::array();
  for (const Row& row : rows) {
    const Subprocessor& s = *row.entry;
    std::size_t mechanism = 0;
    Json e;
    e["id"] = s.id;
    e["legal_name"] = s.legal_name;
    e["address"] = s.address;
    e["contact"] = s.contact;
    e["role"] = s.role;
    e["parent"] = s.parent.empty() ? Json(nullptr) : Json(s.parent);
    e["services"] = effective_services(registry, s);
    e["purpose"] = s.purpose;
    e["categories"] = s.categories;
    e["category_names"] = row.categories;
    e["data_subjects"] = s.data_subjects;
    e["locations"] = s.locations;
    e["access_locations"] = s.access_locations;
    e["dpf_certified"] = s.dpf_certified;
    e["sector"] = s.sector.empty() ? Json(nullptr) : Json(s.sector);
    Json transfers = Json::array();
    for (const auto& m : s.transfers) {
      Json t;
      t["mechanism"] = m.kind.empty() ? Json(nullptr) : Json(m.kind);
      t["module"] = m.scc_module.empty() ? Json(nullptr) : Json(std::stoi(m.scc_module));
      t["derogation"] = m.derogation.empty() ? Json(nullptr) : Json(m.derogation);
      t["countries"] = m.countries;
      t["tia"] = m.tia.empty() ? Json(nullptr) : Json(m.tia);
      t["measures"] = m.measures;
      t["description"] = row.mechanisms[mechanism++];
      transfers.push_back(std::move(t));
    }
    e["transfers"] = std::move(transfers);
    e["agreement"] = {
        {"date", date_json(s.agreement.date)},
        {"version", s.agreement.version.empty() ? Json(nullptr) : Json(s.agreement.version)},
        {"url", s.agreement.url.empty() ? Json(nullptr) : Json(s.agreement.url)}};
    e["status"] = s.status;
    e["announced"] = date_json(s.announced);
    e["effective"] = date_json(s.effective);
    e["removed"] = date_json(s.removed);
    list.push_back(std::move(e));
  }
  doc["subprocessors"] = std::move(list);
  out << doc.dump(2, ' ', false, Json::error_handler_t::replace) << "\n";
}

}  // namespace

std::size_t write_subprocessor_list(std::ostream& out, const SubprocessorRegistry& registry,
                                    const ListOptions& options) {
  require_known_service({&registry}, options.service);
  const Phrases& p = subprocessors_text::phrases(options.language);
  std::vector<Row> rows;
  for (const auto& s : registry.subprocessors) {
    if (s.status == "removed" && !options.include_removed) continue;
    if (!serves(registry, s, options.service)) continue;
    rows.push_back(make_row(registry, s, options, p));
  }
  switch (options.format) {
    case ListFormat::md:
      write_md(out, registry, rows, options, p);
      break;
    case ListFormat::html:
      write_html(out, registry, rows, options, p);
      break;
    case ListFormat::csv:
      write_csv(out, registry, rows);
      break;
    case ListFormat::json:
      write_json(out, registry, rows, options);
      break;
  }
  return rows.size();
}

}  // namespace telcomply
