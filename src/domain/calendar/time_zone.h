// TimeZone: an IANA time zone ("Asia/Jakarta") from the system tz database
// (/usr/share/zoneinfo, Debian package tzdata), read through Howard
// Hinnant's date/tz library built with USE_OS_TZDB — the library C++20's
// <chrono> tzdb was standardised from; GCC 12's libstdc++ has no tzdb yet.
// No offset is written by hand: DST rules and historical changes come from
// the database installed on the machine.
//
//   ASSIGN_OR_RETURN(TimeZone wib, TimeZone::Locate("Asia/Jakarta"));
//   LocalTime t = wib.ToLocal(event.timestamp_ms);   // 19:00 for 12:00Z
//   std::string s = FormatLocalTime(t);  // "2026-02-09T19:00:00.000+07:00"
//
// "UTC" always works, even without tzdata.
//
// Ownership: a TimeZone points into the process's tz database, which lives
// until exit; copies are cheap. Thread-safety: immutable, safe to share.
#ifndef STOCKPILE_DOMAIN_CALENDAR_TIME_ZONE_H_
#define STOCKPILE_DOMAIN_CALENDAR_TIME_ZONE_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace date {
class time_zone;
}  // namespace date

namespace stockpile::domain::calendar {

// A wall-clock moment in some zone.
struct LocalTime {
  int64_t days = 0;        // local date as days since 1970-01-01
  int minute_of_day = 0;   // 0..1439
  int second = 0;          // 0..59
  int millis = 0;          // 0..999
  int offset_seconds = 0;  // local - UTC
  int weekday = 4;         // 0 = Sunday .. 6 = Saturday
};

class TimeZone {
 public:
  // NotFound when the database has no zone of that name.
  static core::Result<TimeZone> Locate(std::string_view name);
  static TimeZone Utc() { return TimeZone(); }

  const std::string& name() const { return name_; }
  LocalTime ToLocal(int64_t unix_millis) const;

 private:
  TimeZone() = default;

  std::string name_ = "UTC";
  const date::time_zone* zone_ = nullptr;  // nullptr: UTC
};

// The weekday (0 = Sunday) of a date given as days since 1970-01-01.
int WeekdayOfDays(int64_t days);

// RFC 3339 with the zone's offset: "YYYY-MM-DDTHH:MM:SS.mmm+hh:mm".
std::string FormatLocalTime(const LocalTime& t);

}  // namespace stockpile::domain::calendar

#endif  // STOCKPILE_DOMAIN_CALENDAR_TIME_ZONE_H_
