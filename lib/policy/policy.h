// The policy model: one organisation described by its configuration and policy files.
// telcomply-policy(5) documents every file format; each struct here mirrors one of them.
// Every entry keeps the position it was read from, so checks can point at it. The loaders
// are in policy/load.h; nothing here depends on the YAML parser.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/date.h"
#include "core/duration.h"
#include "core/error.h"
#include "core/language.h"

namespace telcomply {

// ---------------------------------------------------------------------------------------
// Data map (policy kind `data_map`): where personal data lives and what it is.

// The organisation's role for a category (the VoIPGRID statement's "rolverdeling").
enum class Role { controller, processor, sub_processor };
const char* to_string(Role role);

struct Category {
  std::string id;                     // key in the file, e.g. "contact"
  std::string name;                   // human name, e.g. "Contact details"
  std::string description;
  // art. 15(1)(a): ids of the data map's `purposes`, or purposes in words (older files).
  std::vector<std::string> purposes;
  std::string legal_basis;            // e.g. "contract (GDPR art. 6(1)(b))"; empty: not stated
  std::string kind;                   // one of data_kinds() (policy/dpia.h); empty: none
  std::string source;                 // art. 15(1)(g); empty: collected from the subject
  Role role = Role::controller;
  std::string controller;             // who is controller when role is not controller
  bool portable = false;              // provided by the subject: portability (art. 20)
  SourceLocation loc;
};

// A purpose of processing (GDPR art. 30(1)(b)): one record of the register.
struct Purpose {
  std::string id;    // key in the file, e.g. "billing"
  std::string name;  // in words, as people read it
  std::string description;
  std::vector<std::string> data_subjects;  // categories of data subjects (art. 30(1)(c))
  std::string legal_basis;        // for every category used for it; empty: the category's own
  bool large_scale = false;       // large-scale or systematic ("grootschalig en/of stelselmatig")
  std::vector<std::string> dpia;  // ids of DPIA criteria it meets (policy/dpia.h), as stated
  SourceLocation loc;
};

// A recipient that is not a sub-processor (art. 30(1)(d)), e.g. the emergency services or the
// tax authority, and what it receives.
struct Recipient {
  std::string id;
  std::string name;
  std::string description;
  std::vector<std::string> categories;  // data map category ids
  std::string basis;                    // why it receives them, e.g. a law
  std::vector<std::string> locations;   // ISO 3166-1 alpha-2
  std::string safeguard;                // the transfer safeguard for a third country
  SourceLocation loc;
};

// A controller the organisation processes for (art. 30(2)(a)), named by a category's
// `controller`.
struct ServedController {
  std::string id;
  std::string name;
  std::string contact;
  std::string description;
  SourceLocation loc;
};

// Kinds of identifier a data subject can be looked up by.
enum class IdentifierKind { customer_number, email, phone, kvk };
const char* to_string(IdentifierKind kind);

// Text a person reads, written in the policy's language or per language (`{nl: ..., en: ...}`).
struct Wording {
  std::string plain;  // as written, in whatever language
  std::map<Language, std::string> by_language;

  bool empty() const { return plain.empty() && by_language.empty(); }
  // The text in `language`: its own, else the plain text, else another language's; empty
  // when there is none.
  const std::string& in(Language language) const;
};

// How a column's values are shown to people (the data map's `display`): the access package
// shows them so in HTML, and keeps the raw values in JSON.
struct Display {
  enum class Kind {
    raw,               // as stored
    money_cents,       // an amount in hundredths of `currency`: "€ 189,00"
    date,              // a date: "5 januari 2026"
    date_time,         // a moment, in the configuration's time zone: "5 januari 2026 11:00"
    duration_seconds,  // a length of time in seconds: "1 min 23 s"
    boolean,           // ja/nee, yes/no
    enumeration,       // one of `values`, shown by its meaning
  } kind = Kind::raw;
  std::string currency = "EUR";                         // money_cents: ISO 4217
  std::vector<std::pair<std::string, Wording>> values;  // enumeration: stored value, meaning
  SourceLocation loc;
};
// "money-cents", "date", "date-time", "duration-seconds", "boolean", "enum"; "" for raw.
const char* to_string(Display::Kind kind);
// The names `display` accepts, in that order.
const std::vector<std::string>& display_names();

struct Column {
  std::string name;
  Wording label;    // what people call it ("Gebeld nummer"); empty: the column's name
  Display display;  // how its values are shown
  std::string category;                      // a category id, or "none" (not personal data)
  std::optional<IdentifierKind> identifies;  // the subject may be found by this column
  bool other_party = false;                  // holds other people's data (art. 15(4))
  std::string description;
  // A date column: how it stores its dates; absent, told from the database (datamap/dates.h).
  std::optional<DateFormat> format;
  SourceLocation loc;
};

// How a table's rows belong to a parent table's row: child.column = parent.parent_key.
struct Link {
  std::string parent;      // parent table name
  std::string column;      // column in this table
  std::string parent_key;  // column in the parent; empty means the parent's key
  SourceLocation loc;
};

struct Table {
  std::string name;
  std::string key;              // primary key column (default "id")
  std::optional<Link> link;     // absent only for the subject table
  std::vector<Column> columns;  // classified columns
  std::string description;
  Wording label;  // what people call its records ("Gesprekken"); empty: its name
  SourceLocation loc;

  const Column* find_column(const std::string& column) const;
};

// The data subject's own table.
struct SubjectTable {
  std::string table;          // e.g. "customers"
  std::string number_column;  // the customer number shown to people, e.g. "customer_number"
  std::string closed_column;  // date the account was closed (empty: not recorded)
  SourceLocation loc;
};

// Automated decision-making (art. 15(1)(h)), e.g. the credit check in the seed.
struct AutomatedDecision {
  std::string name;
  std::string logic;
  std::string significance;
  std::vector<std::string> categories;
  SourceLocation loc;
};

struct DataMap {
  std::map<std::string, Category> categories;
  std::map<std::string, Purpose> purposes;
  std::vector<Recipient> recipients;  // in file order
  std::map<std::string, ServedController> controllers;
  SubjectTable subject;
  std::vector<Table> tables;         // in file order
  std::vector<std::string> ignored;  // tables known to hold no personal data
  std::vector<AutomatedDecision> automated_decisions;
  std::vector<std::string> files;    // where it was read from

  const Table* find_table(const std::string& name) const;
  // The purpose a category's `purposes` entry names, or nullptr for a purpose in words.
  const Purpose* find_purpose(const std::string& ref) const;
  // A category's `purposes` entry as people read it: the purpose's name, or the words.
  const std::string& purpose_name(const std::string& ref) const;
  // A category's `controller` as people read it: the `controllers` entry's name, or the words.
  const std::string& controller_name(const std::string& ref) const;
  const Table& subject_table() const;  // throws when missing
  // The chain of tables from `table` up to the subject table, `table` first.
  std::vector<const Table*> path_to_subject(const Table& table) const;
};

// ---------------------------------------------------------------------------------------
// Retention (policy kind `retention`).

// A named retention period with the law or reason behind it, e.g. `fiscal: 7 years, AWR 52`.
struct Period {
  std::string id;
  Duration length;
  std::string basis;  // the law or reason
  std::string source; // URL or citation
  SourceLocation loc;
};

enum class RetentionAction { delete_row, anonymise };
const char* to_string(RetentionAction action);

enum class MaskStrategy { null, fixed, pseudonym, partial, generalise_month, generalise_year };
const char* to_string(MaskStrategy strategy);

struct Mask {
  std::string column;
  MaskStrategy strategy = MaskStrategy::null;
  std::string value;  // fixed
  int keep = 0;       // partial: leading characters (digits) kept
  SourceLocation loc;
};

// The clock a rule counts from.
struct RetentionStart {
  enum class Kind { column, account_closed } kind = Kind::column;
  std::string column;  // Kind::column: date column of the rule's table
};

struct RetentionRule {
  std::string name;
  std::string description;
  std::string table;
  std::vector<std::string> categories;  // what the rule is about (art. 15 retention)
  std::string period;                   // a Period id, or empty when `keep` is literal
  Duration keep;                        // resolved length
  RetentionStart from;
  // How the `from` date is stored; absent, the data map's `format` of that column, else told
  // from the database (datamap/dates.h).
  std::optional<DateFormat> format;
  SourceLocation format_loc;  // where `format` is written
  RetentionAction action = RetentionAction::delete_row;
  std::vector<Mask> masks;  // anonymise: the columns and how
  SourceLocation loc;
};

// Legal holds: rows linked to a held subject are never touched.
struct Hold {
  std::string name;
  std::string table;         // a table of the data map (the subject table or linked to it)
  std::string column;        // flag: held when non-zero/non-empty; with `until`, optional
  std::string until_column;  // date column: held while empty or after the as-of date
  SourceLocation loc;
};

// Where the pseudonym key comes from: never the policy file itself.
struct KeySource {
  std::string env;                 // environment variable name
  std::filesystem::path file;      // key file
  SourceLocation loc;
  bool configured() const { return !env.empty() || !file.empty(); }
};

struct RetentionPolicy {
  std::map<std::string, Period> periods;
  std::vector<RetentionRule> rules;
  std::vector<Hold> holds;
  KeySource pseudonym_key;
  double max_share = 0.5;  // mass-delete guard: largest share of a table one run may touch
  std::vector<std::string> files;
};

// ---------------------------------------------------------------------------------------
// Cookies (policy kind `cookies`).

enum class CookieType { http, pixel, local_storage };
const char* to_string(CookieType type);

enum class ConsentRule { required, not_required, exempt_if_attested };

// Rules for one cookie category.
struct CookieCategory {
  std::string id;  // e.g. "analytics"
  std::string name;
  std::string description;
  ConsentRule consent = ConsentRule::required;
  std::optional<Duration> max_lifetime;
  std::vector<std::string> conditions;  // attestation ids needed for exempt_if_attested
  std::string basis;                    // law or guidance
  SourceLocation loc;
};

// An attestation that a condition holds (e.g. "ip_last_octet_masked").
struct Attestation {
  std::string id;
  bool value = false;
  std::string evidence;
  SourceLocation loc;
};

struct DeclaredCookie {
  std::string name;      // exact name, or a pattern where '#' stands for an id, '*' for any
  std::string provider;  // domain, e.g. "voipgrid.nl"
  CookieType type = CookieType::http;
  Duration expiry;
  std::string expiry_text;  // the expiry as written ("2 jaar"), for the published table
  std::string category;
  std::string description;
  SourceLocation loc;
};

// A consent banner's button, as a browser scan finds it: CSS selectors, then visible
// labels (buttons, links and role=button elements whose text is the label, case ignored).
struct ConsentButtons {
  std::vector<std::string> selectors;
  std::vector<std::string> labels;
};

struct CookiePolicy {
  std::vector<std::string> site;  // the site's own domains (first party)
  // The site's own banner: how to accept all and how to refuse (key `consent`).
  ConsentButtons accept, refuse;
  std::map<std::string, CookieCategory> categories;
  std::map<std::string, Attestation> attestations;
  std::vector<DeclaredCookie> cookies;  // in file order
  std::vector<std::string> files;
};

// ---------------------------------------------------------------------------------------
// Sub-processors (policy kind `subprocessors`) and transfer lists (kind `transfers`).

struct TransferMechanism {
  // adequacy, dpf, scc, bcr, derogation
  std::string kind;
  std::string scc_module;   // scc: module 1-4 ("module 3")
  std::string derogation;   // art. 49(1) ground
  std::string tia;          // transfer impact assessment reference
  std::vector<std::string> measures;  // supplementary measures
  std::vector<std::string> countries;  // the countries it covers; empty: every third country
  SourceLocation loc;
  std::map<std::string, SourceLocation> fields;  // where each field was read
};

struct Agreement {
  std::optional<Date> date;
  std::string version;
  std::string url;
  SourceLocation loc;
};

struct Subprocessor {
  std::string id;  // key, e.g. "aws"
  std::string legal_name;
  std::string address;
  std::string contact;
  std::string role = "sub-processor";  // sub-processor | sub-sub-processor
  std::string parent;                  // id of the parent for a sub-sub-processor
  std::vector<std::string> services;
  std::string purpose;
  std::vector<std::string> categories;     // data map category ids
  std::vector<std::string> data_subjects;
  std::vector<std::string> locations;         // processing, ISO 3166-1 alpha-2
  std::vector<std::string> access_locations;  // remote access, ISO 3166-1 alpha-2
  std::vector<TransferMechanism> transfers;
  bool dpf_certified = false;
  std::string sector;  // commercial | non-profit | public; empty: not stated (adequacy scopes)
  Agreement agreement;
  std::string status = "active";  // announced | active | removed
  std::optional<Date> announced, effective, removed;
  SourceLocation loc;
  std::map<std::string, SourceLocation> fields;  // where each field was read
};

struct SubprocessorRegistry {
  Duration notice_period{Duration::Unit::days, 30};
  std::vector<Subprocessor> subprocessors;  // in file order
  std::vector<std::string> files;
};

struct AdequacyDecision {
  std::string country;  // ISO 3166-1 alpha-2
  std::string scope;    // "all", "commercial", "private-sector", "dpf-certified"
  std::string decision;
  std::optional<Date> adopted;
  std::optional<Date> expires;  // a decision with a sunset clause
  std::string source;
  SourceLocation loc;
};

struct TransferLists {
  std::vector<std::string> eea;
  std::string eea_source;
  std::optional<Date> checked;  // date the lists were last checked at the source
  std::map<std::string, AdequacyDecision> adequacy;
  std::vector<std::string> files;

  bool in_eea(const std::string& country) const;
};

// ---------------------------------------------------------------------------------------
// Configuration (telcomply.yaml).

struct SupervisoryAuthority {
  std::string name = "Autoriteit Persoonsgegevens";
  std::string url;
  std::string address;
};

struct Organisation {
  std::string name;
  std::string address;
  std::string privacy_contact;
  std::string dpo;
  SupervisoryAuthority authority;
  // The general description of the technical and organisational security measures (art. 32),
  // as the register states it (art. 30(1)(g), 30(2)(d)); empty: not stated.
  std::string security;
  SourceLocation loc;
};

struct Config {
  std::filesystem::path file;  // the configuration file, empty for a built-in default
  std::filesystem::path dir;   // relative paths resolve against this folder
  Organisation organisation;
  Language language = Language::en;  // of what people read
  std::string phone_region = "NL";   // where national phone notations are read (core/phone.h)
  std::filesystem::path database;
  std::filesystem::path audit_log;
  // The erasure ledger (scrub/ledger.h): the configuration's erasure_ledger, else beside the
  // audit log (its name with the extension .erasures.jsonl); empty without either.
  std::filesystem::path erasure_ledger;
  // The operator's own HTML templates (render/render.h), empty for telcomply's built-in ones.
  std::filesystem::path templates;
  // The IANA time zone in which people read moments ("Europe/Amsterdam"); "UTC" by default.
  std::string timezone = "UTC";
  // Policy files per kind, resolved against `dir`, in the order given.
  std::vector<std::filesystem::path> data_map, retention, cookies, subprocessors, transfers;
  SourceLocation loc;
};

// ---------------------------------------------------------------------------------------
// Policy kinds: what a file holds, and which parts of the policy a command loads.

// The kind of a policy file (telcomply-policy(5)); `config` is the configuration itself.
enum class PolicyKind { config, data_map, retention, cookies, subprocessors, transfers };
const char* to_string(PolicyKind kind);

// A set of the kinds the configuration names policy files for (`config` is never a member:
// the configuration is always read). A command loads and checks only the kinds it uses, so
// that a mistake in a file it does not read cannot stop it.
class PolicyKinds {
 public:
  constexpr PolicyKinds() = default;
  // Implicit: a kind is the set of that kind alone, so `PolicyKind::a | PolicyKind::b` works.
  constexpr PolicyKinds(PolicyKind kind) : bits_(bit(kind)) {}

  // data_map, retention, cookies, subprocessors and transfers.
  static constexpr PolicyKinds all() {
    return PolicyKinds(PolicyKind::data_map) | PolicyKind::retention | PolicyKind::cookies |
           PolicyKind::subprocessors | PolicyKind::transfers;
  }

  constexpr bool contains(PolicyKind kind) const { return (bits_ & bit(kind)) != 0; }
  // Every kind of `other` is in this set.
  constexpr bool contains(PolicyKinds other) const { return (bits_ & other.bits_) == other.bits_; }

  friend constexpr PolicyKinds operator|(PolicyKinds a, PolicyKinds b) {
    PolicyKinds out;
    out.bits_ = a.bits_ | b.bits_;
    return out;
  }
  friend constexpr bool operator==(PolicyKinds, PolicyKinds) = default;

 private:
  static constexpr unsigned bit(PolicyKind kind) {
    return kind == PolicyKind::config ? 0u : 1u << static_cast<unsigned>(kind);
  }
  unsigned bits_ = 0;
};

constexpr PolicyKinds operator|(PolicyKind a, PolicyKind b) { return PolicyKinds(a) | b; }

// The categories of the data map in the order they are declared (file by file).
std::vector<const Category*> categories_in_order(const DataMap& map);

// The categories a retention rule is about: its own `categories`, else those of the
// columns it affects (every classified column of its table for a delete, the masked
// columns for an anonymisation).
std::vector<std::string> retention_rule_categories(const RetentionRule& rule, const DataMap& map);

// The policy files the configuration names, loaded: all of them, or the kinds a command asked
// for (load_policy). A kind the configuration does not name, or that was not asked for, stays
// empty, with `has_*` false.
struct Policy {
  Config config;
  DataMap data_map;
  RetentionPolicy retention;
  CookiePolicy cookies;
  SubprocessorRegistry subprocessors;
  TransferLists transfers;
  bool has_data_map = false, has_retention = false, has_cookies = false,
       has_subprocessors = false, has_transfers = false;

  // Whether `kind` is loaded (its `has_*`); the configuration always is.
  bool has(PolicyKind kind) const;
};
}  // namespace telcomply
