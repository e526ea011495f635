// The access package's headings, fixed phrases and the rights in words, one table per
// language (internal to lib/export/). Dutch uses the Autoriteit Persoonsgegevens' own names
// of the rights.
#pragma once

#include <array>
#include <string>

#include "core/language.h"
#include "policy/policy.h"

namespace telcomply::export_text {

// A right of the data subject, as people read it.
struct Right {
  const char* id;  // the package's code: access, rectification, ...
  const char* name;
  const char* article;
  const char* description;
};

struct Phrases {
  const char* title;  // "Personal data of customer {number} at {organisation}"
  const char* at;
  const char* heading;
  const char* held_by;
  const char* customer_number;
  const char* generated;
  const char* times_in;  // "Times are shown in the time zone"
  const char* intro;
  const char* masked_note;
  const char* contents;
  const char* summary;
  const char* your_data;
  const char* information;
  const char* rights;
  const char* category;
  const char* what_it_is;
  const char* records;
  const char* why;
  const char* portable;
  const char* record;         // "record", one
  const char* records_count;  // "records", several
  const char* from_table;     // "From"
  const char* record_number;  // the key column's heading
  const char* masked_column;
  const char* purposes_heading;
  const char* purposes;
  const char* legal_basis;
  const char* source;
  const char* from_subject;
  const char* retention_heading;
  const char* retention;
  const char* counted_from;
  const char* then;
  const char* why_kept;
  const char* no_rule;
  const char* end_of_contract;
  const char* the_records;  // "the record's"
  const char* deleted;
  const char* anonymised;
  const char* processor_heading;
  const char* processor_intro;
  const char* our_role;
  const char* controller;
  const char* recipients_heading;
  const char* recipient;
  const char* purpose;
  const char* data;
  const char* where;
  const char* outside_eea;
  const char* no_recipients;
  const char* none;
  const char* access_from;
  const char* adequacy;
  const char* with_measures;
  const char* no_safeguard;
  const char* decisions_heading;
  const char* how_it_works;
  const char* what_it_means;
  const char* no_decisions;
  const char* contact_intro;
  const char* dpo;
  const char* complaint_intro;
  const char* format;
  // Roles: controller, processor, sub-processor.
  std::array<const char*, 3> roles;
  std::array<Right, 6> right_list;
  const char* complaint_name;
  const char* complaint_article;
};

const Phrases& phrases(Language language);

}  // namespace telcomply::export_text
