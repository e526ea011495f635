#include "export/writer.h"

#include <openssl/evp.h>

#include <cctype>
#include <charconv>
#include <map>

#include "core/error.h"
#include "policy/country.h"
#include "policy/transfers.h"
#include "report/escape.h"

namespace telcomply {

using ojson = nlohmann::ordered_json;

// ---------------------------------------------------------------------------------------
// Sink

struct PackageSink::Digest {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  ~Digest() { EVP_MD_CTX_free(ctx); }
};

PackageSink::PackageSink(std::ostream& out) : out_(out), digest_(std::make_unique<Digest>()) {
  if (!digest_->ctx || EVP_DigestInit_ex(digest_->ctx, EVP_sha256(), nullptr) != 1)
    throw_operational("sha-256 failed");
  buffer_.reserve(kChunk + 4096);
}

PackageSink::~PackageSink() = default;

void PackageSink::flush() {
  if (buffer_.empty()) return;
  EVP_DigestUpdate(digest_->ctx, buffer_.data(), buffer_.size());
  out_.write(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
  if (!out_) throw_operational("cannot write the export: disk full or I/O error");
  bytes_ += static_cast<std::int64_t>(buffer_.size());
  buffer_.clear();
}

std::string PackageSink::finish() {
  flush();
  out_.flush();
  if (!out_) throw_operational("cannot write the export: disk full or I/O error");
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_DigestFinal_ex(digest_->ctx, digest, &size) != 1) throw_operational("sha-256 failed");
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
  explicit JsonWriter(PackageSink& sink) : sink_(sink) {}

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
  }

  void begin_table(const PackageTable& table) override {
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

  void end_category() override { sink_.write(first_record_ ? "]\n    }" : "\n      ]\n    }"); }

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
  bool first_category_ = true;
  bool first_record_ = true;
  std::string prefix_;
  std::vector<std::string> keys_;
  std::string line_;
};

// ---------------------------------------------------------------------------------------
// HTML: one self-contained file, no scripts, no external resources.

constexpr std::string_view kStyle = R"(
:root{color-scheme:light}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#1f2933;background:#f4f5f7}
header{background:#1d3557;color:#fff;padding:28px 0}
header .wrap,main{max-width:1100px;margin:0 auto;padding:0 24px}
header h1{margin:0 0 6px;font-size:28px}
header p{margin:2px 0;color:#dbe4f0}
main{padding-bottom:48px}
h2{font-size:21px;margin:36px 0 12px;padding-bottom:6px;border-bottom:2px solid #1d3557}
h3{font-size:17px;margin:0 0 6px}
h4{font-size:15px;margin:18px 0 6px;color:#3e4c59}
.card{background:#fff;border:1px solid #d9dde3;border-radius:8px;padding:16px 20px;margin:14px 0}
.muted{color:#67737f}
.note{background:#fff8e1;border:1px solid #f0d98c;border-radius:6px;padding:8px 12px}
table{border-collapse:collapse;width:100%;font-size:13.5px;background:#fff}
th,td{border:1px solid #d9dde3;padding:5px 8px;text-align:left;vertical-align:top}
thead th{background:#e9edf2;position:sticky;top:0}
tbody tr:nth-child(even){background:#f8f9fb}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.scroll{overflow-x:auto;max-width:100%}
.tag{display:inline-block;font-size:12px;padding:1px 7px;border-radius:10px;background:#e3ecf7;color:#1d3557;margin-left:6px}
.masked{font-size:11px;color:#8a4b08;font-weight:normal}
nav ul{margin:6px 0;padding-left:20px}
dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:6px 0}
dt{font-weight:600}
dd{margin:0}
@media print{header{background:none;color:#000}header p{color:#000}.card{break-inside:avoid}}
)";

std::string anchor(std::string_view id) {
  std::string out = "cat-";
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_';
    out += ok ? c : '_';
  }
  return out;
}

class HtmlWriter final : public PackageWriter {
 public:
  explicit HtmlWriter(PackageSink& sink) : sink_(sink) {}

  void begin(const PackageHead& head) override {
    std::string out;
    const std::string org = text_of(head.controller["name"]);
    const std::string number = text_of(head.subject["customer_number"]);
    out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
    out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
    out += "<meta name=\"generator\" content=\"";
    append_html_escaped(out, kExportFormat);
    out += "\">\n<title>Personal data of customer ";
    append_html_escaped(out, number);
    out += " at ";
    append_html_escaped(out, org);
    out += "</title>\n<style>";
    out += kStyle;
    out += "</style>\n</head>\n<body>\n<header><div class=\"wrap\">\n<h1>Your personal data</h1>\n";
    out += "<p>Held by <strong>";
    append_html_escaped(out, org);
    out += "</strong>";
    if (const std::string address = text_of(head.controller["address"]); !address.empty()) {
      out += ", ";
      append_html_escaped(out, address);
    }
    out += "</p>\n<p>Customer number <strong>";
    append_html_escaped(out, number);
    out += "</strong> &middot; generated ";
    append_html_escaped(out, head.generated_at);
    out += "</p>\n</div></header>\n<main>\n";

    out +=
        "<p>This file is a copy of the personal data we hold about you and the information "
        "the GDPR (article 15) entitles you to: why we use the data, who receives it, how "
        "long we keep it, and your rights. A machine-readable version (JSON) is available "
        "on request.</p>\n";
    if (head.subject.contains("other_parties") &&
        text_of(head.subject["other_parties"]) == "masked")
      out +=
          "<p class=\"note\">Data about other people (for example the numbers you called) is "
          "partly hidden to protect their privacy (GDPR article 15(4)).</p>\n";

    out +=
        "<nav class=\"card\"><strong>Contents</strong><ul>"
        "<li><a href=\"#summary\">Summary</a></li><li><a href=\"#data\">Your data</a></li>"
        "<li><a href=\"#information\">Information about the processing</a></li>"
        "<li><a href=\"#rights\">Your rights</a></li></ul></nav>\n";
    out +=
        "<h2 id=\"summary\">Summary</h2>\n<div class=\"card scroll\"><table>\n<thead><tr>"
        "<th>Category</th><th>What it is</th><th class=\"num\">Records</th>"
        "<th>Why we use it</th></tr></thead>\n<tbody>\n";
    for (const auto& c : head.categories) {
      out += "<tr><td><a href=\"#";
      out += anchor(c.category->id);
      out += "\">";
      append_html_escaped(out, c.category->name);
      out += "</a></td><td>";
      append_html_escaped(out, c.category->description);
      out += "</td><td class=\"num\">";
      append_integer(out, c.count);
      out += "</td><td>";
      for (std::size_t i = 0; i < c.purposes.size(); ++i) {
        if (i) out += "; ";
        append_html_escaped(out, c.purposes[i]);
      }
      out += "</td></tr>\n";
    }
    out += "</tbody></table></div>\n";
    out += "<h2 id=\"data\">Your data</h2>\n";
    sink_.write(out);
  }

  void begin_category(const PackageCategory& category) override {
    const Category& c = *category.category;
    std::string out = "<section class=\"card\" id=\"" + anchor(c.id) + "\">\n<h3>";
    append_html_escaped(out, c.name);
    if (c.portable) out += "<span class=\"tag\">portable (art. 20)</span>";
    out += "</h3>\n";
    if (!c.description.empty()) {
      out += "<p class=\"muted\">";
      append_html_escaped(out, c.description);
      out += "</p>\n";
    }
    out += "<p>";
    append_integer(out, category.count);
    out += category.count == 1 ? " record" : " records";
    out += "</p>\n";
    sink_.write(out);
  }

  void begin_table(const PackageTable& table) override {
    std::string out = "<h4>From <code>";
    append_html_escaped(out, table.name);
    out += "</code> (";
    append_integer(out, table.count);
    out += table.count == 1 ? " record" : " records";
    out += ")</h4>\n<div class=\"scroll\"><table>\n<thead><tr><th>";
    append_html_escaped(out, table.key_column);
    out += "</th>";
    for (std::size_t i = 0; i < table.columns.size(); ++i) {
      out += "<th>";
      append_html_escaped(out, table.columns[i]);
      if (i < table.masked.size() && table.masked[i])
        out += "<br><span class=\"masked\">other party, partly hidden</span>";
      out += "</th>";
    }
    out += "</tr></thead>\n<tbody>\n";
    sink_.write(out);
  }

  void record(const FieldValue& key, std::span<const FieldValue> fields) override {
    line_.assign("<tr>");
    append_cell(key);
    for (const auto& field : fields) append_cell(field);
    line_ += "</tr>\n";
    sink_.write(line_);
  }

  void end_table() override { sink_.write("</tbody></table></div>\n"); }

  void end_category() override { sink_.write("</section>\n"); }

  void end(const ojson& information) override {
    std::string out = "<h2 id=\"information\">Information about the processing</h2>\n";
    render_categories(out, information["categories"]);
    render_recipients(out, information["recipients"], category_names(information["categories"]));
    render_decisions(out, information["automated_decisions"]);
    render_rights(out, information["rights"]);
    out += "<p class=\"muted\">Package format ";
    append_html_escaped(out, kExportFormat);
    out += ".</p>\n</main>\n</body>\n</html>\n";
    sink_.write(out);
  }

 private:
  void append_cell(const FieldValue& value) {
    switch (value.type) {
      case FieldValue::Type::null:
        line_ += "<td class=\"muted\">&ndash;</td>";
        break;
      case FieldValue::Type::integer:
        line_ += "<td class=\"num\">";
        append_integer(line_, value.integer);
        line_ += "</td>";
        break;
      case FieldValue::Type::real:
        line_ += "<td class=\"num\">";
        append_real(line_, value.real);
        line_ += "</td>";
        break;
      case FieldValue::Type::text:
      case FieldValue::Type::json:
        line_ += "<td>";
        append_html_escaped(line_, value.text);
        line_ += "</td>";
        break;
    }
  }

  static void cell(std::string& out, const std::string& text) {
    out += "<td>";
    append_html_escaped(out, text);
    out += "</td>";
  }

  static void render_categories(std::string& out, const ojson& categories) {
    out +=
        "<div class=\"card\"><h3>Purposes, legal basis and source</h3>\n"
        "<div class=\"scroll\"><table><thead><tr><th>Category</th><th>Purposes</th>"
        "<th>Legal basis</th><th>Source</th></tr></thead><tbody>\n";
    for (const auto& c : categories) {
      out += "<tr>";
      cell(out, text_of(c["name"]));
      cell(out, joined(c["purposes"], "; "));
      cell(out, text_of(c["legal_basis"]));
      cell(out, c["from_subject"].get<bool>() ? "Provided by you or created by using our services"
                                              : text_of(c["source"]));
      out += "</tr>\n";
    }
    out += "</tbody></table></div></div>\n";

    out +=
        "<div class=\"card\"><h3>How long we keep it</h3>\n<div class=\"scroll\"><table>"
        "<thead><tr><th>Category</th><th>Retention</th><th>Counted from</th><th>Then</th>"
        "<th>Why</th></tr></thead><tbody>\n";
    for (const auto& c : categories) {
      if (c["retention"].empty()) {
        out += "<tr>";
        cell(out, text_of(c["name"]));
        out += "<td colspan=\"4\" class=\"muted\">No retention rule recorded</td></tr>\n";
        continue;
      }
      for (const auto& r : c["retention"]) {
        out += "<tr>";
        cell(out, text_of(c["name"]));
        cell(out, text_of(r["keep"]));
        const std::string from = text_of(r["from"]);
        cell(out, from == "account_closed" ? "the end of your contract" : "the record's " + from);
        cell(out, text_of(r["action"]) == "delete" ? "deleted" : "anonymised");
        cell(out, r["basis"].is_null() ? text_of(r["description"]) : text_of(r["basis"]));
        out += "</tr>\n";
      }
    }
    out += "</tbody></table></div></div>\n";

    bool any_processor = false;
    for (const auto& c : categories) any_processor = any_processor || !c["exported"].get<bool>();
    if (any_processor) {
      out +=
          "<div class=\"card\"><h3>Data we process on behalf of someone else</h3>\n"
          "<p>We process these categories only on behalf of another controller, so they "
          "are not part of this copy. Ask that controller for them.</p>\n<table><thead><tr>"
          "<th>Category</th><th>Our role</th><th>Controller</th></tr></thead><tbody>\n";
      for (const auto& c : categories) {
        if (c["exported"].get<bool>()) continue;
        out += "<tr>";
        cell(out, text_of(c["name"]));
        cell(out, text_of(c["role"]));
        cell(out, text_of(c["controller"]));
        out += "</tr>\n";
      }
      out += "</tbody></table></div>\n";
    }
  }

  static std::map<std::string, std::string> category_names(const ojson& categories) {
    std::map<std::string, std::string> names;
    for (const auto& c : categories) names[text_of(c["id"])] = text_of(c["name"]);
    return names;
  }

  static std::string countries(const ojson& codes) {
    std::string out;
    for (const auto& code : codes) {
      if (!out.empty()) out += ", ";
      const std::string_view name = country_name(text_of(code));
      out += name.empty() ? text_of(code) : std::string(name);
    }
    return out;
  }

  static void render_recipients(std::string& out, const ojson& recipients,
                                const std::map<std::string, std::string>& names) {
    out += "<div class=\"card\"><h3>Who receives it</h3>\n";
    if (recipients.empty()) {
      out += "<p class=\"muted\">No recipients recorded.</p></div>\n";
      return;
    }
    out +=
        "<div class=\"scroll\"><table><thead><tr><th>Recipient</th><th>Purpose</th>"
        "<th>Data</th><th>Where</th><th>Outside the EEA</th></tr></thead><tbody>\n";
    for (const auto& r : recipients) {
      out += "<tr><td><strong>";
      append_html_escaped(out, text_of(r["name"]));
      out += "</strong>";
      if (!r["address"].is_null()) {
        out += "<br><span class=\"muted\">";
        append_html_escaped(out, text_of(r["address"]));
        out += "</span>";
      }
      out += "</td>";
      cell(out, text_of(r["purpose"]));
      std::string data;
      for (const auto& id : r["categories"]) {
        if (!data.empty()) data += ", ";
        auto it = names.find(text_of(id));
        data += it == names.end() ? text_of(id) : it->second;
      }
      cell(out, data);
      std::string where = countries(r["locations"]);
      if (!r["access_locations"].empty())
        where += " (access from " + countries(r["access_locations"]) + ")";
      cell(out, where);
      out += "<td>";
      if (r["third_countries"].empty()) out += "<span class=\"muted\">none</span>";
      for (const auto& t : r["third_countries"]) {
        out += "<div><strong>";
        append_html_escaped(
            out, text_of(t["name"]).empty() ? text_of(t["country"]) : text_of(t["name"]));
        out += "</strong>: ";
        std::string basis;
        if (!t["adequacy"].is_null())
          basis = "adequacy decision " + text_of(t["adequacy"]["decision"]);
        for (const auto& s : t["safeguards"]) {
          if (!basis.empty()) basis += "; ";
          // The mechanism in the words every output uses (policy/transfers.h).
          TransferMechanism mechanism;
          mechanism.kind = text_of(s["mechanism"]);
          if (s.contains("module")) mechanism.scc_module = text_of(s["module"]);
          if (s.contains("derogation")) mechanism.derogation = text_of(s["derogation"]);
          basis += mechanism_name(mechanism);
          if (!s["measures"].empty()) basis += ", with " + joined(s["measures"]);
        }
        append_html_escaped(out, basis.empty() ? "no safeguard recorded" : basis);
        out += "</div>";
      }
      out += "</td></tr>\n";
    }
    out += "</tbody></table></div></div>\n";
  }

  static void render_decisions(std::string& out, const ojson& decisions) {
    out += "<div class=\"card\"><h3>Automated decision-making</h3>\n";
    if (decisions.empty())
      out += "<p>We take no decisions about you based solely on automated processing.</p>\n";
    for (const auto& d : decisions) {
      out += "<h4>";
      append_html_escaped(out, text_of(d["name"]));
      out += "</h4><dl><dt>How it works</dt><dd>";
      append_html_escaped(out, text_of(d["logic"]));
      out += "</dd><dt>What it means for you</dt><dd>";
      append_html_escaped(out, text_of(d["significance"]));
      out += "</dd></dl>\n";
    }
    out += "</div>\n";
  }

  static void render_rights(std::string& out, const ojson& rights) {
    out += "<h2 id=\"rights\">Your rights</h2>\n<div class=\"card\"><dl>\n";
    for (const auto& r : rights["rights"]) {
      std::string name = text_of(r["right"]);
      if (!name.empty())
        name[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(name[0])));
      out += "<dt>";
      append_html_escaped(out, name);
      out += " <span class=\"muted\">(";
      append_html_escaped(out, text_of(r["article"]));
      out += ")</span></dt><dd>";
      append_html_escaped(out, text_of(r["description"]));
      out += "</dd>\n";
    }
    out += "</dl>\n<p>To use these rights, contact <strong>";
    const ojson& contact = rights["contact"];
    append_html_escaped(out, text_of(contact["organisation"]));
    out += "</strong>";
    for (const char* field : {"address", "email"}) {
      if (contact[field].is_null()) continue;
      out += ", ";
      append_html_escaped(out, text_of(contact[field]));
    }
    if (!contact["dpo"].is_null()) {
      out += " (data protection officer: ";
      append_html_escaped(out, text_of(contact["dpo"]));
      out += ")";
    }
    out += ".</p>\n<p>You may lodge a complaint with the supervisory authority, <strong>";
    const ojson& complaint = rights["complaint"];
    append_html_escaped(out, text_of(complaint["authority"]));
    out += "</strong>";
    if (!complaint["url"].is_null()) {
      out += ", ";
      append_html_escaped(out, text_of(complaint["url"]));
    }
    if (!complaint["address"].is_null()) {
      out += ", ";
      append_html_escaped(out, text_of(complaint["address"]));
    }
    out += " (";
    append_html_escaped(out, text_of(complaint["article"]));
    out += ").</p></div>\n";
  }

  PackageSink& sink_;
  std::string line_;
};

}  // namespace

std::unique_ptr<PackageWriter> make_package_writer(ExportFormat format, PackageSink& sink) {
  if (format == ExportFormat::html) return std::make_unique<HtmlWriter>(sink);
  return std::make_unique<JsonWriter>(sink);
}

}  // namespace telcomply
