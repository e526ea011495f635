#include "export/phrases.h"

namespace telcomply::export_text {

namespace {

constexpr Phrases kEnglish{
    "Personal data of customer ",
    " at ",
    "Your personal data",
    "Held by",
    "Customer number",
    "Generated on",
    "Times are shown in the time zone",
    "This file is a copy of the personal data we hold about you and the information the GDPR "
    "(article 15) entitles you to: why we use the data, who receives it, how long we keep it, "
    "and your rights. A machine-readable version (JSON) is available on request.",
    "Data about other people (for example the numbers you called) is partly hidden to protect "
    "their privacy (GDPR article 15(4)).",
    "Contents",
    "Summary",
    "Your data",
    "Information about the processing",
    "Your rights",
    "Category",
    "What it is",
    "Records",
    "Why we use it",
    "portable (art. 20)",
    "record",
    "records",
    "From",
    "Record number",
    "other party, partly hidden",
    "Purposes, legal basis and source",
    "Purposes",
    "Legal basis",
    "Source",
    "Provided by you or created by using our services",
    "How long we keep it",
    "Retention",
    "Counted from",
    "Then",
    "Why",
    "No retention rule recorded",
    "the end of your contract",
    "the date ",
    "deleted",
    "anonymised",
    "Data we process on behalf of someone else",
    "We process these categories only on behalf of another controller, so they are not part "
    "of this copy. Ask that controller for them.",
    "Our role",
    "Controller",
    "Who receives it",
    "Recipient",
    "Purpose",
    "Data",
    "Where",
    "Outside the EEA",
    "No recipients recorded.",
    "none",
    "access from",
    "adequacy decision",
    "with",
    "no safeguard recorded",
    "Automated decision-making",
    "How it works",
    "What it means for you",
    "We take no decisions about you based solely on automated processing.",
    "To use these rights, contact",
    "data protection officer",
    "You may lodge a complaint with the supervisory authority:",
    "Package format",
    {"controller", "processor", "sub-processor"},
    {{
        {"access", "Right of access", "GDPR art. 15",
         "You may ask which personal data is processed about you and receive a copy of it, "
         "with the information in this package."},
        {"rectification", "Right to rectification", "GDPR art. 16",
         "You may have inaccurate personal data corrected and incomplete data completed."},
        {"erasure", "Right to erasure", "GDPR art. 17",
         "You may have your personal data erased when there is no longer a ground to keep it."},
        {"restriction", "Right to restriction of processing", "GDPR art. 18",
         "You may have the processing of your data restricted, for example while its accuracy "
         "is being checked."},
        {"portability", "Right to data portability", "GDPR art. 20",
         "You may receive the data you provided in a structured, machine-readable format (this "
         "package in JSON) and have it passed on to another provider."},
        {"objection", "Right to object", "GDPR art. 21",
         "You may object to processing based on legitimate interests, and at any time to "
         "direct marketing."},
    }},
    "Right to lodge a complaint",
    "GDPR art. 77",
};

constexpr Phrases kDutch{
    "Persoonsgegevens van klant ",
    " bij ",
    "Uw persoonsgegevens",
    "In bezit van",
    "Klantnummer",
    "Opgesteld op",
    "Tijden staan in de tijdzone",
    "Dit bestand is een kopie van de persoonsgegevens die wij van u hebben, met de informatie "
    "waar u volgens de AVG (artikel 15) recht op heeft: waarom wij de gegevens gebruiken, wie "
    "ze ontvangt, hoe lang wij ze bewaren en welke rechten u heeft. Op verzoek krijgt u ook een "
    "machineleesbare versie (JSON).",
    "Gegevens over andere mensen (bijvoorbeeld de nummers die u belde) zijn gedeeltelijk "
    "verborgen om hun privacy te beschermen (AVG artikel 15 lid 4).",
    "Inhoud",
    "Overzicht",
    "Uw gegevens",
    "Informatie over de verwerking",
    "Uw rechten",
    "Soort gegevens",
    "Wat het is",
    "Aantal",
    "Waarom wij het gebruiken",
    "overdraagbaar (art. 20)",
    "vermelding",
    "vermeldingen",
    "Uit",
    "Volgnummer",
    "andere persoon, deels verborgen",
    "Doelen, grondslag en herkomst",
    "Doelen",
    "Grondslag",
    "Herkomst",
    "Door u gegeven of ontstaan door het gebruik van onze diensten",
    "Hoe lang wij het bewaren",
    "Bewaartermijn",
    "Gerekend vanaf",
    "Daarna",
    "Reden",
    "Geen bewaartermijn vastgelegd",
    "het einde van uw contract",
    "de datum ",
    "verwijderd",
    "geanonimiseerd",
    "Gegevens die wij voor een ander verwerken",
    "Deze gegevens verwerken wij alleen in opdracht van een andere "
    "verwerkingsverantwoordelijke. Ze staan daarom niet in deze kopie. U kunt ze bij die "
    "verwerkingsverantwoordelijke opvragen.",
    "Onze rol",
    "Verwerkingsverantwoordelijke",
    "Wie ontvangt het",
    "Ontvanger",
    "Doel",
    "Gegevens",
    "Waar",
    "Buiten de EER",
    "Geen ontvangers vastgelegd.",
    "geen",
    "toegang vanuit",
    "adequaatheidsbesluit",
    "met",
    "geen waarborg vastgelegd",
    "Geautomatiseerde besluitvorming",
    "Hoe het werkt",
    "Wat het voor u betekent",
    "Wij nemen geen besluiten over u die alleen op geautomatiseerde verwerking berusten.",
    "Wilt u een van deze rechten gebruiken? Neem contact op met",
    "functionaris gegevensbescherming",
    "U kunt een klacht indienen bij de toezichthouder:",
    "Formaat van dit overzicht",
    {"verwerkingsverantwoordelijke", "verwerker", "subverwerker"},
    {{
        {"access", "Recht op inzage", "AVG art. 15",
         "U mag vragen welke persoonsgegevens wij van u verwerken en daarvan een kopie krijgen, "
         "met de informatie in dit overzicht."},
        {"rectification", "Recht op rectificatie (correctie)", "AVG art. 16",
         "U mag onjuiste persoonsgegevens laten corrigeren en onvolledige gegevens laten "
         "aanvullen."},
        {"erasure", "Recht op gegevenswissing (recht op vergetelheid)", "AVG art. 17",
         "U mag uw persoonsgegevens laten verwijderen (wissen) als wij geen reden meer hebben "
         "om ze te bewaren."},
        {"restriction", "Recht op beperking van de verwerking", "AVG art. 18",
         "U mag ons vragen uw gegevens tijdelijk niet te gebruiken, bijvoorbeeld zolang wordt "
         "nagekeken of ze kloppen."},
        {"portability", "Recht op overdraagbaarheid van gegevens (dataportabiliteit)",
         "AVG art. 20",
         "U mag de gegevens die u zelf aan ons gaf krijgen in een gestructureerde, "
         "machineleesbare vorm (dit overzicht in JSON) en ze laten doorsturen naar een andere "
         "aanbieder."},
        {"objection", "Recht van bezwaar", "AVG art. 21",
         "U mag bezwaar maken tegen een verwerking op grond van een gerechtvaardigd belang, en "
         "altijd tegen direct marketing."},
    }},
    "Recht om een klacht in te dienen",
    "AVG art. 77",
};

}  // namespace

const Phrases& phrases(Language language) { return language == Language::nl ? kDutch : kEnglish; }

}  // namespace telcomply::export_text
