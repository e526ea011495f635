#include "export/writer.h"

#include <openssl/evp.h>

#include <cctype>
#include <charconv>
#include <condition_variable>
#include <exception>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "core/error.h"
#include "core/format.h"
#include "export/phrases.h"
#include "policy/country.h"
#include "policy/transfers.h"
#include "render/render.h"
#include "report/escape.h"

namespace telcomply {

using ojson = nlohmann::ordered_json;

// ---------------------------------------------------------------------------------------
// Sink

struct PackageSink::Worker {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  std::mutex mutex;
  std::condition_variable changed;
  // Handed over and not yet hashed and written while `busy`; the main thread touches it only
  // when the worker is not busy.
  std::string chunk;
  bool busy = false;
  bool stop = false;
  bool failed = false;  // the stream failed
  std::exception_ptr error;
  std::int64_t written = 0;
  std::thread thread;

  ~Worker() {
    {
      const std::lock_guard lock(mutex);
      stop = true;
    }
    changed.notify_all();
    if (thread.joinable()) thread.join();
    EVP_MD_CTX_free(ctx);
  }

  void run(std::ostream& out) {
    std::unique_lock lock(mutex);
    while (true) {
      changed.wait(lock, [this] { return busy || stop; });
      if (!busy) return;
      lock.unlock();
      bool ok = false;
      std::exception_ptr thrown;
      try {
        ok = EVP_DigestUpdate(ctx, chunk.data(), chunk.size()) == 1;
        out.write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
        ok = ok && static_cast<bool>(out);
      } catch (...) {
        ok = false;
        thrown = std::current_exception();
      }
      lock.lock();
      failed = failed || !ok;
      if (thrown && !error) error = thrown;
      if (ok) written += static_cast<std::int64_t>(chunk.size());
      chunk.clear();
      busy = false;
      changed.notify_all();
    }
  }

  // With `lock` held: waits until the chunk handed over last is written, and throws what
  // went wrong with any chunk.
  void settle(std::unique_lock<std::mutex>& lock) {
    changed.wait(lock, [this] { return !busy; });
    if (error) std::rethrow_exception(error);
    if (failed) throw_operational("cannot write the export: disk full or I/O error");
  }
};

PackageSink::PackageSink(std::ostream& out) : out_(out), worker_(std::make_unique<Worker>()) {
  if (!worker_->ctx || EVP_DigestInit_ex(worker_->ctx, EVP_sha256(), nullptr) != 1)
    throw_operational("sha-256 failed");
  buffer_.reserve(kChunk + 4096);
  worker_->chunk.reserve(kChunk + 4096);
  worker_->thread = std::thread([worker = worker_.get(), &out] { worker->run(out); });
}

PackageSink::~PackageSink() = default;

void PackageSink::flush() {
  if (buffer_.empty()) return;
  {
    std::unique_lock lock(worker_->mutex);
    worker_->settle(lock);
    bytes_ = worker_->written;
    worker_->chunk.swap(buffer_);
    worker_->busy = true;
  }
  worker_->changed.notify_all();
  buffer_.clear();
}

std::string PackageSink::finish() {
  flush();
  {
    std::unique_lock lock(worker_->mutex);
    worker_->settle(lock);
    bytes_ = worker_->written;
    worker_->stop = true;
  }
  worker_->changed.notify_all();
  worker_->thread.join();
  out_.flush();
  if (!out_) throw_operational("cannot write the export: disk full or I/O error");
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_DigestFinal_ex(worker_->ctx, digest, &size) != 1) throw_operational("sha-256 failed");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < size; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 0xf];
  }
  return hex;
}

// ---------------------------------------------------------------------------------------
// Escaping

void append_json_string(std::string& out, std::string_view text) {
  // Plain printable ASCII is copied as it is; anything else goes through nlohmann_json,
  // which escapes control characters and replaces invalid UTF-8.
  bool plain = true;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x7f || c == '"' || c == '\\') {
      plain = false;
      break;
    }
  }
  if (plain) {
    out += '"';
    out.append(text);
    out += '"';
    return;
  }
  out += nlohmann::json(std::string(text))
             .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

namespace {

void append_integer(std::string& out, std::int64_t value) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  out.append(buf, end);
}

void append_real(std::string& out, double value) { out += nlohmann::json(value).dump(); }

// Text for display: a JSON string's content, a number, or "" for null.
std::string text_of(const ojson& value) {
  if (value.is_null()) return "";
  if (value.is_string()) return value.get<std::string>();
  return value.dump();
}

std::string joined(const ojson& list, std::string_view separator = ", ") {
  std::string out;
  if (!list.is_array()) return text_of(list);
  for (const auto& item : list) {
    if (!out.empty()) out += separator;
    out += text_of(item);
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// JSON

class JsonWriter final : public PackageWriter {
 public:
  JsonWriter(PackageSink& sink, const PackageView& view) : sink_(sink), view_(view) {}

  void begin(const PackageHead& head) override {
    std::string out = "{\n  \"format\": ";
    append_json_string(out, kExportFormat);
    out += ",\n  \"generated_at\": ";
    append_json_string(out, head.generated_at);
    // The subject's fields come from the database: bytes that are not UTF-8 become U+FFFD.
    constexpr auto replace = ojson::error_handler_t::replace;
    out += ",\n  \"controller\": " + head.controller.dump(-1, ' ', false, replace);
    out += ",\n  \"subject\": " + head.subject.dump(-1, ' ', false, replace);
    ojson summary = ojson::object();
    for (const auto& c : head.categories) summary[c.category->id] = c.count;
    out += ",\n  \"summary\": " + summary.dump();
    out += ",\n  \"data\": {";
    sink_.write(out);
    first_category_ = true;
  }

  void begin_category(const PackageCategory& category) override {
    const Category& c = *category.category;
    std::string out = first_category_ ? "\n    " : ",\n    ";
    first_category_ = false;
    append_json_string(out, c.id);
    out += ": {\n      \"name\": ";
    append_json_string(out, c.name);
    out += ",\n      \"description\": ";
    append_json_string(out, c.description);
    out += ",\n      \"portable\": ";
    out += c.portable ? "true" : "false";
    out += ",\n      \"count\": ";
    append_integer(out, category.count);
    out += ",\n      \"records\": [";
    sink_.write(out);
    first_record_ = true;
    labels_ = ojson::object();
  }

  void begin_table(const PackageTable& table) override {
    // The columns' labels, written after the category's records.
    ojson labels = ojson::object();
    for (std::size_t i = 0; i < table.columns.size() && i < table.entries.size(); ++i)
      if (table.entries[i] && !table.entries[i]->label.empty())
        labels[table.columns[i]] = table.entries[i]->label.in(view_.language);
    labels_[table.name] = std::move(labels);
    prefix_ = "{\"table\":";
    append_json_string(prefix_, table.name);
    prefix_ += ",\"key\":";
    keys_.clear();
    for (std::size_t i = 0; i < table.columns.size(); ++i) {
      std::string key = i == 0 ? ",\"fields\":{" : ",";
      append_json_string(key, table.columns[i]);
      key += ':';
      keys_.push_back(std::move(key));
    }
  }

  void record(const FieldValue& key, std::span<const FieldValue> fields) override {
    line_.assign(first_record_ ? "\n        " : ",\n        ");
    first_record_ = false;
    line_ += prefix_;
    append_value(key);
    for (std::size_t i = 0; i < fields.size(); ++i) {
      line_ += keys_[i];
      append_value(fields[i]);
    }
    line_ += fields.empty() ? ",\"fields\":{}}" : "}}";
    sink_.write(line_);
  }

  void end_table() override {}

  void end_category() override {
    std::string out = first_record_ ? "]" : "\n      ]";
    out += ",\n      \"labels\": " + labels_.dump(-1, ' ', false, ojson::error_handler_t::replace);
    out += "\n    }";
    sink_.write(out);
  }

  void end(const ojson& information) override {
    std::string out = first_category_ ? "},\n  \"information\": " : "\n  },\n  \"information\": ";
    // Indent the pretty-printed information to its depth in the package.
    const std::string pretty = information.dump(2, ' ', false, ojson::error_handler_t::replace);
    for (char c : pretty) {
      out += c;
      if (c == '\n') out += "  ";
    }
    out += "\n}\n";
    sink_.write(out);
  }

 private:
  void append_value(const FieldValue& value) {
    switch (value.type) {
      case FieldValue::Type::null:
        line_ += "null";
        break;
      case FieldValue::Type::integer:
        append_integer(line_, value.integer);
        break;
      case FieldValue::Type::real:
        append_real(line_, value.real);
        break;
      case FieldValue::Type::text:
        append_json_string(line_, value.text);
        break;
      case FieldValue::Type::json:
        line_ += value.text;
        break;
    }
  }

  PackageSink& sink_;
  PackageView view_;
  ojson labels_ = ojson::object();  // per table of the category: column -> label
  bool first_category_ = true;
  bool first_record_ = true;
  std::string prefix_;
  std::vector<std::string> keys_;
  std::string line_;
};

// ---------------------------------------------------------------------------------------
// HTML: export.html.mustache in the page shell, one self-contained file, no scripts, no
// external resources. Everything but the records is known before the first record: the page
// is rendered once with a marker where each category's records go, and the records stream
// into the gaps.

constexpr std::string_view kRecordsMarker = "<!--telcomply:records-->";

std::string anchor(std::string_view id) {
  std::string out = "cat-";
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_';
    out += ok ? c : '_';
  }
  return out;
}

// "1 record", "12 records".
std::string count_text(std::int64_t count, const export_text::Phrases& p) {
  return std::to_string(count) + " " + (count == 1 ? p.record : p.records_count);
}

// A table with more columns than this shows each record as a list of label and value.
constexpr std::size_t kMostColumns = 5;

using Json = nlohmann::json;

Json or_null(const std::string& text) { return text.empty() ? Json(nullptr) : Json(text); }

class HtmlWriter final : public PackageWriter {
 public:
  HtmlWriter(PackageSink& sink, const PackageView& view)
      : sink_(sink), view_(view), p_(export_text::phrases(view.language)) {}

  void begin(const PackageHead& head) override {
    const std::string org = text_of(head.controller["name"]);
    const std::string number = text_of(head.subject["customer_number"]);
    Json data;
    data["t"] = phrases_data();
    data["organisation"] = org;
    data["address"] = or_null(text_of(head.controller["address"]));
    data["customer_number"] = number;
    const auto moment = parse_iso_moment(head.generated_at);
    data["generated"] =
        moment ? moment_text(moment->seconds, view_.zone, view_.language) : head.generated_at;
    data["zone"] = view_.zone.name();
    data["masked"] = text_of(head.subject["other_parties"]) == "masked";
    data["format"] = kExportFormat;
    Json categories = Json::array();
    for (const auto& c : head.categories) {
      std::string purposes;
      for (const auto& purpose : c.purposes) purposes += (purposes.empty() ? "" : "; ") + purpose;
      categories.push_back({{"anchor", anchor(c.category->id)},
                            {"name", c.category->name},
                            {"description", or_null(c.category->description)},
                            {"count", c.count},
                            {"count_text", count_text(c.count, p_)},
                            {"purposes", purposes},
                            {"portable", c.category->portable},
                            {"records", kRecordsMarker}});
    }
    data["categories"] = std::move(categories);
    information_data(head.information, data);

    const std::string page = render_page(
        view_.language, p_.title + number + p_.at + org,
        render_template("export.html.mustache", data, view_.templates), view_.templates);
    std::size_t at = 0;
    for (std::size_t found; (found = page.find(kRecordsMarker, at)) != std::string::npos;) {
      segments_.push_back(page.substr(at, found - at));
      at = found + kRecordsMarker.size();
    }
    segments_.push_back(page.substr(at));
    if (segments_.size() != head.categories.size() + 1)
      throw_invalid(
          "template export.html.mustache must show {{{records}}} once in each of the "
          "{{#categories}}");
    sink_.write(segments_[0]);
    next_ = 1;
  }

  void begin_category(const PackageCategory&) override {}

  void begin_table(const PackageTable& table) override {
    table_ = &table;
    displays_.clear();
    labels_.clear();
    for (std::size_t i = 0; i < table.columns.size(); ++i) {
      const Column* column = i < table.entries.size() ? table.entries[i] : nullptr;
      const bool masked = i < table.masked.size() && table.masked[i];
      std::string label =
          column && !column->label.empty() ? column->label.in(view_.language) : table.columns[i];
      labels_.push_back(label);
      displays_.push_back(column && !masked ? &column->display : &kRaw);
    }
    cards_ = table.columns.size() > kMostColumns;
    std::string out = "<h4>";
    const std::string name = table.entry && !table.entry->label.empty()
                                 ? table.entry->label.in(view_.language)
                                 : p_.from_table + std::string(" ") + table.name;
    append_html_escaped(out, name);
    out += " <span class=\"muted\">(";
    append_html_escaped(out, count_text(table.count, p_));
    out += ")</span></h4>\n";
    // Cells carry their label, which the page shell shows above the value on a narrow screen.
    cells_.clear();
    std::string key_cell = "<td data-label=\"";
    append_html_escaped(key_cell, p_.record_number);
    key_cell += "\">";
    cells_.push_back(std::move(key_cell));
    for (std::size_t i = 0; i < labels_.size(); ++i) {
      std::string cell = "<td data-label=\"";
      append_html_escaped(cell, labels_[i]);
      cell += "\">";
      cells_.push_back(std::move(cell));
    }
    if (!cards_) {
      out += "<div style=\"overflow-x:auto\"><table>\n<thead><tr><th>";
      append_html_escaped(out, p_.record_number);
      out += "</th>";
      for (std::size_t i = 0; i < labels_.size(); ++i) {
        out += "<th>";
        append_html_escaped(out, labels_[i]);
        if (i < table.masked.size() && table.masked[i]) {
          out += "<br><span class=\"muted\">";
          append_html_escaped(out, p_.masked_column);
          out += "</span>";
        }
        out += "</th>";
      }
      out += "</tr></thead>\n<tbody>\n";
    }
    sink_.write(out);
  }

  void record(const FieldValue& key, std::span<const FieldValue> fields) override {
    if (cards_) {
      // One list of label and value per record.
      line_.assign("<table class=\"facts\">\n<tr><th scope=\"row\">");
      append_html_escaped(line_, p_.record_number);
      line_ += "</th><td>";
      append_html_escaped(line_, display_value(key, kRaw, view_));
      line_ += "</td></tr>\n";
      for (std::size_t i = 0; i < fields.size(); ++i) {
        line_ += "<tr><th scope=\"row\">";
        append_html_escaped(line_, labels_[i]);
        if (i < table_->masked.size() && table_->masked[i]) {
          line_ += "<br><span class=\"muted\">";
          append_html_escaped(line_, p_.masked_column);
          line_ += "</span>";
        }
        line_ += "</th><td>";
        append_field(fields[i], *displays_[i]);
        line_ += "</td></tr>\n";
      }
      line_ += "</table>\n";
    } else {
      line_.assign("<tr>");
      line_ += cells_[0];
      append_html_escaped(line_, display_value(key, kRaw, view_));
      line_ += "</td>";
      for (std::size_t i = 0; i < fields.size(); ++i) {
        line_ += cells_[i + 1];
        append_field(fields[i], *displays_[i]);
        line_ += "</td>";
      }
      line_ += "</tr>\n";
    }
    sink_.write(line_);
  }

  void end_table() override {
    if (!cards_) sink_.write("</tbody></table></div>\n");
  }

  void end_category() override {
    if (next_ < segments_.size()) sink_.write(segments_[next_++]);
  }

  void end(const ojson&) override {
    while (next_ < segments_.size()) sink_.write(segments_[next_++]);
  }

 private:
  static const Display kRaw;

  void append_field(const FieldValue& value, const Display& display) {
    if (value.type == FieldValue::Type::null) {
      line_ += "<span class=\"muted\">&ndash;</span>";
      return;
    }
    append_html_escaped(line_, display_value(value, display, view_));
  }

  Json phrases_data() const {
    const auto& p = p_;
    return {{"heading", p.heading},
            {"held_by", p.held_by},
            {"customer_number", p.customer_number},
            {"generated", p.generated},
            {"times_in", p.times_in},
            {"intro", p.intro},
            {"masked_note", p.masked_note},
            {"contents", p.contents},
            {"summary", p.summary},
            {"your_data", p.your_data},
            {"information", p.information},
            {"rights", p.rights},
            {"category", p.category},
            {"what_it_is", p.what_it_is},
            {"records", p.records},
            {"why", p.why},
            {"portable", p.portable},
            {"purposes_heading", p.purposes_heading},
            {"purposes", p.purposes},
            {"legal_basis", p.legal_basis},
            {"source", p.source},
            {"retention_heading", p.retention_heading},
            {"retention", p.retention},
            {"counted_from", p.counted_from},
            {"then", p.then},
            {"why_kept", p.why_kept},
            {"no_rule", p.no_rule},
            {"processor_heading", p.processor_heading},
            {"processor_intro", p.processor_intro},
            {"our_role", p.our_role},
            {"controller", p.controller},
            {"recipients_heading", p.recipients_heading},
            {"recipient", p.recipient},
            {"purpose", p.purpose},
            {"data", p.data},
            {"where", p.where},
            {"outside_eea", p.outside_eea},
            {"no_recipients", p.no_recipients},
            {"none", p.none},
            {"decisions_heading", p.decisions_heading},
            {"how_it_works", p.how_it_works},
            {"what_it_means", p.what_it_means},
            {"no_decisions", p.no_decisions},
            {"contact_intro", p.contact_intro},
            {"dpo", p.dpo},
            {"complaint_intro", p.complaint_intro},
            {"format", p.format}};
  }

  std::string role_text(const std::string& role) const {
    if (role == "processor") return p_.roles[1];
    if (role == "sub-processor") return p_.roles[2];
    return p_.roles[0];
  }

  std::string countries(const ojson& codes) const {
    std::string out;
    for (const auto& code : codes) {
      if (!out.empty()) out += ", ";
      const std::string_view name = country_name(text_of(code), view_.language);
      out += name.empty() ? text_of(code) : std::string(name);
    }
    return out;
  }

  // Where a retention period is counted from: the end of the contract, or the date in a
  // column, by its label when the data map gives one.
  std::string counted_from(const ojson& rule) const {
    const std::string from = text_of(rule["from"]);
    if (from == "account_closed") return p_.end_of_contract;
    std::string label = from;
    if (view_.map)
      if (const Table* table = view_.map->find_table(text_of(rule["table"])))
        if (const Column* column = table->find_column(from); column && !column->label.empty())
          label = column->label.in(view_.language);
    return p_.the_records + ("\u2018" + label + "\u2019");
  }

  void information_data(const ojson& information, Json& data) const {
    Json processing = Json::array(), retention = Json::array(), processor = Json::array();
    std::map<std::string, std::string> names;
    for (const auto& c : information["categories"]) {
      const std::string name = text_of(c["name"]);
      names[text_of(c["id"])] = name;
      processing.push_back({{"name", name},
                            {"purposes", joined(c["purposes"], "; ")},
                            {"legal_basis", text_of(c["legal_basis"])},
                            {"source", c["from_subject"].get<bool>() ? std::string(p_.from_subject)
                                                                     : text_of(c["source"])}});
      if (c["retention"].empty()) retention.push_back({{"name", name}, {"none", true}});
      for (const auto& r : c["retention"]) {
        const auto keep = parse_duration(text_of(r["keep"]));
        retention.push_back(
            {{"name", name},
             {"keep", keep ? keep->text(view_.language) : text_of(r["keep"])},
             {"from", counted_from(r)},
             {"then", text_of(r["action"]) == "delete" ? p_.deleted : p_.anonymised},
             {"why", r["basis"].is_null() ? text_of(r["description"]) : text_of(r["basis"])}});
      }
      if (!c["exported"].get<bool>())
        processor.push_back({{"name", name},
                             {"role", role_text(text_of(c["role"]))},
                             {"controller", text_of(c["controller"])}});
    }
    data["has_processor"] = !processor.empty();
    data["processing"] = std::move(processing);
    data["retention"] = std::move(retention);
    data["processor"] = std::move(processor);

    Json recipients = Json::array();
    for (const auto& r : information["recipients"]) {
      std::string categories;
      for (const auto& id : r["categories"]) {
        if (!categories.empty()) categories += ", ";
        auto it = names.find(text_of(id));
        categories += it == names.end() ? text_of(id) : it->second;
      }
      std::string where = countries(r["locations"]);
      if (!r["access_locations"].empty())
        where += " (" + std::string(p_.access_from) + " " + countries(r["access_locations"]) + ")";
      Json third = Json::array();
      for (const auto& t : r["third_countries"]) {
        std::string basis;
        if (!t["adequacy"].is_null())
          basis = std::string(p_.adequacy) + " " + text_of(t["adequacy"]["decision"]);
        for (const auto& s : t["safeguards"]) {
          if (!basis.empty()) basis += "; ";
          // The mechanism in the words every output uses (policy/transfers.h).
          TransferMechanism mechanism;
          mechanism.kind = text_of(s["mechanism"]);
          if (s.contains("module")) mechanism.scc_module = text_of(s["module"]);
          if (s.contains("derogation")) mechanism.derogation = text_of(s["derogation"]);
          basis += mechanism_name(mechanism, view_.language);
          if (!s["measures"].empty())
            basis += ", " + std::string(p_.with_measures) + " " + joined(s["measures"]);
        }
        const std::string_view country = country_name(text_of(t["country"]), view_.language);
        third.push_back(
            {{"country", country.empty() ? text_of(t["country"]) : std::string(country)},
             {"basis", basis.empty() ? std::string(p_.no_safeguard) : basis}});
      }
      recipients.push_back({{"name", text_of(r["name"])},
                            {"address", or_null(text_of(r["address"]))},
                            {"purpose", text_of(r["purpose"])},
                            {"data", categories},
                            {"where", where},
                            {"third", std::move(third)}});
    }
    data["has_recipients"] = !recipients.empty();
    data["recipients"] = std::move(recipients);

    Json decisions = Json::array();
    for (const auto& d : information["automated_decisions"])
      decisions.push_back({{"name", text_of(d["name"])},
                           {"logic", text_of(d["logic"])},
                           {"significance", text_of(d["significance"])}});
    data["decisions"] = std::move(decisions);

    const ojson& rights = information["rights"];
    Json list = Json::array();
    for (const auto& r : rights["rights"])
      list.push_back({{"name", text_of(r["name"])},
                      {"article", text_of(r["article"])},
                      {"description", text_of(r["description"])}});
    data["rights"] = std::move(list);
    const ojson& complaint = rights["complaint"];
    data["complaint"] = {{"name", text_of(complaint["name"])},
                         {"article", text_of(complaint["article"])},
                         {"authority", text_of(complaint["authority"])},
                         {"url", or_null(text_of(complaint["url"]))},
                         {"address", or_null(text_of(complaint["address"]))}};
    const ojson& contact = rights["contact"];
    data["contact"] = {{"organisation", text_of(contact["organisation"])},
                       {"address", or_null(text_of(contact["address"]))},
                       {"email", or_null(text_of(contact["email"]))},
                       {"dpo", or_null(text_of(contact["dpo"]))}};
  }

  PackageSink& sink_;
  PackageView view_;
  const export_text::Phrases& p_;
  std::vector<std::string> segments_;
  std::size_t next_ = 0;
  const PackageTable* table_ = nullptr;
  bool cards_ = false;
  std::vector<std::string> labels_;
  std::vector<const Display*> displays_;
  std::vector<std::string> cells_;
  std::string line_;
};

const Display HtmlWriter::kRaw{};

}  // namespace

namespace {

// The digits of an integer stored as text ("18900", "-250"); nullopt for anything else.
std::optional<std::int64_t> integer_of(const FieldValue& value) {
  if (value.type == FieldValue::Type::integer) return value.integer;
  if (value.type == FieldValue::Type::real) {
    if (!(value.real > -9e18 && value.real < 9e18)) return std::nullopt;
    return static_cast<std::int64_t>(value.real < 0 ? value.real - 0.5 : value.real + 0.5);
  }
  if (value.type != FieldValue::Type::text && value.type != FieldValue::Type::json)
    return std::nullopt;
  std::int64_t out = 0;
  const char* begin = value.text.data();
  const char* end = begin + value.text.size();
  auto [at, ec] = std::from_chars(begin, end, out);
  if (ec != std::errc() || at != end || begin == end) return std::nullopt;
  return out;
}

std::string raw_text(const FieldValue& value) {
  switch (value.type) {
    case FieldValue::Type::null:
      return "";
    case FieldValue::Type::integer:
      return std::to_string(value.integer);
    case FieldValue::Type::real:
      return nlohmann::json(value.real).dump();
    case FieldValue::Type::text:
    case FieldValue::Type::json:
      return std::string(value.text);
  }
  return "";
}

// A date ("2026-01-05") or a moment ("2026-01-05T10:00:00Z") as people read it; nullopt when
// `text` is neither. A moment without an offset is UTC, as the package stores it.
std::optional<std::string> date_or_moment(std::string_view text, bool date_only,
                                          const PackageView& view) {
  const std::optional<IsoMoment> moment = parse_iso_moment(text);
  if (!moment) return std::nullopt;
  if (text.size() == 10) return parse_date(text)->text(view.language);
  if (date_only) return view.zone.local(moment->seconds).date.text(view.language);
  return moment_text(moment->seconds, view.zone, view.language);
}

}  // namespace

std::string display_value(const FieldValue& value, const Display& display,
                          const PackageView& view) {
  if (value.type == FieldValue::Type::null) return "";
  const Language language = view.language;
  switch (display.kind) {
    case Display::Kind::money_cents:
      if (auto cents = integer_of(value)) return money_text(*cents, display.currency, language);
      break;
    case Display::Kind::duration_seconds:
      if (auto seconds = integer_of(value)) return seconds_text(*seconds, language);
      break;
    case Display::Kind::boolean: {
      const std::string text = raw_text(value);
      if (text == "1" || text == "true" || text == "t") return yes_no_text(true, language);
      if (text == "0" || text == "false" || text == "f") return yes_no_text(false, language);
      break;
    }
    case Display::Kind::enumeration: {
      const std::string text = raw_text(value);
      for (const auto& [stored, meaning] : display.values)
        if (stored == text) return meaning.in(language);
      return text;
    }
    case Display::Kind::date:
    case Display::Kind::date_time:
    case Display::Kind::raw:
      if (value.type == FieldValue::Type::text)
        if (auto shown = date_or_moment(value.text, display.kind == Display::Kind::date, view))
          return *shown;
      break;
  }
  return raw_text(value);
}

std::unique_ptr<PackageWriter> make_package_writer(ExportFormat format, PackageSink& sink,
                                                   const PackageView& view) {
  if (format == ExportFormat::html) return std::make_unique<HtmlWriter>(sink, view);
  return std::make_unique<JsonWriter>(sink, view);
}

}  // namespace telcomply
