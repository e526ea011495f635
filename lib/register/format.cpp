// The register in Markdown, self-contained HTML, CSV and JSON.
#include <nlohmann/json.hpp>

#include "core/text.h"
#include "policy/transfers.h"
#include "register/phrases.h"
#include "register/register.h"
#include "render/render.h"
#include "report/escape.h"

namespace telcomply {

namespace {

using Json = nlohmann::ordered_json;
using register_text::Phrases;

// A record in the words every table format shows, one text per field.
struct RecordText {
  std::string purpose;
  std::vector<std::string> data_subjects;
  std::vector<std::string> categories;
  std::vector<std::string> legal_bases;
  std::vector<std::string> recipients;
  std::vector<std::string> transfers;
  std::vector<std::string> retention;
  std::vector<std::string> dpia;
};

std::string category_name(const Category& c) { return c.name.empty() ? c.id : c.name; }

RecordText record_text(const ProcessingRecord& record, const Phrases& p) {
  RecordText t;
  t.purpose = record.name;
  t.data_subjects = record.data_subjects;
  for (const Category* c : record.categories) t.categories.push_back(category_name(*c));
  t.legal_bases = record.legal_bases;
  for (const RegisterRecipient& r : record.recipients) {
    const char* kind = r.kind == "recipient"           ? p.recipient
                       : r.kind == "sub-sub-processor" ? p.sub_sub_processor
                                                       : p.sub_processor;
    t.recipients.push_back(r.name + " (" + kind + ")");
  }
  for (const RegisterTransfer& transfer : record.transfers) {
    std::vector<std::string> safeguards;
    if (!transfer.adequacy.empty())
      safeguards.push_back(std::string(p.adequacy) + ": " + transfer.adequacy);
    for (const TransferMechanism* m : transfer.mechanisms)
      safeguards.push_back(mechanism_name(*m, register_text::language_of(p)));
    if (!transfer.safeguard.empty()) safeguards.push_back(transfer.safeguard);
    if (safeguards.empty()) safeguards.push_back(p.no_safeguard);
    t.transfers.push_back(transfer.recipient + ", " + transfer.country + ": " +
                          join(safeguards, "; "));
  }
  for (const RetentionTerm& term : record.retention)
    t.retention.push_back(
        category_name(*term.category) + ": " +
        (term.rule ? register_text::retention_text(*term.rule, p) : std::string(p.no_rule)));
  for (const DpiaMatch& match : record.dpia) {
    const DpiaCriterion& c = *match.criterion;
    std::string text =
        std::string(p.criterion) + " " + std::to_string(c.number) + " (" +
        std::string(register_text::language_of(p) == Language::nl ? c.title_nl : c.title_en) +
        "): ";
    if (match.category.empty()) {
      text += p.named_by_purpose;
    } else {
      for (const Category* category : record.categories)
        if (category->id == match.category) text += p.large_scale_of + category_name(*category);
    }
    t.dpia.push_back(std::move(text));
  }
  return t;
}

std::string title(const Register& reg, const Phrases& p) {
  std::string t = p.title;
  if (reg.organisation && !reg.organisation->name.empty()) t += p.of + reg.organisation->name;
  return t;
}

// The organisation's details as label and text, in order, the empty ones left out.
std::vector<std::pair<const char*, std::string>> organisation_lines(const Register& reg,
                                                                    const Phrases& p) {
  std::vector<std::pair<const char*, std::string>> lines;
  if (!reg.organisation) return lines;
  const Organisation& o = *reg.organisation;
  lines.emplace_back(p.organisation, o.name);
  if (!o.address.empty()) lines.emplace_back(p.address, o.address);
  lines.emplace_back(p.contact, o.privacy_contact);
  if (!o.dpo.empty()) lines.emplace_back(p.dpo, o.dpo);
  lines.emplace_back(p.security, o.security);
  return lines;
}

// The fields of a record as label and list, in the order of art. 30(1).
std::vector<std::pair<const char*, const std::vector<std::string>*>> fields_of(const RecordText& t,
                                                                               const Phrases& p) {
  return {{p.data_subjects, &t.data_subjects},
          {p.categories, &t.categories},
          {p.legal_basis, &t.legal_bases},
          {p.recipients, &t.recipients},
          {p.transfers, &t.transfers},
          {p.retention, &t.retention},
          {p.dpia, &t.dpia}};
}

// --- Markdown -------------------------------------------------------------------------

void md_record(std::ostream& out, const ProcessingRecord& record, const Phrases& p,
               const char* level) {
  const RecordText t = record_text(record, p);
  out << "\n" << level << " " << md_cell(std::string(p.purpose) + ": " + t.purpose) << "\n\n";
  for (const auto& [label, list] : fields_of(t, p)) {
    out << "- **" << label << "**:";
    if (list->empty()) out << " " << (list == &t.dpia || list == &t.transfers ? p.none : kNone);
    if (list->size() == 1) out << " " << md_cell(list->front());
    if (list->size() > 1)
      for (const auto& item : *list) out << "\n  - " << md_cell(item);
    out << "\n";
  }
}

void write_md(std::ostream& out, const Register& reg, const Phrases& p) {
  out << "# " << md_cell(title(reg, p)) << "\n\n"
      << p.as_of << " " << reg.as_of.text(register_text::language_of(p)) << ".\n\n";
  for (const auto& [label, text] : organisation_lines(reg, p))
    out << "- **" << label << "**: " << md_cell(text) << "\n";
  out << "\n" << p.dpia_intro << "\n";
  out << "\n## " << p.controller_heading << "\n\n" << p.controller_intro << "\n";
  if (reg.controller_records.empty()) out << "\n" << p.no_records << "\n";
  for (const ProcessingRecord& record : reg.controller_records) md_record(out, record, p, "###");
  out << "\n## " << p.processor_heading << "\n\n" << p.processor_intro << "\n";
  if (reg.processor_records.empty()) out << "\n" << p.no_records << "\n";
  for (const ProcessorRecord& served : reg.processor_records) {
    out << "\n### " << p.controller << ": " << md_cell(served.name) << "\n\n";
    out << "- **" << p.contact << "**: " << md_cell(served.contact) << "\n";
    if (reg.organisation)
      out << "- **" << p.processor << "**: " << md_cell(reg.organisation->name) << "\n";
    for (const ProcessingRecord& record : served.processing) md_record(out, record, p, "####");
  }
}

// --- HTML -----------------------------------------------------------------------------

// A record as the template's data: its heading, whether it needs a DPIA, its fields (one
// text, or a list of several).
nlohmann::json html_record(const ProcessingRecord& record, const Phrases& p) {
  const RecordText t = record_text(record, p);
  nlohmann::json fields = nlohmann::json::array();
  for (const auto& [label, list] : fields_of(t, p)) {
    nlohmann::json field{{"label", label}};
    if (list->size() > 1) {
      field["many"] = true;
      field["items"] = *list;
    } else {
      field["text"] = list->empty() ? (list == &t.dpia || list == &t.transfers ? p.none : kNone)
                                    : list->front();
    }
    fields.push_back(std::move(field));
  }
  return {{"heading", std::string(p.purpose) + ": " + t.purpose},
          {"dpia", !record.dpia.empty()},
          {"fields", std::move(fields)}};
}

void write_html(std::ostream& out, const Register& reg, const Phrases& p, Language language,
                const std::filesystem::path& templates) {
  nlohmann::json data;
  data["t"] = {{"as_of", p.as_of},
               {"dpia_intro", p.dpia_intro},
               {"controller_heading", p.controller_heading},
               {"controller_intro", p.controller_intro},
               {"processor_heading", p.processor_heading},
               {"processor_intro", p.processor_intro},
               {"no_records", p.no_records},
               {"contact", p.contact}};
  data["title"] = title(reg, p);
  data["as_of"] = reg.as_of.text(language);
  data["organisation"] = nlohmann::json::array();
  for (const auto& [label, text] : organisation_lines(reg, p))
    data["organisation"].push_back({{"label", label}, {"text", text.empty() ? kNone : text}});
  data["controller_records"] = nlohmann::json::array();
  for (const ProcessingRecord& record : reg.controller_records)
    data["controller_records"].push_back(html_record(record, p));
  data["processors"] = nlohmann::json::array();
  for (const ProcessorRecord& served : reg.processor_records) {
    nlohmann::json records = nlohmann::json::array();
    for (const ProcessingRecord& record : served.processing)
      records.push_back(html_record(record, p));
    data["processors"].push_back({{"heading", std::string(p.controller) + ": " + served.name},
                                  {"contact", served.contact.empty() ? kNone : served.contact},
                                  {"records", std::move(records)}});
  }
  out << render_page(language, title(reg, p),
                     render_template("register.html.mustache", data, templates), templates);
}

// --- CSV ------------------------------------------------------------------------------

void write_csv(std::ostream& out, const Register& reg, const Phrases& p) {
  const std::string security = reg.organisation ? reg.organisation->security : "";
  auto row = [&](const std::vector<std::string>& cells) {
    for (std::size_t i = 0; i < cells.size(); ++i) out << (i ? "," : "") << csv_cell(cells[i]);
    out << "\r\n";
  };
  auto record_row = [&](const char* which, const std::string& controller,
                        const ProcessingRecord& record) {
    const RecordText t = record_text(record, p);
    row({which, controller, t.purpose, join(t.data_subjects, "; "), join(t.categories, "; "),
         join(t.legal_bases, "; "), join(t.recipients, "; "), join(t.transfers, "; "),
         join(t.retention, "; "), join(t.dpia, "; "), security});
  };
  row({p.register_column, p.controller, p.purpose, p.data_subjects, p.categories, p.legal_basis,
       p.recipients, p.transfers, p.retention, p.dpia, p.security});
  const std::string organisation = reg.organisation ? reg.organisation->name : "";
  for (const ProcessingRecord& record : reg.controller_records)
    record_row(p.csv_controller_register, organisation, record);
  for (const ProcessorRecord& served : reg.processor_records)
    for (const ProcessingRecord& record : served.processing)
      record_row(p.csv_processor_register, served.name, record);
}

// --- JSON -----------------------------------------------------------------------------

Json text_or_null(const std::string& text) { return text.empty() ? Json(nullptr) : Json(text); }

Json record_json(const ProcessingRecord& record) {
  Json r;
  r["purpose"] = {{"id", record.purpose ? Json(record.purpose->id) : Json(nullptr)},
                  {"name", record.name},
                  {"description", text_or_null(record.purpose ? record.purpose->description : "")},
                  {"large_scale", record.purpose && record.purpose->large_scale}};
  r["data_subjects"] = record.data_subjects;
  Json categories = Json::array();
  for (const Category* c : record.categories)
    categories.push_back(
        {{"id", c->id}, {"name", category_name(*c)}, {"kind", text_or_null(c->kind)}});
  r["categories"] = std::move(categories);
  r["legal_bases"] = record.legal_bases;
  Json recipients = Json::array();
  for (const RegisterRecipient& x : record.recipients)
    recipients.push_back({{"id", x.id},
                          {"name", x.name},
                          {"kind", x.kind},
                          {"basis", text_or_null(x.basis)},
                          {"categories", x.categories}});
  r["recipients"] = std::move(recipients);
  Json transfers = Json::array();
  for (const RegisterTransfer& t : record.transfers) {
    Json mechanisms = Json::array();
    for (const TransferMechanism* m : t.mechanisms)
      mechanisms.push_back({{"mechanism", m->kind},
                            {"module", text_or_null(m->scc_module)},
                            {"derogation", text_or_null(m->derogation)},
                            {"tia", text_or_null(m->tia)},
                            {"measures", m->measures}});
    transfers.push_back({{"recipient", t.recipient},
                         {"country", t.country},
                         {"adequacy", text_or_null(t.adequacy)},
                         {"mechanisms", std::move(mechanisms)},
                         {"safeguard", text_or_null(t.safeguard)}});
  }
  r["transfers"] = std::move(transfers);
  Json retention = Json::array();
  for (const RetentionTerm& term : record.retention) {
    Json e;
    e["category"] = term.category->id;
    if (const RetentionRule* rule = term.rule) {
      e["rule"] = rule->name;
      e["table"] = rule->table;
      e["keep"] = rule->keep.str();
      e["period"] = text_or_null(rule->period);
      e["from"] = rule->from.kind == RetentionStart::Kind::account_closed ? "account_closed"
                                                                          : rule->from.column;
      e["action"] = to_string(rule->action);
    } else {
      e["rule"] = nullptr;
    }
    retention.push_back(std::move(e));
  }
  r["retention"] = std::move(retention);
  Json dpia = Json::array();
  for (const DpiaMatch& m : record.dpia)
    dpia.push_back({{"criterion", m.criterion->id},
                    {"number", m.criterion->number},
                    {"title", m.criterion->title_en},
                    {"title_nl", m.criterion->title_nl},
                    {"category", text_or_null(m.category)}});
  r["dpia"] = std::move(dpia);
  return r;
}

void write_json(std::ostream& out, const Register& reg, Language language) {
  Json doc;
  doc["format"] = "telcomply-register";
  doc["version"] = 1;
  doc["language"] = to_string(language);
  doc["as_of"] = reg.as_of.iso();
  if (reg.organisation) {
    const Organisation& o = *reg.organisation;
    doc["organisation"] = {{"name", o.name},
                           {"address", text_or_null(o.address)},
                           {"contact", text_or_null(o.privacy_contact)},
                           {"dpo", text_or_null(o.dpo)},
                           {"security", text_or_null(o.security)}};
  } else {
    doc["organisation"] = nullptr;
  }
  Json controller = Json::array();
  for (const ProcessingRecord& record : reg.controller_records) {
    Json r = record_json(record);
    r["role"] = "controller";
    controller.push_back(std::move(r));
  }
  doc["controller_records"] = std::move(controller);
  Json processor = Json::array();
  for (const ProcessorRecord& served : reg.processor_records) {
    Json processing = Json::array();
    for (const ProcessingRecord& record : served.processing) {
      Json r = record_json(record);
      r["role"] = "processor";
      processing.push_back(std::move(r));
    }
    processor.push_back(
        {{"controller",
          {{"id", served.controller ? Json(served.controller->id) : Json(nullptr)},
           {"name", served.name},
           {"contact", text_or_null(served.contact)},
           {"description", text_or_null(served.controller ? served.controller->description : "")}}},
         {"processing", std::move(processing)}});
  }
  doc["processor_records"] = std::move(processor);
  out << doc.dump(2, ' ', false, Json::error_handler_t::replace) << "\n";
}

}  // namespace

void write_register(std::ostream& out, const Register& reg, RegisterFormat format,
                    Language language, const std::filesystem::path& templates) {
  const Phrases& p = register_text::phrases(language);
  switch (format) {
    case RegisterFormat::md:
      write_md(out, reg, p);
      break;
    case RegisterFormat::html:
      write_html(out, reg, p, language, templates);
      break;
    case RegisterFormat::csv:
      write_csv(out, reg, p);
      break;
    case RegisterFormat::json:
      write_json(out, reg, language);
      break;
  }
}

}  // namespace telcomply
