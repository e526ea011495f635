// Values as a person reads them in a language: amounts of money, lengths of time, yes and no,
// moments on a wall clock (a date alone: Date::text). Dutch follows the Taalunie's and CLDR's forms
// ("€ 1.234,56", "5 januari 2026 11:00"), English the British ones ("€1,234.56",
// "5 January 2026 11:00").
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/date.h"
#include "core/language.h"
#include "core/timezone.h"

namespace telcomply {

// An amount in hundredths of `currency` (ISO 4217: "EUR", "USD"): nl "€ 189,00",
// "€ -1.234,50"; en "€189.00", "-€1,234.50". EUR, USD and GBP show their symbol, other
// currencies their code ("CHF 12,00", "CHF 12.00").
std::string money_text(std::int64_t cents, std::string_view currency, Language language);

// A length of time in seconds: "1 min 23 s", "1 h 2 min 5 s", "0 s"; Dutch "1 u 2 min 5 s".
std::string seconds_text(std::int64_t seconds, Language language);

// "ja" or "nee", "yes" or "no".
std::string yes_no_text(bool value, Language language);

// A moment on the wall clock of `zone`: "5 januari 2026 11:00", "5 January 2026 11:00"
// (seconds only when they are not zero: "11:00:07").
std::string moment_text(std::int64_t unix_seconds, const TimeZone& zone, Language language);

}  // namespace telcomply
