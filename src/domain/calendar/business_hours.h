// Business hours: per weekday an opening span [open, close) in local
// minutes, or closed. Read from and written as the JSON of tenant settings
// and region packs:
//
//   {"monday": {"open": "09:00", "close": "17:00"}, "saturday": null, ...}
//
// A weekday left out (or null) is closed. "24:00" is a valid close; an
// opening span never crosses midnight (close must be after open).
//
// Thread-safety: plain values and pure functions.
#ifndef STOCKPILE_DOMAIN_CALENDAR_BUSINESS_HOURS_H_
#define STOCKPILE_DOMAIN_CALENDAR_BUSINESS_HOURS_H_

#include <array>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace stockpile::domain::calendar {

struct DayHours {
  int open_minute = 0;   // 0..1439
  int close_minute = 0;  // open_minute+1 .. 1440

  friend bool operator==(const DayHours&, const DayHours&) = default;
};

// Index 0 = Sunday .. 6 = Saturday; nullopt = closed.
using WeekHours = std::array<std::optional<DayHours>, 7>;

// "sunday" .. "saturday" for 0..6.
std::string_view WeekdayName(int weekday);

// Monday to Friday, 09:00-17:00.
WeekHours DefaultWeekHours();

// "HH:MM" (00:00..24:00) as minutes; InvalidArgument naming `field`.
core::Result<int> ParseHhMm(const boost::json::value& v,
                            std::string_view field);

// The JSON object above; `field` names it in errors ("businessHours"):
// an unknown weekday, a bad HH:MM or a close not after open is
// InvalidArgument naming e.g. "businessHours.monday.close".
core::Result<WeekHours> ParseWeekHours(const boost::json::value& v,
                                       std::string_view field);

// The JSON object above, with every weekday present (closed ones null).
boost::json::object WeekHoursToJson(const WeekHours& hours);

}  // namespace stockpile::domain::calendar

#endif  // STOCKPILE_DOMAIN_CALENDAR_BUSINESS_HOURS_H_
