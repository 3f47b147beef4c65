// CalendarSettings: a tenant's business calendar as the tenant wrote it
// (GET/PUT /api/v1/tenant/settings; the payload of tenant.settings.updated):
//
//   {"timezone": "Asia/Jakarta", "region": "ID", "currency": "IDR",
//    "businessHours": {"monday": {"open": "09:00", "close": "17:00"}, ...},
//    "holidays": ["2026-08-17"], "seasonalFactors": {"3": 1.2}}
//
// Every field is optional; what is left out comes from the region pack
// (region_pack.h) when a region is set, else the defaults: UTC, no region,
// Monday-Friday 09:00-17:00, no holidays, factor 1 (business_calendar.h).
//
// Thread-safety: plain values and pure functions.
#ifndef STOCKPILE_DOMAIN_CALENDAR_CALENDAR_SETTINGS_H_
#define STOCKPILE_DOMAIN_CALENDAR_CALENDAR_SETTINGS_H_

#include <array>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "domain/calendar/business_hours.h"

namespace stockpile::domain::calendar {

// Index 0 = January; nullopt = not set.
using MonthFactors = std::array<std::optional<double>, 12>;

struct CalendarSettings {
  std::string timezone;  // IANA name; "" = the region's default, else UTC
  std::string region;    // region pack code; "" = none
  std::string currency;  // ISO 4217; "" = the region's
  std::optional<WeekHours> business_hours;  // unset = the region's/default
  std::vector<int64_t> holidays;  // days since 1970-01-01, sorted, unique
  MonthFactors seasonal_factors;  // over the region's

  friend bool operator==(const CalendarSettings&,
                         const CalendarSettings&) = default;
};

// Validates field by field: an unknown field, an unknown time zone or
// region, a currency that is not three capital letters, a bad business
// hour, a holiday that is not a "YYYY-MM-DD" date, a month outside 1..12 or
// a factor that is not a positive number is InvalidArgument whose message
// names the field ("businessHours.monday.close", "seasonalFactors.13").
core::Result<CalendarSettings> ParseCalendarSettings(
    const boost::json::object& body);

// The settings as the tenant wrote them (the fields that are set).
boost::json::object CalendarSettingsToJson(const CalendarSettings& settings);

// {"1": 1.2, ...} with months 1..12 and positive factors; `field` names it.
core::Result<MonthFactors> ParseMonthFactors(const boost::json::value& v,
                                             std::string_view field);

}  // namespace stockpile::domain::calendar

#endif  // STOCKPILE_DOMAIN_CALENDAR_CALENDAR_SETTINGS_H_
