// The published sub-processor list in Markdown, self-contained HTML, CSV and JSON.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "policy/country.h"
#include "policy/transfers.h"
#include "report/escape.h"
#include "subprocessors/format.h"
#include "subprocessors/subprocessors.h"

namespace telcomply {

namespace {

using Json = nlohmann::ordered_json;

using subprocessors_format::join;
using subprocessors_format::kNone;
using subprocessors_format::md_cell;

std::string or_none(const std::string& text) { return text.empty() ? kNone : text; }

// One entry rendered into the words every format shares.
struct Row {
  const Subprocessor* entry = nullptr;
  std::string name;  // legal name, with "(sub-processor of X)" for a sub-sub-processor
  std::string parent_name;
  std::vector<std::string> categories;  // names from the data map when known
  std::string safeguards;               // mechanisms, or "none needed (EEA only)"
  std::vector<std::string> measures;    // supplementary measures of all mechanisms, once each
  std::string since;                    // status and dates in words
};

Row make_row(const SubprocessorRegistry& registry, const Subprocessor& s,
             const ListOptions& options) {
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
  std::vector<std::string> safeguards;
  for (const auto& m : s.transfers) {
    safeguards.push_back(describe_mechanism(m));
    for (const auto& measure : m.measures)
      if (std::find(row.measures.begin(), row.measures.end(), measure) == row.measures.end())
        row.measures.push_back(measure);
  }
  if (safeguards.empty() && options.transfers && eea_only(*options.transfers, s))
    safeguards.push_back("none needed (EEA only)");
  row.safeguards = join(safeguards, "; ");
  const std::string effective = s.effective ? s.effective->iso() : std::string("date not set");
  if (s.status == "announced") {
    row.since = "from " + effective + " (announced";
    if (s.announced) row.since += " " + s.announced->iso();
    row.since += ")";
  } else if (s.status == "removed") {
    row.since = "removed" + (s.removed ? " " + s.removed->iso() : std::string());
  } else {
    row.since = s.effective ? s.effective->iso() : std::string(kNone);
  }
  return row;
}

std::string title(const ListOptions& options) {
  std::string t = "Sub-processors";
  if (options.organisation && !options.organisation->name.empty())
    t += " of " + options.organisation->name;
  return t;
}

std::string intro(const SubprocessorRegistry& registry, const ListOptions& options) {
  std::string text = "List as of " + options.as_of.iso() + ".";
  if (!options.service.empty()) text += " Limited to the service " + options.service + ".";
  text += " New sub-processors are announced at least " + registry.notice_period.str() +
          " before they start, so that partners can object (GDPR art. 28(2)).";
  return text;
}

// --- Markdown -------------------------------------------------------------------------

void write_md(std::ostream& out, const SubprocessorRegistry& registry, const std::vector<Row>& rows,
              const ListOptions& options) {
  out << "# " << md_cell(title(options)) << "\n\n" << md_cell(intro(registry, options)) << "\n\n";
  if (rows.empty()) {
    out << "No sub-processors.\n";
    return;
  }
  out << "| Sub-processor | Purpose | Data categories | Data subjects | Processing locations "
         "| Access from | Transfer safeguards | Supplementary measures | Since |\n"
      << "|---|---|---|---|---|---|---|---|---|\n";
  for (const Row& row : rows) {
    const Subprocessor& s = *row.entry;
    std::string name = row.name;
    if (!row.parent_name.empty()) name += " (sub-processor of " + row.parent_name + ")";
    out << "| " << md_cell(name) << " | " << md_cell(s.purpose) << " | "
        << md_cell(join(row.categories)) << " | " << md_cell(join(s.data_subjects)) << " | "
        << md_cell(join(s.locations)) << " | " << md_cell(join(s.access_locations)) << " | "
        << md_cell(row.safeguards) << " | " << md_cell(join(row.measures)) << " | "
        << md_cell(row.since) << " |\n";
  }
  out << "\n## Details\n";
  for (const Row& row : rows) {
    const Subprocessor& s = *row.entry;
    out << "\n### " << md_cell(row.name) << "\n\n";
    out << "- Address: " << md_cell(s.address) << "\n";
    out << "- Contact: " << md_cell(s.contact) << "\n";
    if (!row.parent_name.empty()) out << "- Engaged by: " << md_cell(row.parent_name) << "\n";
    const auto services = effective_services(registry, s);
    out << "- Services: " << md_cell(services.empty() ? "all" : join(services)) << "\n";
    std::vector<std::string> places;
    for (const auto* list : {&s.locations, &s.access_locations})
      for (const auto& c : *list) {
        std::string place = c + " (" + std::string(country_name(c)) + ")";
        if (std::find(places.begin(), places.end(), place) == places.end()) places.push_back(place);
      }
    out << "- Countries: " << md_cell(join(places)) << "\n";
    for (const auto& m : s.transfers) {
      out << "- Transfer: " << md_cell(describe_mechanism(m));
      if (!m.tia.empty()) out << "; transfer impact assessment " << md_cell(m.tia);
      out << "\n";
    }
    if (s.dpf_certified) out << "- Certified under the EU-US Data Privacy Framework\n";
    std::string agreement;
    if (s.agreement.date) agreement = "dated " + s.agreement.date->iso();
    if (!s.agreement.version.empty())
      agreement += (agreement.empty() ? "" : ", ") + std::string("version ") + s.agreement.version;
    if (!s.agreement.url.empty()) agreement += (agreement.empty() ? "" : ", ") + s.agreement.url;
    out << "- Processor agreement: " << md_cell(agreement) << "\n";
  }
}

// --- HTML -----------------------------------------------------------------------------

std::string html_countries(const std::vector<std::string>& codes) {
  if (codes.empty()) return kNone;
  std::string out;
  for (const auto& c : codes) {
    if (!out.empty()) out += ", ";
    out += "<abbr title=\"" + html_escaped(std::string(country_name(c))) + "\">" + html_escaped(c) + "</abbr>";
  }
  return out;
}

bool safe_link(const std::string& url) {
  return url.rfind("https://", 0) == 0 || url.rfind("http://", 0) == 0;
}

void write_html(std::ostream& out, const SubprocessorRegistry& registry,
                const std::vector<Row>& rows, const ListOptions& options) {
  out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      << "<title>" << html_escaped(title(options)) << "</title>\n"
      << "<style>\n"
         "body{font-family:system-ui,sans-serif;margin:2rem;color:#222;line-height:1.4}\n"
         "table{border-collapse:collapse;width:100%;font-size:.9rem}\n"
         "th,td{border:1px solid #ccc;padding:.4rem .5rem;text-align:left;vertical-align:top}\n"
         "th{background:#f2f2f2}\n"
         "tr.announced td{background:#fff8e1}\n"
         "tr.removed td{color:#777;text-decoration:line-through}\n"
         "abbr{text-decoration:none}\n"
         ".address{color:#555;font-size:.85rem}\n"
         "</style>\n</head>\n<body>\n"
      << "<h1>" << html_escaped(title(options)) << "</h1>\n"
      << "<p>" << html_escaped(intro(registry, options)) << "</p>\n";
  if (rows.empty()) {
    out << "<p>No sub-processors.</p>\n</body>\n</html>\n";
    return;
  }
  out << "<table>\n<thead><tr><th>Sub-processor</th><th>Purpose</th><th>Data categories</th>"
         "<th>Data subjects</th><th>Processing locations</th><th>Access from</th>"
         "<th>Transfer safeguards</th><th>Supplementary measures</th><th>Processor agreement</th>"
         "<th>Since</th></tr></thead>\n<tbody>\n";
  for (const Row& row : rows) {
    const Subprocessor& s = *row.entry;
    out << "<tr class=\"" << html_escaped(s.status) << "\" id=\"" << html_escaped(s.id) << "\">";
    out << "<td><strong>" << html_escaped(row.name) << "</strong>";
    if (!row.parent_name.empty()) out << "<br>sub-processor of " << html_escaped(row.parent_name);
    if (!s.address.empty()) out << "<br><span class=\"address\">" << html_escaped(s.address) << "</span>";
    if (!s.contact.empty()) out << "<br><span class=\"address\">" << html_escaped(s.contact) << "</span>";
    out << "</td>";
    out << "<td>" << html_escaped(or_none(s.purpose)) << "</td>";
    out << "<td>" << html_escaped(or_none(join(row.categories))) << "</td>";
    out << "<td>" << html_escaped(or_none(join(s.data_subjects))) << "</td>";
    out << "<td>" << html_countries(s.locations) << "</td>";
    out << "<td>" << html_countries(s.access_locations) << "</td>";
    out << "<td>" << html_escaped(or_none(row.safeguards));
    for (const auto& m : s.transfers)
      if (!m.tia.empty()) out << "<br>TIA " << html_escaped(m.tia);
    out << "</td>";
    out << "<td>" << html_escaped(or_none(join(row.measures))) << "</td>";
    out << "<td>";
    std::string agreement;
    if (s.agreement.date) agreement = s.agreement.date->iso();
    if (!s.agreement.version.empty())
      agreement += (agreement.empty() ? "" : ", ") + std::string("version ") + s.agreement.version;
    if (safe_link(s.agreement.url)) {
      out << "<a href=\"" << html_escaped(s.agreement.url) << "\">" << html_escaped(or_none(agreement)) << "</a>";
    } else {
      out << html_escaped(or_none(agreement));
    }
    out << "</td>";
    out << "<td>" << html_escaped(row.since) << "</td></tr>\n";
  }
  out << "</tbody>\n</table>\n</body>\n</html>\n";
}

// --- CSV ------------------------------------------------------------------------------

std::string date_or_empty(const std::optional<Date>& date) { return date ? date->iso() : ""; }

void write_csv(std::ostream& out, const SubprocessorRegistry& registry,
               const std::vector<Row>& rows) {
  out << "id,legal_name,address,contact,role,parent,services,purpose,categories,data_subjects,"
         "locations,access_locations,transfers,tia,measures,dpf_certified,agreement_date,"
         "agreement_version,agreement_url,status,announced,effective,removed\r\n";
  for (const Row& row : rows) {
    const Subprocessor& s = *row.entry;
    std::vector<std::string> mechanisms, tias;
    for (const auto& m : s.transfers) {
      mechanisms.push_back(describe_mechanism(m));
      if (!m.tia.empty()) tias.push_back(m.tia);
    }
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
                                            join(mechanisms, "; "),
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
  doc["as_of"] = options.as_of.iso();
  doc["service"] = options.service.empty() ? Json(nullptr) : Json(options.service);
  doc["notice_period"] = registry.notice_period.str();
  Json list = Json::array();
  for (const Row& row : rows) {
    const Subprocessor& s = *row.entry;
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
      t["description"] = describe_mechanism(m);
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
  std::vector<Row> rows;
  for (const auto& s : registry.subprocessors) {
    if (s.status == "removed" && !options.include_removed) continue;
    if (!serves(registry, s, options.service)) continue;
    rows.push_back(make_row(registry, s, options));
  }
  switch (options.format) {
    case ListFormat::md:
      write_md(out, registry, rows, options);
      break;
    case ListFormat::html:
      write_html(out, registry, rows, options);
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
