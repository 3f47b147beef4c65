#include "domain/calendar/business_hours.h"

#include "core/status_macros.h"

namespace stockpile::domain::calendar {
namespace {

constexpr std::string_view kWeekdays[] = {"sunday",    "monday",   "tuesday",
                                          "wednesday", "thursday", "friday",
                                          "saturday"};

core::Status FieldError(std::string_view field, std::string_view what) {
  return core::InvalidArgumentError("'" + std::string(field) + "' " +
                                    std::string(what));
}

bool Digit(char c) { return c >= '0' && c <= '9'; }

// minutes is 0..1440.
std::string FormatHhMm(int minutes) {
  const int h = minutes / 60;
  const int m = minutes % 60;
  return {static_cast<char>('0' + h / 10), static_cast<char>('0' + h % 10), ':',
          static_cast<char>('0' + m / 10), static_cast<char>('0' + m % 10)};
}

}  // namespace

std::string_view WeekdayName(int weekday) { return kWeekdays[weekday % 7]; }

WeekHours DefaultWeekHours() {
  WeekHours h;
  for (int d = 1; d <= 5; ++d) h[d] = DayHours{9 * 60, 17 * 60};
  return h;
}

core::Result<int> ParseHhMm(const boost::json::value& v,
                            std::string_view field) {
  const boost::json::string* s = v.if_string();
  if (s == nullptr || s->size() != 5 || !Digit((*s)[0]) || !Digit((*s)[1]) ||
      (*s)[2] != ':' || !Digit((*s)[3]) || !Digit((*s)[4])) {
    return FieldError(field, "must be a time \"HH:MM\"");
  }
  const int h = ((*s)[0] - '0') * 10 + ((*s)[1] - '0');
  const int m = ((*s)[3] - '0') * 10 + ((*s)[4] - '0');
  if (m > 59 || h > 24 || (h == 24 && m != 0)) {
    return FieldError(field, "must be a time between 00:00 and 24:00");
  }
  return h * 60 + m;
}

core::Result<WeekHours> ParseWeekHours(const boost::json::value& v,
                                       std::string_view field) {
  const boost::json::object* o = v.if_object();
  if (o == nullptr) return FieldError(field, "must be an object of weekdays");
  WeekHours hours;
  for (const auto& kv : *o) {
    const std::string day_field =
        std::string(field) + "." + std::string(kv.key());
    int day = -1;
    for (int d = 0; d < 7; ++d) {
      if (kv.key() == kWeekdays[d]) day = d;
    }
    if (day < 0) return FieldError(day_field, "is not a weekday");
    if (kv.value().is_null()) continue;
    const boost::json::object* span = kv.value().if_object();
    if (span == nullptr) {
      return FieldError(day_field, "must be {\"open\", \"close\"} or null");
    }
    const boost::json::value* open = span->if_contains("open");
    const boost::json::value* close = span->if_contains("close");
    if (open == nullptr) return FieldError(day_field + ".open", "is required");
    if (close == nullptr) {
      return FieldError(day_field + ".close", "is required");
    }
    ASSIGN_OR_RETURN(int open_minute, ParseHhMm(*open, day_field + ".open"));
    ASSIGN_OR_RETURN(int close_minute, ParseHhMm(*close, day_field + ".close"));
    if (close_minute <= open_minute) {
      return FieldError(day_field + ".close", "must be after open");
    }
    hours[day] = DayHours{open_minute, close_minute};
  }
  return hours;
}

boost::json::object WeekHoursToJson(const WeekHours& hours) {
  boost::json::object o;
  for (int i = 1; i <= 7; ++i) {  // monday first, as people write them
    const int d = i % 7;
    if (hours[d]) {
      o[kWeekdays[d]] = {{"open", FormatHhMm(hours[d]->open_minute)},
                         {"close", FormatHhMm(hours[d]->close_minute)}};
    } else {
      o[kWeekdays[d]] = nullptr;
    }
  }
  return o;
}

}  // namespace stockpile::domain::calendar
