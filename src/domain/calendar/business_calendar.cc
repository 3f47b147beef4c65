#include "domain/calendar/business_calendar.h"

#include <algorithm>
#include <boost/json/array.hpp>

#include "core/status_macros.h"
#include "core/time_format.h"
#include "domain/calendar/hijri.h"

namespace stockpile::domain::calendar {
namespace {

bool InSeason(const RegionSeason& s, const HijriDate& h) {
  const MonthDay md{h.month, h.day};
  return !(md < s.hijri_from) && !(s.hijri_to < md);
}

int MonthOf(int64_t day) {
  int64_t y = 0;
  unsigned m = 0;
  unsigned d = 0;
  core::CivilFromDays(day, y, m, d);
  return static_cast<int>(m);
}

}  // namespace

BusinessCalendar::BusinessCalendar()
    : zone_(TimeZone::Utc()), hours_(DefaultWeekHours()) {}

core::Result<BusinessCalendar> BusinessCalendar::Make(
    const CalendarSettings& settings) {
  BusinessCalendar cal;
  cal.settings_ = settings;
  const RegionPack* pack = nullptr;
  if (!settings.region.empty()) {
    pack = FindRegionPack(settings.region);
    if (pack == nullptr) {
      return core::InvalidArgumentError("unknown region '" + settings.region +
                                        "'");
    }
    cal.region_ = pack->code;
    cal.hours_ = pack->business_hours;
    cal.region_holidays_ = pack->holidays;
    cal.seasons_ = pack->seasons;
    cal.month_factors_ = pack->seasonal_factors;
  }
  std::string zone = settings.timezone;
  if (zone.empty() && pack != nullptr) zone = pack->default_timezone;
  if (!zone.empty()) {
    ASSIGN_OR_RETURN(cal.zone_, TimeZone::Locate(zone));
  }
  if (settings.business_hours) cal.hours_ = *settings.business_hours;
  cal.holidays_ = settings.holidays;
  std::sort(cal.holidays_.begin(), cal.holidays_.end());
  for (int m = 0; m < 12; ++m) {
    if (settings.seasonal_factors[m]) {
      cal.month_factors_[m] = *settings.seasonal_factors[m];
    }
  }
  return cal;
}

bool BusinessCalendar::IsHoliday(int64_t day) const {
  if (std::binary_search(holidays_.begin(), holidays_.end(), day)) return true;
  if (region_holidays_.empty()) return false;
  int64_t y = 0;
  unsigned m = 0;
  unsigned d = 0;
  core::CivilFromDays(day, y, m, d);
  const MonthDay gregorian{static_cast<int>(m), static_cast<int>(d)};
  const HijriDate h = HijriFromDays(day);
  const MonthDay hijri{h.month, h.day};
  return std::any_of(region_holidays_.begin(), region_holidays_.end(),
                     [&](const RegionHoliday& r) {
                       return r.date == (r.hijri ? hijri : gregorian);
                     });
}

bool BusinessCalendar::IsBusinessDay(int64_t day) const {
  return hours_[WeekdayOfDays(day)].has_value() && !IsHoliday(day);
}

bool BusinessCalendar::InBusinessHours(const LocalTime& t) const {
  const std::optional<DayHours>& h = hours_[t.weekday];
  return h && t.minute_of_day >= h->open_minute &&
         t.minute_of_day < h->close_minute && !IsHoliday(t.days);
}

std::vector<std::string_view> BusinessCalendar::Seasons(int64_t day) const {
  std::vector<std::string_view> out;
  if (seasons_.empty()) return out;
  const HijriDate h = HijriFromDays(day);
  for (const RegionSeason& s : seasons_) {
    if (InSeason(s, h)) out.push_back(s.name);
  }
  return out;
}

double BusinessCalendar::SeasonalFactor(int64_t day) const {
  double factor = month_factors_[MonthOf(day) - 1];
  if (seasons_.empty()) return factor;
  const HijriDate h = HijriFromDays(day);
  for (const RegionSeason& s : seasons_) {
    if (InSeason(s, h)) factor *= s.factor;
  }
  return factor;
}

boost::json::object BusinessCalendar::BusinessContext(
    int64_t unix_millis) const {
  const LocalTime t = zone_.ToLocal(unix_millis);
  boost::json::array season;
  for (std::string_view name : Seasons(t.days)) season.emplace_back(name);
  boost::json::object ctx;
  ctx.reserve(6);
  ctx["timezone"] = zone_.name();
  ctx["localTime"] = FormatLocalTime(t);
  ctx["businessHours"] = InBusinessHours(t);
  ctx["region"] = region_.empty() ? boost::json::value(nullptr)
                                  : boost::json::value(region_);
  ctx["season"] = std::move(season);
  ctx["seasonalFactor"] = SeasonalFactor(t.days);
  return ctx;
}

}  // namespace stockpile::domain::calendar
