#include "domain/common/calendar_day.h"

#include "core/time_format.h"

namespace stockpile::domain::common {

int64_t DayOf(int64_t unix_millis) {
  int64_t day = unix_millis / kMillisPerDay;
  if (unix_millis % kMillisPerDay < 0) --day;
  return day;
}

std::string FormatDay(int64_t day) {
  return core::FormatRfc3339Millis(day * kMillisPerDay).substr(0, 10);
}

std::optional<int64_t> ParseDay(std::string_view text) {
  if (text.size() != 10) return std::nullopt;
  auto parsed = core::ParseRfc3339Millis(std::string(text) + "T00:00:00Z");
  if (!parsed.ok()) return std::nullopt;
  const int64_t day = DayOf(*parsed);
  if (FormatDay(day) != text) return std::nullopt;  // e.g. 2026-02-30
  return day;
}

}  // namespace stockpile::domain::common
