#include "domain/calendar/time_zone.h"

#include <date/tz.h>

#include <chrono>
#include <cstdio>
#include <exception>

#include "core/time_format.h"

namespace stockpile::domain::calendar {

core::Result<TimeZone> TimeZone::Locate(std::string_view name) {
  TimeZone tz;
  if (name == "UTC") return tz;
  try {
    // date::locate_zone reports an unknown name (or a missing database)
    // with an exception; this is the only place it is called.
    tz.zone_ = date::locate_zone(name);
  } catch (const std::exception&) {
    return core::NotFoundError("unknown IANA time zone '" + std::string(name) +
                               "'");
  }
  tz.name_ = std::string(name);
  return tz;
}

int WeekdayOfDays(int64_t days) {
  // 1970-01-01 was a Thursday (4).
  const int64_t w = (days + 4) % 7;
  return static_cast<int>(w < 0 ? w + 7 : w);
}

LocalTime TimeZone::ToLocal(int64_t unix_millis) const {
  int64_t secs = unix_millis / 1000;
  int64_t ms = unix_millis % 1000;
  if (ms < 0) {
    ms += 1000;
    --secs;
  }
  LocalTime t;
  if (zone_ != nullptr) {
    const date::sys_info info =
        zone_->get_info(date::sys_seconds{std::chrono::seconds{secs}});
    t.offset_seconds = static_cast<int>(info.offset.count());
  }
  const int64_t local = secs + t.offset_seconds;
  int64_t days = local / 86400;
  int64_t in_day = local % 86400;
  if (in_day < 0) {
    in_day += 86400;
    --days;
  }
  t.days = days;
  t.minute_of_day = static_cast<int>(in_day / 60);
  t.second = static_cast<int>(in_day % 60);
  t.millis = static_cast<int>(ms);
  t.weekday = WeekdayOfDays(days);
  return t;
}

std::string FormatLocalTime(const LocalTime& t) {
  int64_t year = 0;
  unsigned month = 0;
  unsigned day = 0;
  core::CivilFromDays(t.days, year, month, day);
  const int off = t.offset_seconds < 0 ? -t.offset_seconds : t.offset_seconds;
  char buf[40];
  const int n = std::snprintf(
      buf, sizeof(buf), "%04lld-%02u-%02uT%02d:%02d:%02d.%03d%c%02d:%02d",
      static_cast<long long>(year), month, day, t.minute_of_day / 60,
      t.minute_of_day % 60, t.second, t.millis,
      t.offset_seconds < 0 ? '-' : '+', off / 3600, (off % 3600) / 60);
  return std::string(buf, n > 0 ? static_cast<size_t>(n) : 0);
}

}  // namespace stockpile::domain::calendar
