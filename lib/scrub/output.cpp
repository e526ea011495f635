// The scrub plan and outcome as text and as JSON.
#include <cmath>
#include <iomanip>
#include <sstream>

#include "core/text.h"
#include "scrub/scrub.h"

namespace telcomply {

namespace {

// The items, each made visible (table, column and rule names come from the database and the
// policy: no control character in them reaches the terminal), separated by `sep`.
std::string visible_join(const std::vector<std::string>& items, const std::string& sep) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : sep) + visible(item);
  return out;
}

std::string reason_text(const KeptReason& r) {
  if (!r.referenced_by.empty()) return "referenced by " + visible(r.referenced_by);
  if (!r.table.empty()) return "rule " + visible(r.rule) + " on " + visible(r.table);
  return "rule " + visible(r.rule);
}

std::string percent(std::int64_t part, std::int64_t whole) {
  if (whole == 0) return "0%";
  std::ostringstream out;
  out << std::fixed << std::setprecision(0)
      << std::floor(100.0 * static_cast<double>(part) / static_cast<double>(whole)) << "%";
  return out.str();
}

void write_action(std::ostream& out, const ScrubAction& a, bool applied, bool erasure) {
  const bool del = a.action == RetentionAction::delete_row;
  const char* verb = del ? (applied ? "deleted" : "delete") : (applied ? "anonymised" : "anonymise");
  if (erasure) {
    out << visible(a.table) << ": " << (del ? "rows" : "columns " + visible_join(a.columns, ", "))
        << "\n";
    out << "  " << a.due << " rows of the customer, " << verb << " " << a.affected;
  } else {
    out << "rule " << visible(a.rule) << ": " << (del ? "delete from " : "anonymise ")
        << visible(a.table);
    if (!del) out << " (" << visible_join(a.columns, ", ") << ")";
    out << ", keep " << visible(a.keep) << " from " << visible(a.from);
    if (a.cutoff) out << " (past retention: on or before " << a.cutoff->iso() << ")";
    out << "\n  " << a.due << " rows past retention, " << verb << " " << a.affected;
  }
  if (a.held > 0) out << ", kept by a hold " << a.held;
  out << "\n";
  if (!a.partitions.empty())
    out << "  partitions " << (applied ? "dropped" : "to drop")
        << " whole: " << visible_join(a.partitions, ", ") << "\n";
  for (const KeptReason& r : a.kept) out << "  kept " << r.rows << ": " << reason_text(r) << "\n";
}

}  // namespace

void write_scrub_text(std::ostream& out, const ScrubResult& result) {
  const bool erasure = !result.customer.empty();
  out << (erasure ? "erasure of customer " + visible(result.customer) : std::string("retention"))
      << " as of " << result.as_of.iso() << ": "
      << (!result.holds_placed.empty()
              ? "applied in part, stopped by a legal hold placed while it ran"
          : result.applied ? "applied"
          : result.refused ? "refused by the mass-delete guard, nothing changed"
                           : "dry run, nothing changed (--apply carries it out)")
      << "\n";
  if (erasure) {
    out << "legal holds: " << (result.holds.empty() ? "none" : visible_join(result.holds, ", "))
        << "\n";
    if (!result.holds_placed.empty()) {
      out << "placed while the erasure ran: " << visible_join(result.holds_placed, ", ")
          << "; nothing changed after it, " << result.kept_by_placed_holds
          << " rows it would have changed are kept\n";
    }
  }
  out << "\n";
  for (const ScrubAction& a : result.actions) write_action(out, a, result.applied, erasure);
  if (result.actions.empty()) out << "no retention rules\n";
  out << "\n";
  for (const TableShare& s : result.shares) {
    if (!s.over_limit) continue;
    out << (result.refused ? "refused: " : "over the limit (allowed by --allow-mass-delete): ")
        << "the plan changes " << s.touched << " of " << s.rows << " rows of " << visible(s.table)
        << " (" << percent(s.touched, s.rows) << ", limit "
        << percent(std::llround(result.max_share * 100), 100) << ")\n";
  }
  if (result.refused) {
    out << "nothing changed: check the retention rules, or pass --allow-mass-delete\n";
    return;
  }
  out << "total: " << result.changes << (result.applied ? " rows changed" : " rows to change")
      << "\n";
  for (const std::string& e : result.erased) out << "erased: " << visible(e) << "\n";
}

nlohmann::json scrub_to_json(const ScrubResult& result) {
  using nlohmann::json;
  json j;
  j["format"] = "telcomply-scrub/1";
  j["as_of"] = result.as_of.iso();
  j["mode"] = result.customer.empty() ? "retention" : "erasure";
  j["applied"] = result.applied;
  if (!result.customer.empty()) {
    j["customer"] = result.customer;
    j["holds"] = result.holds;
    j["holds_placed"] = result.holds_placed;
    j["kept_by_placed_holds"] = result.kept_by_placed_holds;
  }
  json actions = json::array();
  for (const ScrubAction& a : result.actions) {
    json x;
    x["rule"] = a.rule.empty() ? json(nullptr) : json(a.rule);
    x["table"] = a.table;
    x["action"] = to_string(a.action);
    if (a.action == RetentionAction::anonymise) x["columns"] = a.columns;
    if (!a.from.empty()) x["from"] = a.from;
    if (!a.keep.empty()) x["keep"] = a.keep;
    if (a.cutoff) x["cutoff"] = a.cutoff->iso();
    x["due"] = a.due;
    x["rows"] = a.affected;
    x["held"] = a.held;
    if (!a.partitions.empty()) x["partitions"] = a.partitions;
    json kept = json::array();
    for (const KeptReason& r : a.kept) {
      json k;
      if (!r.referenced_by.empty()) {
        k["referenced_by"] = r.referenced_by;
      } else {
        k["rule"] = r.rule;
        if (!r.table.empty()) k["table"] = r.table;
      }
      k["rows"] = r.rows;
      kept.push_back(k);
    }
    x["kept"] = kept;
    actions.push_back(x);
  }
  j["actions"] = actions;
  json shares = json::array();
  for (const TableShare& s : result.shares) {
    shares.push_back({{"table", s.table},
                      {"rows", s.rows},
                      {"changed", s.touched},
                      {"over_limit", s.over_limit}});
  }
  j["tables"] = shares;
  j["max_share"] = result.max_share;
  j["refused"] = result.refused;
  j["changes"] = result.changes;
  j["erased"] = result.erased;
  j["warnings"] = result.warnings;
  return j;
}

void write_replay_text(std::ostream& out, const ReplayResult& result) {
  std::int64_t changes = 0;
  for (const ScrubResult& e : result.erasures) changes += e.changes;
  const bool applied = result.apply;
  out << "Erasure ledger " << visible(result.ledger.string()) << ": " << result.records
      << " erasure record" << (result.records == 1 ? "" : "s");
  if (result.since) out << " since " << result.since->iso();
  out << ", " << result.subjects << " subject" << (result.subjects == 1 ? "" : "s") << "; "
      << result.erasures.size() << " found in the database, " << changes << " row"
      << (changes == 1 ? "" : "s") << (applied ? " changed" : " to change") << "\n";
  for (const std::string& w : result.warnings) out << "warning: " << visible(w) << "\n";
  for (const ScrubResult& e : result.erasures) {
    out << "\n";
    write_scrub_text(out, e);
  }
  out << "\nRetention run\n";
  write_scrub_text(out, result.retention);
}

nlohmann::json replay_to_json(const ReplayResult& result) {
  nlohmann::json j;
  j["format"] = "telcomply-scrub-replay/1";
  j["ledger"] = result.ledger.string();
  j["since"] = result.since ? nlohmann::json(result.since->iso()) : nlohmann::json(nullptr);
  j["records"] = result.records;
  j["subjects"] = result.subjects;
  j["found"] = result.erasures.size();
  j["applied"] = result.apply;
  nlohmann::json erasures = nlohmann::json::array();
  for (const ScrubResult& e : result.erasures) erasures.push_back(scrub_to_json(e));
  j["erasures"] = erasures;
  j["retention"] = scrub_to_json(result.retention);
  j["warnings"] = result.warnings;
  return j;
}

Exit replay_status(const ReplayResult& result) { return scrub_status(result.retention); }

}  // namespace telcomply
