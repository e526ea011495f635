// telcomply subprocessors check: transfers outside the EEA, adequacy claims against the dated
// list, SCC modules, references, notice periods and incomplete entries.
#include <algorithm>
#include <set>

#include "policy/transfers.h"
#include "subprocessors/subprocessors.h"

namespace telcomply {

namespace {

const std::vector<RuleInfo> kRules = {
    {"missing-field", "an entry lacks a field the published list or the law needs"},
    {"transfer-missing", "a location outside the EEA has no transfer mechanism covering it"},
    {"adequacy-unlisted",
     "an adequacy claim for a country without a decision on the transfer list"},
    {"adequacy-scope",
     "the adequacy decision's scope does not cover the entry (US: DPF certification; CA: "
     "commercial organisations; JP: private sector)"},
    {"adequacy-date", "the adequacy decision is not in force on the date checked"},
    {"dpf-not-certified", "the EU-US Data Privacy Framework is claimed without certification"},
    {"dpf-scope", "the EU-US Data Privacy Framework is claimed for a country other than the US"},
    {"scc-module", "standard contractual clauses without their module (1 to 4)"},
    {"derogation-ground", "an art. 49 derogation without its ground"},
    {"tia-missing", "SCCs or BCRs without a transfer impact assessment reference"},
    {"transfer-unused", "a transfer mechanism names a country the entry does not send data to"},
    {"undefined-category", "a data category the data map does not define"},
    {"unknown-parent", "a sub-sub-processor's parent is not an entry of the registry"},
    {"parent-role", "a parent given for an entry that is not a sub-sub-processor"},
    {"notice-period", "less than the notice period between announcement and effect"},
    {"status-dates", "status and dates contradict each other"},
    {"stale-transfer-list", "the transfer lists were not checked at the source in the last year"},
};

class Checker {
 public:
  Checker(const SubprocessorRegistry& registry, const TransferLists& lists,
          const CheckOptions& options)
      : registry_(registry), lists_(lists), options_(options) {}

  std::vector<Finding> run() {
    check_lists();
    for (const auto& s : registry_.subprocessors) check_entry(s);
    return std::move(findings_);
  }

 private:
  const SubprocessorRegistry& registry_;
  const TransferLists& lists_;
  const CheckOptions& options_;
  std::vector<Finding> findings_;

  void add(const char* rule, const Subprocessor& s, const std::string& field,
           const SourceLocation& loc, const std::string& message,
           Severity severity = Severity::error) {
    Finding f;
    f.rule = rule;
    f.severity = severity;
    f.entry = s.id;
    f.loc = loc;
    f.message = "sub-processor '" + s.id + "', field '" + field + "': " + message;
    findings_.push_back(std::move(f));
  }

  // Where `field` was read; for a missing field, where the entry is.
  static SourceLocation at(const Subprocessor& s, const std::string& field) {
    auto it = s.fields.find(field);
    return it != s.fields.end() ? it->second : s.loc;
  }
  static SourceLocation at(const TransferMechanism& m, const std::string& field) {
    auto it = m.fields.find(field);
    return it != m.fields.end() ? it->second : m.loc;
  }

  void missing(const Subprocessor& s, const std::string& field, const SourceLocation& loc,
               const std::string& why) {
    add("missing-field", s, field, loc, "missing: " + why);
  }

  void check_lists() {
    if (lists_.eea.empty())
      throw_invalid(
          "no EEA country list: name a transfer list under policies.transfers in the "
          "configuration, or install policies/transfers.yaml");
    const std::string file = lists_.files.empty() ? std::string() : lists_.files.front();
    const Date year_ago = options_.as_of.add_months(-12);
    if (!lists_.checked || *lists_.checked < year_ago) {
      Finding f;
      f.rule = "stale-transfer-list";
      f.severity = Severity::warning;
      f.loc = SourceLocation{file, 0, 0};
      f.message = lists_.checked
                      ? "the transfer lists were last checked on " + lists_.checked->iso() +
                            ", more than a year ago: check them at the source"
                      : "the transfer lists do not say when they were last checked";
      findings_.push_back(std::move(f));
    }
  }

  void check_entry(const Subprocessor& s) {
    const bool removed = s.status == "removed";
    if (s.legal_name.empty()) missing(s, "legal_name", s.loc, "the legal name of the entity");
    if (!s.fields.count("status")) missing(s, "status", s.loc, "announced, active or removed");
    if (!removed) check_complete(s);
    check_parent(s);
    check_dates(s);
    if (removed) return;  // kept for the record: no longer receives data
    check_categories(s);
    check_transfers(s);
  }

  void check_complete(const Subprocessor& s) {
    if (s.address.empty()) missing(s, "address", s.loc, "the address of the entity");
    if (s.contact.empty()) missing(s, "contact", s.loc, "a privacy contact");
    if (s.purpose.empty()) missing(s, "purpose", s.loc, "what it processes the data for");
    if (s.categories.empty()) missing(s, "categories", s.loc, "the data categories it receives");
    if (s.data_subjects.empty()) missing(s, "data_subjects", s.loc, "whose data it processes");
    if (s.locations.empty()) missing(s, "locations", s.loc, "the countries where it processes");
    if (!s.fields.count("agreement")) {
      missing(s, "agreement", s.loc, "the processor agreement (date, version, url)");
    } else {
      if (!s.agreement.date)
        missing(s, "agreement.date", s.agreement.loc, "the date of the processor agreement");
      if (s.agreement.version.empty())
        missing(s, "agreement.version", s.agreement.loc, "the version of the processor agreement");
    }
  }

  void check_parent(const Subprocessor& s) {
    if (s.role != "sub-sub-processor") {
      if (!s.parent.empty())
        add("parent-role", s, "parent", at(s, "parent"),
            "only a sub-sub-processor has a parent; set 'role: sub-sub-processor' or remove it");
      return;
    }
    if (s.parent.empty()) {
      missing(s, "parent", s.loc, "the sub-processor that engages this sub-sub-processor");
      return;
    }
    const Subprocessor* parent = find_subprocessor(registry_, s.parent);
    if (!parent || parent == &s) {
      add("unknown-parent", s, "parent", at(s, "parent"),
          "'" + s.parent + "' is not " + (parent ? "another" : "an") + " entry of the registry");
      return;
    }
    // Walk up: the chain must end at a sub-processor without looping.
    std::set<const Subprocessor*> seen{&s};
    for (const Subprocessor* p = parent; p && p->role == "sub-sub-processor";
         p = find_subprocessor(registry_, p->parent)) {
      if (!seen.insert(p).second) {
        add("unknown-parent", s, "parent", at(s, "parent"),
            "the parents of '" + s.id + "' form a cycle");
        return;
      }
    }
    if (parent->status == "removed" && s.status != "removed")
      add("unknown-parent", s, "parent", at(s, "parent"),
          "parent '" + s.parent + "' is removed, but this entry is " + s.status);
  }

  void check_dates(const Subprocessor& s) {
    if (s.status == "removed") {
      if (!s.removed) missing(s, "removed", s.loc, "the date it stopped processing");
    } else {
      if (!s.effective)
        missing(s, "effective", s.loc, "the date it starts (or started) processing");
      if (s.status == "announced" && !s.announced)
        missing(s, "announced", s.loc, "the date partners were told");
      if (s.removed)
        add("status-dates", s, "removed", at(s, "removed"),
            "a removal date, but the status is '" + s.status + "'");
    }
    if (s.announced && s.effective) {
      if (*s.announced > *s.effective) {
        add("status-dates", s, "announced", at(s, "announced"),
            "announced " + s.announced->iso() + ", after it took effect on " + s.effective->iso());
      } else {
        const Date earliest = registry_.notice_period.after(*s.announced);
        if (*s.effective < earliest)
          add("notice-period", s, "effective", at(s, "effective"),
              "takes effect on " + s.effective->iso() + ", " +
                  std::to_string(s.effective->days_since_epoch() -
                                 s.announced->days_since_epoch()) +
                  " days after the announcement on " + s.announced->iso() +
                  "; the notice period of " + registry_.notice_period.str() + " allows " +
                  earliest.iso() + " at the earliest");
      }
    }
    if (s.effective && s.removed && *s.removed < *s.effective)
      add("status-dates", s, "removed", at(s, "removed"),
          "removed " + s.removed->iso() + ", before it took effect on " + s.effective->iso());
    if (s.status == "active" && s.effective && *s.effective > options_.as_of)
      add("status-dates", s, "status", at(s, "status"),
          "'active', but it takes effect only on " + s.effective->iso() +
              ": use 'announced' until then",
          Severity::warning);
    if (s.status == "announced" && s.effective && *s.effective <= options_.as_of)
      add("status-dates", s, "status", at(s, "status"),
          "'announced', but it took effect on " + s.effective->iso() + ": set it to 'active'",
          Severity::warning);
  }

  void check_categories(const Subprocessor& s) {
    if (!options_.data_map) return;
    for (std::size_t i = 0; i < s.categories.size(); ++i) {
      const std::string field = "categories[" + std::to_string(i) + "]";
      if (!options_.data_map->categories.count(s.categories[i]))
        add("undefined-category", s, "categories", at(s, field),
            "'" + s.categories[i] + "' is not a category of the data map");
    }
  }

  // Where the entry names a third country.
  static SourceLocation at(const Subprocessor& s, const ThirdCountry& place) {
    return at(s, place.field + "[" + std::to_string(place.index) + "]");
  }

  // The mechanism itself: complete, and consistent with the entry.
  void check_mechanism(const Subprocessor& s, const TransferMechanism& m, const std::string& name,
                       const std::vector<ThirdCountry>& places) {
    if (m.kind.empty()) {
      missing(s, name + ".mechanism", m.loc, "adequacy, dpf, scc, bcr or derogation");
      return;
    }
    if (m.kind == "scc" && m.scc_module.empty())
      add("scc-module", s, name + ".module", m.loc,
          "standard contractual clauses need their module (1 controller to controller, 2 "
          "controller to processor, 3 processor to processor, 4 processor to controller)");
    if (m.kind == "derogation" && m.derogation.empty())
      add("derogation-ground", s, name + ".derogation", m.loc,
          "name the art. 49(1) ground the transfer rests on");
    if ((m.kind == "scc" || m.kind == "bcr") && m.tia.empty())
      add("tia-missing", s, name + ".tia", m.loc,
          "no transfer impact assessment reference for " + describe_mechanism(m),
          Severity::warning);
    if (m.kind == "dpf") {
      if (!s.dpf_certified)
        add("dpf-not-certified", s, "dpf_certified", at(s, "dpf_certified"),
            "the EU-US Data Privacy Framework is claimed (" + name +
                "), but the entry is not marked 'dpf_certified: true'");
      for (const auto& c : m.countries)
        if (c != "US")
          add("dpf-scope", s, name + ".countries", at(m, "countries"),
              "the EU-US Data Privacy Framework covers transfers to the US only, not " + c);
    }
    for (const auto& c : m.countries) {
      const bool used = std::any_of(places.begin(), places.end(),
                                    [&](const ThirdCountry& p) { return p.country == c; });
      if (!used)
        add("transfer-unused", s, name + ".countries", at(m, "countries"),
            c +
                (is_third_country(lists_, c) ? " is not among the entry's locations"
                                             : " is in the EEA") +
                ": no transfer to cover",
            Severity::warning);
    }
  }

  // An adequacy claim (mechanism adequacy, or dpf for the US) for one country.
  void check_adequacy(const Subprocessor& s, const TransferMechanism& m, const std::string& name,
                      const std::string& country) {
    const std::string list_name =
        lists_.files.empty() ? std::string("the transfer list") : lists_.files.front();
    const AdequacyAssessment a = assess_adequacy(lists_, s, country, options_.as_of);
    if (!a.decision) {
      add("adequacy-unlisted", s, name, m.loc,
          describe_mechanism(m) + " claimed for " + country +
              ", which has no adequacy decision in " + list_name);
      return;
    }
    const AdequacyDecision& d = *a.decision;
    if (!a.adopted)
      add("adequacy-date", s, name, m.loc,
          "the adequacy decision for " + country + " (" + d.decision + ") applies from " +
              d.adopted->iso() + ", after " + options_.as_of.iso());
    if (a.expired)
      add("adequacy-date", s, name, m.loc,
          "the adequacy decision for " + country + " (" + d.decision + ") expired on " +
              d.expires->iso());
    if (a.in_scope) return;
    const std::string sector = s.sector.empty() ? std::string("not stated") : "'" + s.sector + "'";
    if (d.scope == "dpf-certified") {
      // A dpf claim without certification is reported once, as dpf-not-certified.
      if (m.kind != "dpf")
        add("adequacy-scope", s, "dpf_certified", at(s, "dpf_certified"),
            "adequacy for " + country +
                " covers only organisations certified under the EU-US Data "
                "Privacy Framework; the entry is not marked 'dpf_certified: true'");
    } else if (d.scope == "commercial") {
      add("adequacy-scope", s, "sector", at(s, "sector"),
          "adequacy for " + country +
              " covers commercial organisations only; the entry's sector is " + sector);
    } else {
      add("adequacy-scope", s, "sector", at(s, "sector"),
          "adequacy for " + country + " covers the private sector only; the entry's sector is " +
              sector);
    }
  }

  void check_transfers(const Subprocessor& s) {
    const std::vector<ThirdCountry> places = third_countries(lists_, s);
    for (std::size_t i = 0; i < s.transfers.size(); ++i)
      check_mechanism(s, s.transfers[i], "transfers[" + std::to_string(i) + "]", places);
    for (const ThirdCountry& place : places) {
      bool covered = false;
      for (std::size_t i = 0; i < s.transfers.size(); ++i) {
        const TransferMechanism& m = s.transfers[i];
        if (!mechanism_covers(m, place.country)) continue;
        covered = true;
        if (claims_adequacy(m))
          check_adequacy(s, m, "transfers[" + std::to_string(i) + "]", place.country);
      }
      if (!covered)
        add("transfer-missing", s, place.field, at(s, place),
            place.country + " (" +
                std::string(place.field == "locations" ? "processing" : "access") +
                ") is outside the EEA and no transfer mechanism covers it (adequacy, dpf with "
                "certification, scc with module, bcr or derogation)");
    }
  }
};

}  // namespace

std::vector<Finding> check_subprocessors(const SubprocessorRegistry& registry,
                                         const TransferLists& lists, const CheckOptions& options) {
  return Checker(registry, lists, options).run();
}

const std::vector<RuleInfo>& subprocessor_rules() { return kRules; }

}  // namespace telcomply
