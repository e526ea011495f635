// The fixed phrases of the published sub-processor list and the change notice, one table per
// language (internal to lib/subprocessors/). Dutch follows the Autoriteit Persoonsgegevens'
// terms: subverwerker, verwerkersovereenkomst, doorgifte, adequaatheidsbesluit. The words for
// transfer mechanisms are policy/transfers.h's (mechanism_name), shared with the register.
#pragma once

#include <string>

#include "core/language.h"

namespace telcomply::subprocessors_text {

struct Phrases {
  // --- the list
  const char* title;     // "Sub-processors"
  const char* of;        // " of " the organisation
  const char* as_of;     // "List as of" {date}.
  const char* limited;   // "Limited to the service" {name}.
  const char* announce;  // "New sub-processors are announced at least" {period} ...
  const char* object;    // ... "before they start, so that partners can object (GDPR art. 28(2))."
  const char* no_entries;
  const char* subprocessor;
  const char* purpose;
  const char* categories;
  const char* data_subjects;
  const char* locations;
  const char* access_from;
  const char* safeguards;
  const char* measures;
  const char* agreement;
  const char* since;
  const char* since_date;  // "since" {date}, on a line of its own
  const char* details;
  const char* address;
  const char* contact;
  const char* engaged_by;
  const char* services;
  const char* all_services;
  const char* countries;
  const char* transfer;
  const char* tia;            // "transfer impact assessment" {reference}
  const char* dpf_certified;  // certified under the EU-US Data Privacy Framework
  const char* dated;          // "dated" {date}
  const char* version;        // "version" {version}
  const char* sub_processor_of;
  const char* eea_only;      // no safeguard needed: processing inside the EEA only
  const char* from;          // "from" {effective date}
  const char* announced;     // "announced" {date}
  const char* removed;       // "removed" {date}
  const char* date_not_set;  // an announced entry without its effective date
  const char* status_announced;
  const char* status_removed;
  const char* yes;
  // --- the change notice
  const char* notice_title;
  const char* notice_date;
  const char* notice_period;
  const char* service;
  const char* no_changes;
  const char* notice_intro;  // ... "until its objection deadline"
  const char* writing_to;    // ", by writing to" {contact}
  const char* change;
  const char* change_details;
  const char* announced_on;
  const char* takes_effect;
  const char* object_by;
  const char* not_before;    // "not before" {date}
  const char* short_notice;  // takes effect before the notice period has run
  const char* no_objection;  // a change partners need only know of
  // In ChangeKind order; renamed twice: a new legal name, a new identifier.
  const char* added;
  const char* removed_change;
  const char* new_legal_name;
  const char* new_identifier;
  const char* location_changed;
  const char* purpose_changed;
  const char* data_changed;
  const char* transfer_changed;
  // The fields a change names (FieldChange::field).
  const char* field_id;
  const char* field_legal_name;
  const char* field_transfers;
  const char* dpf;   // "DPF certified", in a transfer's before and after
  const char* with;  // a mechanism " with " its supplementary measures
};

const Phrases& phrases(Language language);

// A FieldChange's field ("access_locations") as people read it.
const char* field_name(const std::string& field, const Phrases& p);

}  // namespace telcomply::subprocessors_text
