#include "subprocessors/phrases.h"

namespace telcomply::subprocessors_text {

namespace {

constexpr Phrases kEnglish{
    // the list
    "Sub-processors",
    " of ",
    "List as of",
    "Limited to the service",
    "New sub-processors are announced at least",
    "before they start, so that partners can object (GDPR art. 28(2)).",
    "No sub-processors.",
    "Sub-processor",
    "Purpose",
    "Data categories",
    "Data subjects",
    "Processing locations",
    "Access from",
    "Transfer safeguards",
    "Supplementary measures",
    "Processor agreement",
    "Since",
    "since",
    "Details",
    "Address",
    "Contact",
    "Engaged by",
    "Services",
    "all",
    "Countries",
    "Transfer",
    "transfer impact assessment",
    "Certified under the EU-US Data Privacy Framework",
    "dated",
    "version",
    "sub-processor of",
    "none needed (EEA only)",
    "from",
    "announced",
    "removed",
    "date not set",
    "announced",
    "removed",
    "yes",
    // the change notice
    "Notice of changes to our sub-processors",
    "Notice date",
    "Notice period",
    "Service",
    "No changes.",
    "Under GDPR art. 28(2) we inform you of these intended changes. You may object to a change "
    "until its objection deadline",
    ", by writing to",
    "Change",
    "Details",
    "Announced",
    "Takes effect",
    "Object by",
    "not before",
    "short notice",
    "no objection needed",
    "New sub-processor",
    "Sub-processor removed",
    "New legal name",
    "New identifier",
    "Locations changed",
    "Purpose changed",
    "Data changed",
    "Transfer safeguards changed",
    "Identifier",
    "Legal name",
    "Transfers",
    "DPF certified",
    " with ",
};

constexpr Phrases kDutch{
    // de lijst
    "Subverwerkers",
    " van ",
    "Lijst per",
    "Beperkt tot de dienst",
    "Nieuwe subverwerkers kondigen wij ten minste",
    "van tevoren aan, zodat partners bezwaar kunnen maken (AVG art. 28 lid 2).",
    "Geen subverwerkers.",
    "Subverwerker",
    "Doel",
    "Categorieën persoonsgegevens",
    "Categorieën betrokkenen",
    "Verwerkingslocaties",
    "Toegang vanuit",
    "Doorgifte buiten de EER",
    "Aanvullende maatregelen",
    "Verwerkersovereenkomst",
    "Sinds",
    "sinds",
    "Per subverwerker",
    "Adres",
    "Contactgegevens",
    "Ingeschakeld door",
    "Diensten",
    "alle",
    "Landen",
    "Doorgifte",
    "doorgiftetoets",
    "Gecertificeerd onder het EU-VS Data Privacy Framework",
    "van",
    "versie",
    "subverwerker van",
    "niet nodig (alleen binnen de EER)",
    "vanaf",
    "aangekondigd op",
    "niet meer ingeschakeld sinds",
    "datum nog niet vastgesteld",
    "aangekondigd",
    "niet meer ingeschakeld",
    "ja",
    // de kennisgeving
    "Kennisgeving van voorgenomen wijzigingen in onze subverwerkers",
    "Datum van kennisgeving",
    "Aankondigingstermijn",
    "Dienst",
    "Geen wijzigingen.",
    "Op grond van AVG art. 28 lid 2 informeren wij u over deze voorgenomen wijzigingen. U kunt "
    "tegen een wijziging bezwaar maken tot en met de uiterste datum daarvoor",
    ", door te schrijven naar",
    "Wijziging",
    "Toelichting",
    "Aangekondigd",
    "Gaat in",
    "Bezwaar uiterlijk",
    "niet vóór",
    "korte termijn",
    "geen bezwaartermijn",
    "Nieuwe subverwerker",
    "Subverwerker niet meer ingeschakeld",
    "Nieuwe statutaire naam",
    "Nieuwe aanduiding",
    "Locaties gewijzigd",
    "Doel gewijzigd",
    "Gegevens gewijzigd",
    "Doorgifte gewijzigd",
    "Aanduiding",
    "Statutaire naam",
    "Doorgifte",
    "DPF-gecertificeerd",
    " met ",
};

}  // namespace

const Phrases& phrases(Language language) { return language == Language::nl ? kDutch : kEnglish; }

const char* field_name(const std::string& field, const Phrases& p) {
  if (field == "id") return p.field_id;
  if (field == "legal_name") return p.field_legal_name;
  if (field == "locations") return p.locations;
  if (field == "access_locations") return p.access_from;
  if (field == "purpose") return p.purpose;
  if (field == "categories") return p.categories;
  if (field == "data_subjects") return p.data_subjects;
  if (field == "transfers") return p.field_transfers;
  if (field == "services") return p.services;
  return field.c_str();
}

}  // namespace telcomply::subprocessors_text
