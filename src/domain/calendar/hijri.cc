#include "domain/calendar/hijri.h"

#include <date/date.h>
#include <date/islamic.h>

#include <chrono>

#include "core/time_format.h"

namespace stockpile::domain::calendar {
namespace {

date::sys_days SysDays(int64_t days) {
  return date::sys_days{date::days{days}};
}

}  // namespace

HijriDate HijriFromDays(int64_t days) {
  const islamic::year_month_day h{SysDays(days)};
  return HijriDate{static_cast<int>(h.year()),
                   static_cast<int>(static_cast<unsigned>(h.month())),
                   static_cast<int>(static_cast<unsigned>(h.day()))};
}

int64_t DaysFromHijri(const HijriDate& d) {
  const islamic::year_month_day first{
      islamic::year{d.year}, islamic::month{static_cast<unsigned>(d.month)},
      islamic::day{1}};
  return date::sys_days{first}.time_since_epoch().count() + d.day - 1;
}

int HijriMonthLength(int year, int month) {
  const islamic::year_month_day_last last{
      islamic::year{year},
      islamic::month_day_last{islamic::month{static_cast<unsigned>(month)}}};
  return static_cast<int>(static_cast<unsigned>(last.day()));
}

std::vector<IslamicPeriod> RamadanAndEidAlFitr(int year, int eid_days) {
  const int64_t jan1 = core::DaysFromCivil(year, 1, 1);
  const int64_t dec31 = core::DaysFromCivil(year, 12, 31);
  std::vector<IslamicPeriod> out;
  // Ramadan of the Hijri year that starts before 1 January, up to that of
  // the year current on 31 December, covers every candidate.
  for (int hy = HijriFromDays(jan1).year - 1; hy <= HijriFromDays(dec31).year;
       ++hy) {
    const int64_t ramadan = DaysFromHijri({hy, kRamadan, 1});
    const int64_t eid = DaysFromHijri({hy, kShawwal, 1});
    const IslamicPeriod candidates[] = {
        {"ramadan", hy, ramadan, eid - 1},
        {"eid_al_fitr", hy, eid, eid + eid_days - 1}};
    for (const IslamicPeriod& p : candidates) {
      if (p.last_day >= jan1 && p.first_day <= dec31) out.push_back(p);
    }
  }
  return out;
}

}  // namespace stockpile::domain::calendar
