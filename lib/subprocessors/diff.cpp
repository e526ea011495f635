// telcomply subprocessors diff: what changed between two versions of the registry, and the
// notice partners receive, with each change's effective date and objection deadline.
#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

#include "policy/transfers.h"
#include "render/render.h"
#include "subprocessors/format.h"
#include "subprocessors/phrases.h"
#include "subprocessors/subprocessors.h"

namespace telcomply {

namespace {

using subprocessors_format::join;
using subprocessors_format::kNone;
using subprocessors_format::md_cell;
using subprocessors_text::Phrases;

// Legal names compare without regard to case and spacing.
std::string normal_name(const std::string& name) {
  std::string out;
  bool space = false;
  for (char c : name) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

std::vector<std::string> sorted(std::vector<std::string> items) {
  std::sort(items.begin(), items.end());
  return items;
}

// An entry's transfer mechanisms and DPF certification in words of `language`.
std::string transfers_text(const Subprocessor& s, Language language) {
  const Phrases& p = subprocessors_text::phrases(language);
  std::vector<std::string> parts;
  for (const auto& m : s.transfers) {
    std::string part = describe_mechanism(m, language);
    if (!m.measures.empty()) part += p.with + join(m.measures);
    parts.push_back(part);
  }
  if (s.dpf_certified) parts.push_back(p.dpf);
  return join(parts, "; ");
}

class Differ {
 public:
  Differ(const SubprocessorRegistry& before, const SubprocessorRegistry& after,
         const DiffOptions& options)
      : before_(before), after_(after), options_(options) {
    notice_.notice_date = options.notice_date;
    notice_.notice_period = after.notice_period;
    notice_.service = options.service;
  }

  ChangeNotice run() {
    require_known_service({&before_, &after_}, options_.service);
    std::vector<const Subprocessor*> only_before, only_after;
    for (const auto& b : before_.subprocessors) {
      const Subprocessor* a = find_subprocessor(after_, b.id);
      if (present(before_, &b) && !present(after_, a)) only_before.push_back(&b);
    }
    for (const auto& a : after_.subprocessors) {
      if (!present(after_, &a)) continue;
      const Subprocessor* b = find_subprocessor(before_, a.id);
      if (present(before_, b)) {
        compare(*b, a);
        continue;
      }
      // The same legal entity under a new id is a rename, not a removal and an addition.
      auto same = std::find_if(only_before.begin(), only_before.end(), [&](const Subprocessor* o) {
        return !a.legal_name.empty() && normal_name(o->legal_name) == normal_name(a.legal_name);
      });
      if (same != only_before.end()) {
        const Subprocessor* old = *same;
        only_before.erase(same);
        Change c = make(ChangeKind::renamed, a);
        c.old_id = old->id;
        c.details.push_back({"id", old->id, a.id});
        dates(c, old, a, false);
        if (!c.effective_stated) c.effective = c.announced;  // a new name only: nothing to wait for
        changes_.push_back(std::move(c));
        compare(*old, a);
        continue;
      }
      Change c = make(ChangeKind::added, a);
      for (const auto& [field, value] : {std::pair<const char*, std::string>{"purpose", a.purpose},
                                         {"categories", join(a.categories)},
                                         {"data_subjects", join(a.data_subjects)},
                                         {"locations", join(a.locations)},
                                         {"access_locations", join(a.access_locations)},
                                         {"transfers", transfers_text(a, options_.language)}})
        if (!value.empty()) c.details.push_back({field, "", value});
      dates(c, b, a, true);
      changes_.push_back(std::move(c));
    }
    for (const Subprocessor* b : only_before) removal(*b);
    notice_.changes = std::move(changes_);
    return std::move(notice_);
  }

 private:
  const SubprocessorRegistry& before_;
  const SubprocessorRegistry& after_;
  const DiffOptions& options_;
  ChangeNotice notice_;
  std::vector<Change> changes_;

  // An entry that exists, is not removed, and serves the service asked for.
  bool present(const SubprocessorRegistry& registry, const Subprocessor* s) const {
    return s && s->status != "removed" && serves(registry, *s, options_.service);
  }

  static Change make(ChangeKind kind, const Subprocessor& s) {
    Change c;
    c.kind = kind;
    c.id = s.id;
    c.legal_name = s.legal_name;
    return c;
  }

  // A change's dates: the entry's own when they are new in this version, else the notice
  // date and the end of the notice period.
  void dates(Change& c, const Subprocessor* before, const Subprocessor& after, bool objection) {
    const Duration& period = notice_.notice_period;
    const bool stated = after.effective && (!before || before->effective != after.effective);
    if (stated) {
      c.effective = *after.effective;
      c.announced = after.announced && (!before || before->announced != after.announced)
                        ? *after.announced
                        : options_.notice_date;
    } else {
      c.announced = options_.notice_date;
      c.effective = period.after(c.announced);
    }
    c.effective_stated = stated;
    if (objection) {
      c.objection_deadline = period.after(c.announced);
      c.short_notice = c.effective < *c.objection_deadline;
    }
  }

  void removal(const Subprocessor& b) {
    const Subprocessor* a = find_subprocessor(after_, b.id);
    Change c = make(ChangeKind::removed, b);
    if (a && a->status == "removed" && a->removed) {
      c.effective = *a->removed;
      c.effective_stated = true;
    } else {
      c.effective = options_.notice_date;
      c.effective_stated = false;
    }
    c.announced = options_.notice_date;
    if (a && a->status != "removed") {
      c.details.push_back(
          {"services", join(effective_services(before_, b)), join(effective_services(after_, *a))});
    }
    changes_.push_back(std::move(c));
  }

  void compare(const Subprocessor& b, const Subprocessor& a) {
    auto add = [&](ChangeKind kind, std::vector<FieldChange> details) {
      Change c = make(kind, a);
      c.details = std::move(details);
      dates(c, &b, a, true);
      changes_.push_back(std::move(c));
    };
    if (normal_name(b.legal_name) != normal_name(a.legal_name))
      add(ChangeKind::renamed, {{"legal_name", b.legal_name, a.legal_name}});

    std::vector<FieldChange> where;
    if (sorted(b.locations) != sorted(a.locations))
      where.push_back({"locations", join(b.locations), join(a.locations)});
    if (sorted(b.access_locations) != sorted(a.access_locations))
      where.push_back({"access_locations", join(b.access_locations), join(a.access_locations)});
    if (!where.empty()) add(ChangeKind::location_changed, std::move(where));

    if (b.purpose != a.purpose)
      add(ChangeKind::purpose_changed, {{"purpose", b.purpose, a.purpose}});

    std::vector<FieldChange> data;
    if (sorted(b.categories) != sorted(a.categories))
      data.push_back({"categories", join(b.categories), join(a.categories)});
    if (sorted(b.data_subjects) != sorted(a.data_subjects))
      data.push_back({"data_subjects", join(b.data_subjects), join(a.data_subjects)});
    if (!data.empty()) add(ChangeKind::data_changed, std::move(data));

    const std::string transfers_before = transfers_text(b, options_.language);
    const std::string transfers_after = transfers_text(a, options_.language);
    if (transfers_before != transfers_after)
      add(ChangeKind::transfer_changed, {{"transfers", transfers_before, transfers_after}});
  }
};

// --- the notice -----------------------------------------------------------------------

using Json = nlohmann::ordered_json;

const char* change_words(const Change& c, const Phrases& p) {
  switch (c.kind) {
    case ChangeKind::added:
      return p.added;
    case ChangeKind::removed:
      return p.removed_change;
    case ChangeKind::renamed:
      return c.old_id.empty() ? p.new_legal_name : p.new_identifier;
    case ChangeKind::location_changed:
      return p.location_changed;
    case ChangeKind::purpose_changed:
      return p.purpose_changed;
    case ChangeKind::data_changed:
      return p.data_changed;
    case ChangeKind::transfer_changed:
      return p.transfer_changed;
  }
  return "";
}

// A change in the words every people's format shows.
struct ChangeText {
  std::string what;                  // "New sub-processor"
  std::string who;                   // "Nieuwsbrief B.V. (newsletter)"
  std::vector<std::string> details;  // "Processing locations: NL → NL, DE"
  std::string announced;
  std::string effective;  // with "not before" when of the notice's own making
  std::string deadline;   // or "no objection needed"
};

// "NL, DE" (a location field's value) as country names in `lang`: "Nederland, Duitsland".
std::string places_text(const std::string& codes, Language lang) {
  std::vector<std::string> list;
  for (std::size_t start = 0; start < codes.size();) {
    const std::size_t end = std::min(codes.find(", ", start), codes.size());
    list.push_back(codes.substr(start, end - start));
    start = end + 2;
  }
  return subprocessors_format::country_names(list, lang);
}

ChangeText change_text(const Change& c, const Phrases& p, Language lang) {
  ChangeText t;
  t.what = change_words(c, p);
  t.who = c.legal_name.empty() ? c.id : c.legal_name + " (" + c.id + ")";
  for (const auto& d : c.details) {
    const bool places = d.field == "locations" || d.field == "access_locations";
    const std::string before = places ? places_text(d.before, lang) : d.before;
    const std::string after = places ? places_text(d.after, lang) : d.after;
    std::string line = std::string(subprocessors_text::field_name(d.field, p)) + ": ";
    line += before.empty() ? after : before + " \xE2\x86\x92 " + (after.empty() ? kNone : after);
    t.details.push_back(std::move(line));
  }
  t.announced = c.announced.text(lang);
  // A date of the notice's own making is the earliest lawful one, unless nothing waits for it.
  t.effective = c.effective_stated || !c.objection_deadline
                    ? c.effective.text(lang)
                    : std::string(p.not_before) + " " + c.effective.text(lang);
  t.deadline = c.objection_deadline ? c.objection_deadline->text(lang) : p.no_objection;
  return t;
}

std::string notice_title(const Phrases& p, const Organisation* org) {
  std::string title = p.notice_title;
  if (org && !org->name.empty()) title += ": " + org->name;
  return title;
}

// "Notice date: 1 March 2026. Notice period: 30 days. Service: telefonie."
std::string notice_facts(const ChangeNotice& n, const Phrases& p, Language lang) {
  std::string text = std::string(p.notice_date) + ": " + n.notice_date.text(lang) + ". " +
                     p.notice_period + ": " + n.notice_period.text(lang) + ".";
  if (!n.service.empty()) text += " " + std::string(p.service) + ": " + n.service + ".";
  return text;
}

std::string notice_intro(const Phrases& p, const Organisation* org) {
  std::string text = p.notice_intro;
  if (org && !org->privacy_contact.empty())
    text += std::string(p.writing_to) + " " + org->privacy_contact;
  return text + ".";
}

void write_md(std::ostream& out, const ChangeNotice& n, const NoticeOptions& options) {
  const Phrases& p = subprocessors_text::phrases(options.language);
  const Organisation* org = options.organisation;
  out << "# " << md_cell(notice_title(p, org)) << "\n\n"
      << md_cell(notice_facts(n, p, options.language)) << "\n\n";
  if (n.changes.empty()) {
    out << p.no_changes << "\n";
    return;
  }
  out << md_cell(notice_intro(p, org)) << "\n\n";
  out << "| " << p.change << " | " << p.subprocessor << " | " << p.change_details << " | "
      << p.announced_on << " | " << p.takes_effect << " | " << p.object_by << " |\n"
      << "|---|---|---|---|---|---|\n";
  for (const Change& c : n.changes) {
    ChangeText t = change_text(c, p, options.language);
    if (c.short_notice) t.effective += " (" + std::string(p.short_notice) + ")";
    out << "| " << md_cell(t.what) << " | " << md_cell(t.who) << " | "
        << md_cell(join(t.details, "; ")) << " | " << md_cell(t.announced) << " | "
        << md_cell(t.effective) << " | " << md_cell(t.deadline) << " |\n";
  }
}

void write_html(std::ostream& out, const ChangeNotice& n, const NoticeOptions& options) {
  const Phrases& p = subprocessors_text::phrases(options.language);
  nlohmann::json data;
  data["t"] = {{"change", p.change},
               {"details", p.change_details},
               {"announced", p.announced_on},
               {"effective", p.takes_effect},
               {"deadline", p.object_by},
               {"no_changes", p.no_changes},
               {"short_notice", p.short_notice}};
  data["title"] = notice_title(p, options.organisation);
  data["facts"] = notice_facts(n, p, options.language);
  data["intro"] = notice_intro(p, options.organisation);
  data["has_changes"] = !n.changes.empty();
  data["changes"] = nlohmann::json::array();
  for (const Change& c : n.changes) {
    const ChangeText t = change_text(c, p, options.language);
    data["changes"].push_back({{"kind", to_string(c.kind)},
                               {"what", t.what},
                               {"who", t.who},
                               {"details", t.details},
                               {"announced_date", t.announced},
                               {"effective_date", t.effective},
                               {"short", c.short_notice},
                               {"deadline_date", t.deadline}});
  }
  out << render_page(options.language, notice_title(p, options.organisation),
                     render_template("subprocessor-notice.html.mustache", data, options.templates),
                     options.templates);
}

void write_json(std::ostream& out, const ChangeNotice& n, const NoticeOptions& options) {
  const Organisation* org = options.organisation;
  Json doc;
  doc["language"] = to_string(options.language);
  doc["organisation"] = org ? Json(org->name) : Json(nullptr);
  doc["contact"] =
      org && !org->privacy_contact.empty() ? Json(org->privacy_contact) : Json(nullptr);
  doc["notice_date"] = n.notice_date.iso();
  doc["notice_period"] = n.notice_period.str();
  doc["service"] = n.service.empty() ? Json(nullptr) : Json(n.service);
  Json changes = Json::array();
  for (const Change& c : n.changes) {
    Json j;
    j["kind"] = to_string(c.kind);
    j["id"] = c.id;
    j["old_id"] = c.old_id.empty() ? Json(nullptr) : Json(c.old_id);
    j["legal_name"] = c.legal_name;
    Json details = Json::array();
    for (const auto& d : c.details)
      details.push_back({{"field", d.field},
                         {"before", d.before.empty() ? Json(nullptr) : Json(d.before)},
                         {"after", d.after.empty() ? Json(nullptr) : Json(d.after)}});
    j["details"] = std::move(details);
    j["announced"] = c.announced.iso();
    j["effective"] = c.effective.iso();
    j["effective_stated"] = c.effective_stated;
    j["objection_deadline"] =
        c.objection_deadline ? Json(c.objection_deadline->iso()) : Json(nullptr);
    j["short_notice"] = c.short_notice;
    changes.push_back(std::move(j));
  }
  doc["changes"] = std::move(changes);
  out << doc.dump(2, ' ', false, Json::error_handler_t::replace) << "\n";
}

}  // namespace

ChangeNotice diff_subprocessors(const SubprocessorRegistry& before,
                                const SubprocessorRegistry& after, const DiffOptions& options) {
  return Differ(before, after, options).run();
}

void write_change_notice(std::ostream& out, const ChangeNotice& notice,
                         const NoticeOptions& options) {
  switch (options.format) {
    case NoticeFormat::md:
      write_md(out, notice, options);
      break;
    case NoticeFormat::html:
      write_html(out, notice, options);
      break;
    case NoticeFormat::json:
      write_json(out, notice, options);
      break;
  }
}

}  // namespace telcomply
