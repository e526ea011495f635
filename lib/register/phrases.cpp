#include "register/phrases.h"

namespace telcomply::register_text {

namespace {

constexpr Phrases kEnglish{
    "en",
    "Records of processing activities",
    " of ",
    "As of",
    "Organisation",
    "Address",
    "Contact",
    "Data protection officer",
    "Security measures (GDPR art. 32)",
    "Processing as controller (GDPR art. 30(1))",
    "One record per purpose of the processing the organisation is controller for.",
    "Processing as processor (GDPR art. 30(2))",
    "One record per controller the organisation processes personal data for.",
    "Controller",
    "Processor",
    "Purpose",
    "Categories of data subjects",
    "Categories of personal data",
    "Legal basis",
    "Categories of recipients",
    "Transfers to third countries",
    "Retention",
    "DPIA pre-screen",
    "Processing that meets a criterion of the Autoriteit Persoonsgegevens' list of processing "
    "that always requires a data protection impact assessment (Staatscourant 2019, 64418) is "
    "marked with the criterion.",
    "none",
    "No processing.",
    "no retention rule",
    "rule",
    " after ",
    ", then ",
    "the account is closed",
    "deleted",
    "anonymised",
    "sub-processor",
    "sub-processor of a sub-processor",
    "recipient",
    "adequacy decision",
    "no safeguard",
    "named by the purpose",
    "large-scale processing of ",
    "criterion",
    "Register",
    "art. 30(1)",
    "art. 30(2)",
};

constexpr Phrases kDutch{
    "nl",
    "Register van verwerkingsactiviteiten",
    " van ",
    "Stand per",
    "Organisatie",
    "Adres",
    "Contactgegevens",
    "Functionaris gegevensbescherming",
    "Beveiligingsmaatregelen (AVG art. 32)",
    "Verwerkingen als verwerkingsverantwoordelijke (AVG art. 30 lid 1)",
    "Een vermelding per doel van de verwerkingen waarvoor de organisatie "
    "verwerkingsverantwoordelijke is.",
    "Verwerkingen als verwerker (AVG art. 30 lid 2)",
    "Een vermelding per verwerkingsverantwoordelijke voor wie de organisatie persoonsgegevens "
    "verwerkt.",
    "Verwerkingsverantwoordelijke",
    "Verwerker",
    "Doel",
    "Categorieën betrokkenen",
    "Categorieën persoonsgegevens",
    "Grondslag",
    "Categorieën ontvangers",
    "Doorgifte aan derde landen",
    "Bewaartermijn",
    "DPIA-voortoets",
    "Verwerkingen die voldoen aan een criterium van de lijst van de Autoriteit "
    "Persoonsgegevens van verwerkingen waarvoor een gegevensbeschermingseffectbeoordeling "
    "altijd verplicht is (Staatscourant 2019, 64418), zijn gemarkeerd met dat criterium.",
    "geen",
    "Geen verwerkingen.",
    "geen bewaarregel",
    "regel",
    " na ",
    ", daarna ",
    "opheffing van het account",
    "verwijderd",
    "geanonimiseerd",
    "subverwerker",
    "subverwerker van een subverwerker",
    "ontvanger",
    "adequaatheidsbesluit",
    "geen passende waarborg",
    "genoemd bij het doel",
    "grootschalige verwerking van ",
    "criterium",
    "Register",
    "art. 30 lid 1",
    "art. 30 lid 2",
};

}  // namespace

const Phrases& phrases(Language language) { return language == Language::nl ? kDutch : kEnglish; }

Language language_of(const Phrases& p) { return &p == &kDutch ? Language::nl : Language::en; }

std::string duration_text(const Duration& duration, const Phrases& p) {
  return duration.text(language_of(p));
}

std::string retention_text(const RetentionRule& rule, const Phrases& p) {
  std::string text = duration_text(rule.keep, p) + p.after;
  text += rule.from.kind == RetentionStart::Kind::account_closed
              ? std::string(p.account_closed)
              : rule.table + "." + rule.from.column;
  text += p.then;
  text += rule.action == RetentionAction::anonymise ? p.anonymised : p.deleted;
  return text + " (" + p.rule + " " + rule.name + ")";
}

}  // namespace telcomply::register_text
