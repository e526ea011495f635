#include "policy/dpia.h"

#include <algorithm>

namespace telcomply {

namespace {

// Staatscourant 2019, 64418, in the list's order. The texts are summaries; the list itself
// is the source.
constexpr DpiaCriterion kCriteria[] = {
    {"covert-investigation",
     1,
     "Heimelijk onderzoek",
     "Covert investigation",
     "Grootschalige en/of stelselmatige verwerking waarbij informatie wordt verzameld zonder "
     "dat de betrokkene daarvan op de hoogte is.",
     "Large-scale and/or systematic processing that collects information through "
     "investigation without the data subject being informed.",
     {}},
    {"blacklists",
     2,
     "Zwarte lijsten",
     "Blacklists",
     "Verwerking van strafrechtelijke gegevens, gegevens over onrechtmatig of hinderlijk gedrag "
     "of over slecht betalingsgedrag die met derden wordt gedeeld.",
     "Processing of criminal data, data on unlawful or antisocial behaviour or on poor payment "
     "behaviour that is shared with third parties.",
     {}},
    {"fraud-prevention",
     3,
     "Fraudebestrijding",
     "Fraud prevention",
     "Grootschalige verwerking en/of stelselmatige monitoring van (bijzondere) "
     "persoonsgegevens in het kader van fraudebestrijding.",
     "Large-scale processing and/or systematic monitoring of (special categories of) personal "
     "data to prevent fraud.",
     {}},
    {"credit-scores",
     4,
     "Creditscores",
     "Credit scores",
     "Grootschalige verwerking en/of stelselmatige monitoring die leidt tot of gebruikmaakt van "
     "inschattingen van de kredietwaardigheid van natuurlijke personen.",
     "Large-scale processing and/or systematic monitoring that leads to or uses assessments of "
     "the creditworthiness of natural persons.",
     {"credit"}},
    {"financial-situation",
     5,
     "Financiële situatie",
     "Financial situation",
     "Grootschalige verwerking en/of stelselmatige monitoring van financiële gegevens waaruit "
     "inkomen, vermogen of bestedingspatroon is af te leiden.",
     "Large-scale processing and/or systematic monitoring of financial data from which income, "
     "wealth or spending can be derived.",
     {"financial"}},
    {"genetic-data",
     6,
     "Genetische persoonsgegevens",
     "Genetic data",
     "Grootschalige verwerking en/of stelselmatige monitoring van genetische persoonsgegevens.",
     "Large-scale processing and/or systematic monitoring of genetic data.",
     {"genetic"}},
    {"health-data",
     7,
     "Gezondheidsgegevens",
     "Health data",
     "Grootschalige verwerking van gegevens over gezondheid.",
     "Large-scale processing of data concerning health.",
     {"health"}},
    {"cooperation",
     8,
     "Samenwerkingsverbanden",
     "Partnerships",
     "Het uitwisselen van bijzondere of strafrechtelijke persoonsgegevens tussen organisaties "
     "in een samenwerkingsverband.",
     "Organisations in a partnership exchanging special categories of data or criminal data.",
     {}},
    {"camera-surveillance",
     9,
     "Cameratoezicht",
     "Camera surveillance",
     "Grootschalige en/of stelselmatige monitoring van openbaar toegankelijke ruimten met "
     "camera's.",
     "Large-scale and/or systematic monitoring of publicly accessible areas with cameras.",
     {}},
    {"flexible-camera-surveillance",
     10,
     "Flexibel cameratoezicht",
     "Flexible camera surveillance",
     "Stelselmatig gebruik van mobiele camera's, zoals bodycams of drones.",
     "Systematic use of mobile cameras, such as body cameras or drones.",
     {}},
    {"employee-monitoring",
     11,
     "Controle werknemers",
     "Monitoring of employees",
     "Grootschalige en/of stelselmatige monitoring van de activiteiten van werknemers.",
     "Large-scale and/or systematic monitoring of employees' activities.",
     {}},
    {"location-data",
     12,
     "Locatiegegevens",
     "Location data",
     "Grootschalige en/of stelselmatige verwerking van locatiegegevens van of herleidbaar tot "
     "natuurlijke personen.",
     "Large-scale and/or systematic processing of location data of or traceable to natural "
     "persons.",
     {"location"}},
    {"communication-data",
     13,
     "Communicatiegegevens",
     "Communication data",
     "Grootschalige en/of stelselmatige verwerking van communicatiegegevens, inclusief "
     "metagegevens (verkeersgegevens), van of herleidbaar tot natuurlijke personen.",
     "Large-scale and/or systematic processing of communication data, metadata (traffic data) "
     "included, of or traceable to natural persons.",
     {"traffic", "content"}},
    {"internet-of-things",
     14,
     "Internet of things",
     "Internet of things",
     "Grootschalige en/of stelselmatige verwerking van gegevens die door apparaten met een "
     "internetverbinding worden verzameld.",
     "Large-scale and/or systematic processing of data collected by connected devices.",
     {}},
    {"profiling",
     15,
     "Profilering",
     "Profiling",
     "Grootschalige en/of stelselmatige beoordeling van persoonlijke aspecten van natuurlijke "
     "personen op basis van geautomatiseerde verwerking, waaronder profilering.",
     "Large-scale and/or systematic evaluation of personal aspects of natural persons based on "
     "automated processing, profiling included.",
     {}},
    {"behavioural-observation",
     16,
     "Observatie en beïnvloeding van gedrag",
     "Observing and influencing behaviour",
     "Grootschalige en/of stelselmatige observatie of beïnvloeding van het gedrag van natuurlijke "
     "personen.",
     "Large-scale and/or systematic observation or influencing of the behaviour of natural "
     "persons.",
     {}},
    {"biometric-data",
     17,
     "Biometrische gegevens",
     "Biometric data",
     "Grootschalige en/of stelselmatige verwerking van biometrische gegevens om een persoon te "
     "identificeren.",
     "Large-scale and/or systematic processing of biometric data to identify a person.",
     {"biometric"}},
};

constexpr std::string_view kKinds[] = {"traffic", "content", "location", "financial",
                                       "credit",  "health",  "genetic",  "biometric"};

}  // namespace

std::span<const DpiaCriterion> dpia_criteria() { return kCriteria; }

const DpiaCriterion* find_dpia_criterion(std::string_view id) {
  const auto* it = std::find_if(std::begin(kCriteria), std::end(kCriteria),
                                [&](const DpiaCriterion& c) { return c.id == id; });
  return it == std::end(kCriteria) ? nullptr : it;
}

std::span<const std::string_view> data_kinds() { return kKinds; }

}  // namespace telcomply
