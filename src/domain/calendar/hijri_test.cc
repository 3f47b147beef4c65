#include "domain/calendar/hijri.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>

#include "core/time_format.h"

namespace stockpile::domain::calendar {
namespace {

int64_t Day(int y, unsigned m, unsigned d) {
  return core::DaysFromCivil(y, m, d);
}

struct Announced {
  int hijri_year;
  int64_t ramadan1;
  const char* source;
};

// 1 Ramadan as announced (a day starts at sunset before it; these are the
// first fasting days). Sources, and how each was checked on this machine
// (no internet; only package archives):
// - 2024-03-12 (1445): Indonesia, Ministry of Religious Affairs (Kemenag),
//   sidang isbat of 10 March 2024; Saudi Arabia and Indonesia's
//   Muhammadiyah: 11 March. From memory; the Umm al-Qura table (below)
//   gives 11 March, the new-moon computation below 11 March.
// - 2025-03-01 (1446): Kemenag sidang isbat of 28 February 2025; Saudi
//   Arabia the same day. From memory; Umm al-Qura table: 1 March.
// - 2026-02-19 (1447): Kemenag sidang isbat of 17 February 2026 (Saudi
//   Arabia and Muhammadiyah: 18 February). From memory; Umm al-Qura table:
//   18 February (the conjunction was the annular eclipse of 17 February).
// - 1448-1454 (2027-2032): not yet announced by any sighting; the dates
//   are Saudi Arabia's published Umm al-Qura calendar, checked against the
//   table shipped in the npm package @tabby_ai/hijri-converter 1.0.5 (a
//   port of M. Alshehri's hijri-converter, whose table is the official
//   Umm al-Qura one, 1343-1500 AH); all seven dates agree with it.
// Independently, RamadanByNewMoon (below) computes each start from the
// astronomical new moon (J. Meeus, Astronomical Algorithms, 2nd ed.,
// ch. 49) and a simple visibility rule; the test checks every date here is
// within one day of it, so a mistyped date cannot pass unnoticed.
const Announced kAnnounced[] = {
    {1445, Day(2024, 3, 12), "Kemenag"},
    {1446, Day(2025, 3, 1), "Kemenag"},
    {1447, Day(2026, 2, 19), "Kemenag"},
    {1448, Day(2027, 2, 8), "Umm al-Qura"},
    {1449, Day(2028, 1, 28), "Umm al-Qura"},
    {1450, Day(2029, 1, 16), "Umm al-Qura"},
    {1451, Day(2030, 1, 5), "Umm al-Qura"},
    {1452, Day(2030, 12, 26), "Umm al-Qura"},
    {1453, Day(2031, 12, 15), "Umm al-Qura"},
    {1454, Day(2032, 12, 4), "Umm al-Qura"},
};

// The day (since 1970-01-01, UTC) of the true new moon (conjunction) of
// lunation `k` (k = 0: 6 January 2000), by Meeus ch. 49 without the small
// planetary terms: within about a minute of the published times (for
// example 2024-03-10 09:00 UTC, 2026-02-17 12:01 UTC), well under what a
// test about whole days needs.
double NewMoonUnixDays(int k) {
  constexpr double kRad = 3.14159265358979323846 / 180;
  const double t = k / 1236.85;
  const double jde = 2451550.09766 + 29.530588861 * k + 0.00015437 * t * t -
                     0.000000150 * t * t * t + 0.00000000073 * t * t * t * t;
  const double e = 1 - 0.002516 * t - 0.0000074 * t * t;
  const double m = (2.5534 + 29.10535670 * k - 0.0000014 * t * t) * kRad;
  const double mp = (201.5643 + 385.81693528 * k + 0.0107582 * t * t) * kRad;
  const double f = (160.7108 + 390.67050284 * k - 0.0016118 * t * t) * kRad;
  const double om = (124.7746 - 1.56375588 * k + 0.0020672 * t * t) * kRad;
  const double correction =
      -0.40720 * std::sin(mp) + 0.17241 * e * std::sin(m) +
      0.01608 * std::sin(2 * mp) + 0.01039 * std::sin(2 * f) +
      0.00739 * e * std::sin(mp - m) - 0.00514 * e * std::sin(mp + m) +
      0.00208 * e * e * std::sin(2 * m) - 0.00111 * std::sin(mp - 2 * f) -
      0.00057 * std::sin(mp + 2 * f) + 0.00056 * e * std::sin(2 * mp + m) -
      0.00042 * std::sin(3 * mp) + 0.00042 * e * std::sin(m + 2 * f) +
      0.00038 * e * std::sin(m - 2 * f) - 0.00024 * e * std::sin(2 * mp - m) -
      0.00017 * std::sin(om) - 0.00007 * std::sin(mp + 2 * m) +
      0.00004 * std::sin(2 * mp - 2 * f) + 0.00004 * std::sin(3 * m) +
      0.00003 * std::sin(mp + m - 2 * f) + 0.00003 * std::sin(2 * mp + 2 * f) -
      0.00003 * std::sin(mp + m + 2 * f) + 0.00003 * std::sin(mp - m + 2 * f) -
      0.00002 * std::sin(mp - m - 2 * f) - 0.00002 * std::sin(3 * mp + m) +
      0.00002 * std::sin(4 * mp);
  return jde + correction - 2440587.5;  // JD of 1970-01-01T00:00Z
}

// 1 Ramadan by the new moon nearest before `near` and the rule of Saudi
// Arabia's Umm al-Qura calendar without its moonset test: the month starts
// the day after the conjunction when the conjunction is before sunset in
// Mecca (taken as 15:30 UTC), else a day later.
int64_t RamadanByNewMoon(int64_t near) {
  constexpr double kEpoch = 2451550.09766 - 2440587.5;
  const int k = static_cast<int>(
      std::lround((static_cast<double>(near) - 1.5 - kEpoch) / 29.530588861));
  const double conjunction = NewMoonUnixDays(k);
  const int64_t day = static_cast<int64_t>(std::floor(conjunction));
  const double utc_hour = (conjunction - static_cast<double>(day)) * 24;
  return day + (utc_hour < 15.5 ? 1 : 2);
}

TEST(HijriTest, NewMoonMatchesPublishedConjunctions) {
  // 2024-03-10 09:00 UTC and 2026-02-17 12:01 UTC (the annular eclipse).
  EXPECT_NEAR(NewMoonUnixDays(299) - Day(2024, 3, 10), 9.0 / 24, 0.01);
  EXPECT_NEAR(NewMoonUnixDays(323) - Day(2026, 2, 17), 12.0 / 24, 0.01);
}

TEST(HijriTest, AnnouncedDatesAgreeWithTheNewMoonWithinOneDay) {
  for (const Announced& a : kAnnounced) {
    const int64_t astronomical = RamadanByNewMoon(a.ramadan1);
    EXPECT_LE(std::llabs(astronomical - a.ramadan1), 1)
        << "Ramadan " << a.hijri_year << " (" << a.source << "): new moon "
        << astronomical - a.ramadan1 << " days off";
    EXPECT_LE(
        std::llabs(DaysFromHijri({a.hijri_year, kRamadan, 1}) - astronomical),
        1)
        << "tabular Ramadan " << a.hijri_year;
  }
}

TEST(HijriTest, RamadanStartIsWithinOneDayOfTheAnnouncedDate2024To2032) {
  for (const Announced& a : kAnnounced) {
    const int64_t computed = DaysFromHijri({a.hijri_year, kRamadan, 1});
    EXPECT_LE(std::llabs(computed - a.ramadan1), 1)
        << "Ramadan " << a.hijri_year << " (" << a.source << ")";
  }
}

TEST(HijriTest, RamadanAndEidOfEachGregorianYearMatchTheAnnouncements) {
  for (int year = 2024; year <= 2032; ++year) {
    std::vector<IslamicPeriod> periods = RamadanAndEidAlFitr(year);
    int ramadans = 0;
    for (const IslamicPeriod& p : periods) {
      if (p.name != "ramadan" || p.first_day < Day(year, 1, 1)) continue;
      ++ramadans;
      bool matched = false;
      for (const Announced& a : kAnnounced) {
        if (a.hijri_year == p.hijri_year) {
          matched = std::llabs(p.first_day - a.ramadan1) <= 1;
        }
      }
      EXPECT_TRUE(matched) << "Ramadan " << p.hijri_year << " in " << year;
      EXPECT_EQ(p.last_day - p.first_day + 1, 30);  // Ramadan is odd: 30 days
    }
    // 2030 holds two Ramadan starts (5 January and 26 December).
    EXPECT_EQ(ramadans, year == 2030 ? 2 : 1) << year;
  }
}

TEST(HijriTest, EidAlFitrFollowsRamadan) {
  std::vector<IslamicPeriod> p = RamadanAndEidAlFitr(2025);
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[0].name, "ramadan");
  EXPECT_EQ(p[1].name, "eid_al_fitr");
  EXPECT_EQ(p[1].first_day, p[0].last_day + 1);
  EXPECT_EQ(p[1].first_day, Day(2025, 3, 31));  // Kemenag: 31 March 2025
  EXPECT_EQ(p[1].last_day, Day(2025, 4, 1));
}

TEST(HijriTest, ConversionRoundTripsAndKnownDates) {
  EXPECT_EQ(HijriFromDays(Day(2026, 2, 18)), (HijriDate{1447, 9, 1}));
  for (int64_t d = Day(2020, 1, 1); d < Day(2035, 1, 1); d += 7) {
    EXPECT_EQ(DaysFromHijri(HijriFromDays(d)), d);
  }
  EXPECT_EQ(HijriMonthLength(1447, 9), 30);
  EXPECT_EQ(HijriMonthLength(1447, 10), 29);
}

}  // namespace
}  // namespace stockpile::domain::calendar
