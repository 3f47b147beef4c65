// RFC 3339 timestamps as used in the event envelope: always UTC, always
// millisecond precision on output ("2026-02-09T12:00:00.123Z").
#ifndef STOCKPILE_CORE_TIME_FORMAT_H_
#define STOCKPILE_CORE_TIME_FORMAT_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace stockpile::core {

// Formats milliseconds since the Unix epoch as "YYYY-MM-DDTHH:MM:SS.mmmZ".
// Valid for years 0000..9999.
std::string FormatRfc3339Millis(int64_t unix_millis);

// Appends the same text to `out` (no allocation beyond growth of `out`).
void AppendRfc3339Millis(int64_t unix_millis, std::string& out);

// Parses an RFC 3339 date-time:
// "YYYY-MM-DDTHH:MM:SS[.fraction](Z|+hh:mm|-hh:mm)". 't' and 'z' are accepted
// in lower case. Fractions beyond milliseconds are truncated. Returns
// InvalidArgument naming what is wrong.
Result<int64_t> ParseRfc3339Millis(std::string_view text);

// Days since 1970-01-01 for a proleptic Gregorian date, and back.
int64_t DaysFromCivil(int64_t year, unsigned month, unsigned day);
void CivilFromDays(int64_t days, int64_t& year, unsigned& month, unsigned& day);

}  // namespace stockpile::core

#endif  // STOCKPILE_CORE_TIME_FORMAT_H_
