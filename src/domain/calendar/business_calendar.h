// BusinessCalendar: a tenant's settings resolved against its region pack,
// ready to answer for any moment: local time, business hours, holidays,
// seasons and the seasonal demand factor. It is what
// metadata.businessContext of an event is computed from, and what a
// forecast multiplies its baseline by.
//
//   ASSIGN_OR_RETURN(BusinessCalendar cal, BusinessCalendar::Make(settings));
//   boost::json::object ctx = cal.BusinessContext(event.timestamp_ms);
//   // {"timezone": "Asia/Jakarta", "localTime":
//   "2026-02-18T10:00:00.000+07:00",
//   //  "businessHours": true, "region": "ID", "season": ["ramadan"],
//   //  "seasonalFactor": 1.235}
//
// Resolution: timezone = settings, else the region's default, else UTC;
// business hours = settings, else the region's, else Monday-Friday
// 09:00-17:00; holidays = the tenant's dates plus the region's national
// holidays; a month's factor = the tenant's, else the region's, else 1.
// seasonalFactor = the month's factor times the factor of every region
// season (Hijri span) the local date is in. A holiday is never business
// hours.
//
// Thread-safety: immutable after Make; safe to share between threads.
#ifndef STOCKPILE_DOMAIN_CALENDAR_BUSINESS_CALENDAR_H_
#define STOCKPILE_DOMAIN_CALENDAR_BUSINESS_CALENDAR_H_

#include <array>
#include <boost/json/object.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "domain/calendar/business_hours.h"
#include "domain/calendar/calendar_settings.h"
#include "domain/calendar/region_pack.h"
#include "domain/calendar/time_zone.h"

namespace stockpile::domain::calendar {

class BusinessCalendar {
 public:
  // UTC, no region, the default hours.
  BusinessCalendar();

  // NotFound / InvalidArgument for an unknown zone or region (settings
  // that passed ParseCalendarSettings resolve on the same machine).
  static core::Result<BusinessCalendar> Make(const CalendarSettings& settings);

  const TimeZone& time_zone() const { return zone_; }
  const std::string& region() const { return region_; }
  const CalendarSettings& settings() const { return settings_; }
  const WeekHours& hours() const { return hours_; }

  LocalTime Local(int64_t unix_millis) const {
    return zone_.ToLocal(unix_millis);
  }

  // Days below are local dates as days since 1970-01-01.
  bool IsHoliday(int64_t day) const;
  bool IsBusinessDay(int64_t day) const;
  bool InBusinessHours(const LocalTime& t) const;
  // The region seasons `day` is in, in pack order (e.g. {"ramadan"}).
  std::vector<std::string_view> Seasons(int64_t day) const;
  double MonthFactor(int month) const { return month_factors_[month - 1]; }
  double SeasonalFactor(int64_t day) const;

  // metadata.businessContext for an event at `unix_millis`.
  boost::json::object BusinessContext(int64_t unix_millis) const;

 private:
  CalendarSettings settings_;
  TimeZone zone_;
  std::string region_;
  WeekHours hours_;
  std::vector<int64_t> holidays_;  // the tenant's, sorted
  std::vector<RegionHoliday> region_holidays_;
  std::vector<RegionSeason> seasons_;
  std::array<double, 12> month_factors_{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
};

}  // namespace stockpile::domain::calendar

#endif  // STOCKPILE_DOMAIN_CALENDAR_BUSINESS_CALENDAR_H_
