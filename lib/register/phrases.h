// The register's headings and fixed phrases, one table per language (internal to
// lib/register/).
#pragma once

#include <string>

#include "core/duration.h"
#include "core/language.h"
#include "policy/policy.h"

namespace telcomply::register_text {

struct Phrases {
  const char* lang;  // the HTML lang attribute
  const char* title;
  const char* of;
  const char* as_of;
  const char* organisation;
  const char* address;
  const char* contact;
  const char* dpo;
  const char* security;
  const char* controller_heading;
  const char* controller_intro;
  const char* processor_heading;
  const char* processor_intro;
  const char* controller;
  const char* processor;
  const char* purpose;
  const char* data_subjects;
  const char* categories;
  const char* legal_basis;
  const char* recipients;
  const char* transfers;
  const char* retention;
  const char* dpia;
  const char* dpia_intro;
  const char* none;
  const char* no_records;
  const char* no_rule;
  const char* rule;
  const char* after;  // "{length} after {start}"
  const char* then;   // ", then {action}"
  const char* account_closed;
  const char* deleted;
  const char* anonymised;
  const char* sub_processor;
  const char* sub_sub_processor;
  const char* recipient;
  const char* adequacy;
  const char* no_safeguard;
  const char* named_by_purpose;
  const char* large_scale_of;  // "large-scale processing of {category}"
  const char* criterion;
  // CSV columns.
  const char* register_column;
  const char* csv_controller_register;
  const char* csv_processor_register;
};

const Phrases& phrases(Language language);
// The language of `p`.
Language language_of(const Phrases& p);

// "6 months", "6 maanden".
std::string duration_text(const Duration& duration, const Phrases& p);
// "6 months after call_records.started_at, then deleted (rule cdr-billing)".
std::string retention_text(const RetentionRule& rule, const Phrases& p);

}  // namespace telcomply::register_text
