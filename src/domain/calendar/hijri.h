// The Hijri (Islamic) calendar by the arithmetical ("tabular") method:
// 30-year cycles with 11 leap years (2, 5, 7, 10, 13, 16, 18, 21, 24, 26,
// 29), odd months of 30 days and even months of 29 (the 12th of 30 in a
// leap year), epoch Friday 16 July 622 (Julian) — date/islamic.h from
// Howard Hinnant's date library.
//
// Accuracy: the religious calendar follows sighting of the crescent (or,
// in Saudi Arabia's Umm al-Qura calendar, a computed moonset rule), so a
// real month can begin a day earlier or later than the tabular one. For
// Ramadan 1445-1454 (2024-2032) the tabular start is within one day of
// the dates announced by Indonesia's Ministry of Religious Affairs and of
// the Umm al-Qura tables (hijri_test.cc lists them with their sources);
// it drifts by no more than two days in general. Good enough for
// business seasons and forecasts, not for religious use.
//
//   HijriDate h = HijriFromDays(core::DaysFromCivil(2026, 2, 18));  //
//   1447-09-01 std::vector<IslamicPeriod> p = RamadanAndEidAlFitr(2026);
//
// Thread-safety: pure functions.
#ifndef STOCKPILE_DOMAIN_CALENDAR_HIJRI_H_
#define STOCKPILE_DOMAIN_CALENDAR_HIJRI_H_

#include <cstdint>
#include <string>
#include <vector>

namespace stockpile::domain::calendar {

inline constexpr int kRamadan = 9;
inline constexpr int kShawwal = 10;

struct HijriDate {
  int year = 1;
  int month = 1;  // 1..12 (9 = Ramadan, 10 = Shawwal)
  int day = 1;    // 1..30

  friend bool operator==(const HijriDate&, const HijriDate&) = default;
};

// The Hijri date of a Gregorian day (days since 1970-01-01).
HijriDate HijriFromDays(int64_t days);

// Days since 1970-01-01 of a Hijri date; a day past the month's end rolls
// into the next month.
int64_t DaysFromHijri(const HijriDate& date);

// Days in a Hijri month (29 or 30) by the tabular rules.
int HijriMonthLength(int year, int month);

// A named span of days, inclusive, as days since 1970-01-01.
struct IslamicPeriod {
  std::string name;  // "ramadan", "eid_al_fitr"
  int hijri_year = 0;
  int64_t first_day = 0;
  int64_t last_day = 0;
};

// Ramadan (the whole month) and Eid al-Fitr (1 Shawwal; `eid_days` days)
// of every Hijri year whose Ramadan or Eid falls at least partly in the
// Gregorian `year` (a Gregorian year can hold two Ramadans, e.g. 2030),
// in date order.
std::vector<IslamicPeriod> RamadanAndEidAlFitr(int year, int eid_days = 2);

}  // namespace stockpile::domain::calendar

#endif  // STOCKPILE_DOMAIN_CALENDAR_HIJRI_H_
