// Calendar days as the domain counts them: UTC days since 1970-01-01, as
// read models bucket events by their timestamp and as "YYYY-MM-DD" in
// payloads and responses.
//
//   int64_t today = DayOf(clock.NowMillis());
//   std::string d = FormatDay(today);              // "2026-12-04"
//   std::optional<int64_t> back = ParseDay(d);     // == today
//
// Thread-safety: pure functions.
#ifndef STOCKPILE_DOMAIN_COMMON_CALENDAR_DAY_H_
#define STOCKPILE_DOMAIN_COMMON_CALENDAR_DAY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace stockpile::domain::common {

inline constexpr int64_t kMillisPerDay = 86'400'000;
inline constexpr int64_t kMillisPerHour = 3'600'000;

// The day of a Unix time in milliseconds (floor, also before 1970).
int64_t DayOf(int64_t unix_millis);
// "YYYY-MM-DD" (years 0000..9999).
std::string FormatDay(int64_t day);
// The day of "YYYY-MM-DD" naming a real calendar day, else nullopt.
std::optional<int64_t> ParseDay(std::string_view text);

}  // namespace stockpile::domain::common

#endif  // STOCKPILE_DOMAIN_COMMON_CALENDAR_DAY_H_
