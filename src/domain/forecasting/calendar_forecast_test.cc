#include "domain/forecasting/calendar_forecast.h"

#include <gtest/gtest.h>

#include <cmath>
#include <span>
#include <string>
#include <vector>

#include "core/time_format.h"
#include "domain/calendar/calendar_settings.h"
#include "domain/calendar/hijri.h"
#include "domain/forecasting/holdout_error.h"

namespace stockpile::domain::forecasting {
namespace {

// A synthetic series on the Indonesia calendar: a weekly pattern around 20
// units a day, times the region's Ramadan uplift (x1.3) during Ramadan
// 1447 (18 Feb - 19 Mar 2026 by the tabular calendar), no other effects.
// The holdout is the first 14 days of Ramadan; the history ends the day
// before it.
TEST(CalendarForecastTest, ARamadanUpliftIsForecastBetterWithTheCalendar) {
  calendar::CalendarSettings settings;
  settings.region = "ID";
  for (auto& f : settings.seasonal_factors) f = 1.0;  // isolate Ramadan
  auto cal = calendar::BusinessCalendar::Make(settings);
  ASSERT_TRUE(cal.ok()) << cal.status();
  const int64_t ramadan =
      calendar::DaysFromHijri({1447, calendar::kRamadan, 1});
  ASSERT_EQ(ramadan, core::DaysFromCivil(2026, 2, 18));
  const int history_days = 70;
  const int64_t first_day = ramadan - history_days;
  const double weekly[7] = {14, 22, 21, 20, 23, 26, 18};
  std::vector<double> series;
  for (int64_t d = first_day; d < ramadan + 14; ++d) {
    const bool in_ramadan =
        calendar::HijriFromDays(d).month == calendar::kRamadan;
    double v = weekly[((d % 7) + 7) % 7] * (in_ramadan ? 1.3 : 1.0);
    if (cal->IsHoliday(d)) v = 0;  // e.g. Isra and Mi'raj, 16 Jan 2026
    series.push_back(v);
  }
  const std::span<const double> history(series.data(), history_days);
  const std::span<const double> actual(series.data() + history_days, 14);

  auto plain = ForecastDemand(history, 14, std::nullopt);
  auto with_calendar =
      ForecastWithCalendar(history, first_day, 14, *cal, std::nullopt);
  ASSERT_TRUE(plain.ok()) << plain.status();
  ASSERT_TRUE(with_calendar.ok()) << with_calendar.status();
  const double plain_error = HoldoutError(actual, plain->daily);
  const double calendar_error = HoldoutError(actual, with_calendar->daily);
  RecordProperty("plain_wape", std::to_string(plain_error));
  RecordProperty("calendar_wape", std::to_string(calendar_error));
  EXPECT_LT(calendar_error, plain_error) << "with calendar " << calendar_error
                                         << "%, without " << plain_error << "%";
  EXPECT_GT(plain_error, 15);     // the plain model misses the uplift
  EXPECT_LT(calendar_error, 10);  // the calendar puts it back
}

}  // namespace
}  // namespace stockpile::domain::forecasting
