#include "domain/calendar/calendar_settings.h"

#include <algorithm>
#include <boost/json/array.hpp>
#include <charconv>

#include "core/status_macros.h"
#include "core/time_format.h"
#include "domain/calendar/region_pack.h"
#include "domain/calendar/time_zone.h"

namespace stockpile::domain::calendar {
namespace {

core::Status FieldError(std::string_view field, std::string_view what) {
  return core::InvalidArgumentError("'" + std::string(field) + "' " +
                                    std::string(what));
}

core::Result<std::string> StringField(const boost::json::value& v,
                                      std::string_view field) {
  const boost::json::string* s = v.if_string();
  if (s == nullptr) return FieldError(field, "must be a string");
  return std::string(*s);
}

core::Result<int64_t> ParseDate(const boost::json::value& v,
                                std::string_view field) {
  const boost::json::string* s = v.if_string();
  const char* what = "must be a date \"YYYY-MM-DD\"";
  if (s == nullptr || s->size() != 10 || (*s)[4] != '-' || (*s)[7] != '-') {
    return FieldError(field, what);
  }
  int y = 0;
  unsigned m = 0;
  unsigned d = 0;
  const char* p = s->data();
  if (std::from_chars(p, p + 4, y).ptr != p + 4 ||
      std::from_chars(p + 5, p + 7, m).ptr != p + 7 ||
      std::from_chars(p + 8, p + 10, d).ptr != p + 10 || m < 1 || m > 12 ||
      d < 1) {
    return FieldError(field, what);
  }
  const int64_t days = core::DaysFromCivil(y, m, d);
  int64_t back_y = 0;
  unsigned back_m = 0;
  unsigned back_d = 0;
  core::CivilFromDays(days, back_y, back_m, back_d);
  if (back_m != m || back_d != d) return FieldError(field, "is not a date");
  return days;
}

std::string FormatDate(int64_t days) {
  int64_t y = 0;
  unsigned m = 0;
  unsigned d = 0;
  core::CivilFromDays(days, y, m, d);
  char buf[16];
  std::snprintf(buf, sizeof(buf), "%04lld-%02u-%02u", static_cast<long long>(y),
                m, d);
  return buf;
}

bool IsCurrencyCode(std::string_view s) {
  return s.size() == 3 && std::all_of(s.begin(), s.end(), [](char c) {
           return c >= 'A' && c <= 'Z';
         });
}

}  // namespace

core::Result<MonthFactors> ParseMonthFactors(const boost::json::value& v,
                                             std::string_view field) {
  const boost::json::object* o = v.if_object();
  if (o == nullptr) return FieldError(field, "must be an object of months");
  MonthFactors out;
  for (const auto& kv : *o) {
    const std::string month_field =
        std::string(field) + "." + std::string(kv.key());
    int month = 0;
    const std::string_view key(kv.key().data(), kv.key().size());
    if (std::from_chars(key.data(), key.data() + key.size(), month).ptr !=
            key.data() + key.size() ||
        month < 1 || month > 12) {
      return FieldError(month_field, "is not a month 1..12");
    }
    if (!kv.value().is_number() || kv.value().to_number<double>() <= 0) {
      return FieldError(month_field, "must be a positive number");
    }
    out[month - 1] = kv.value().to_number<double>();
  }
  return out;
}

core::Result<CalendarSettings> ParseCalendarSettings(
    const boost::json::object& body) {
  CalendarSettings s;
  for (const auto& kv : body) {
    const std::string_view key(kv.key().data(), kv.key().size());
    const boost::json::value& v = kv.value();
    if (key == "timezone") {
      ASSIGN_OR_RETURN(s.timezone, StringField(v, key));
      if (!TimeZone::Locate(s.timezone).ok()) {
        return FieldError(key, "'" + s.timezone +
                                   "' is not an IANA time zone of the tz "
                                   "database");
      }
    } else if (key == "region") {
      ASSIGN_OR_RETURN(s.region, StringField(v, key));
      if (FindRegionPack(s.region) == nullptr) {
        return FieldError(key, "'" + s.region + "' is not a known region");
      }
    } else if (key == "currency") {
      ASSIGN_OR_RETURN(s.currency, StringField(v, key));
      if (!IsCurrencyCode(s.currency)) {
        return FieldError(key, "must be an ISO 4217 code such as \"IDR\"");
      }
    } else if (key == "businessHours") {
      ASSIGN_OR_RETURN(s.business_hours, ParseWeekHours(v, key));
    } else if (key == "holidays") {
      const boost::json::array* a = v.if_array();
      if (a == nullptr) return FieldError(key, "must be an array of dates");
      for (size_t i = 0; i < a->size(); ++i) {
        ASSIGN_OR_RETURN(
            int64_t day,
            ParseDate((*a)[i], "holidays[" + std::to_string(i) + "]"));
        s.holidays.push_back(day);
      }
      std::sort(s.holidays.begin(), s.holidays.end());
      s.holidays.erase(std::unique(s.holidays.begin(), s.holidays.end()),
                       s.holidays.end());
    } else if (key == "seasonalFactors") {
      ASSIGN_OR_RETURN(s.seasonal_factors, ParseMonthFactors(v, key));
    } else {
      return FieldError(key, "is not a tenant setting");
    }
  }
  return s;
}

boost::json::object CalendarSettingsToJson(const CalendarSettings& s) {
  boost::json::object o;
  if (!s.timezone.empty()) o["timezone"] = s.timezone;
  if (!s.region.empty()) o["region"] = s.region;
  if (!s.currency.empty()) o["currency"] = s.currency;
  if (s.business_hours) o["businessHours"] = WeekHoursToJson(*s.business_hours);
  if (!s.holidays.empty()) {
    boost::json::array days;
    for (int64_t d : s.holidays) days.emplace_back(FormatDate(d));
    o["holidays"] = std::move(days);
  }
  boost::json::object factors;
  for (int m = 0; m < 12; ++m) {
    if (s.seasonal_factors[m]) {
      factors[std::to_string(m + 1)] = *s.seasonal_factors[m];
    }
  }
  if (!factors.empty()) o["seasonalFactors"] = std::move(factors);
  return o;
}

}  // namespace stockpile::domain::calendar
