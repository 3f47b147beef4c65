#include "domain/calendar/business_days.h"

#include <gtest/gtest.h>

#include "core/time_format.h"
#include "domain/calendar/calendar_test_util.h"

namespace stockpile::domain::calendar {
namespace {

int64_t Day(int y, unsigned m, unsigned d) {
  return core::DaysFromCivil(y, m, d);
}

using testing::CalendarFromJson;

int64_t Add(const BusinessCalendar& cal, int64_t day, int64_t n) {
  core::Result<int64_t> due = AddBusinessDays(cal, day, n);
  EXPECT_TRUE(due.ok()) << due.status();
  return due.value_or(-1);
}

TEST(BusinessDaysTest, WeekendsDoNotCountAndTheStartDayNeverDoes) {
  BusinessCalendar cal;  // Monday-Friday, no holidays
  const int64_t friday = Day(2026, 3, 13);
  EXPECT_EQ(Add(cal, friday, 0), friday);
  EXPECT_EQ(Add(cal, friday, 1), Day(2026, 3, 16));  // Monday
  EXPECT_EQ(Add(cal, friday, 5), Day(2026, 3, 20));  // next Friday
  EXPECT_EQ(Add(cal, friday, 6), Day(2026, 3, 23));
  const int64_t saturday = Day(2026, 3, 14);
  EXPECT_EQ(Add(cal, saturday, 1), Day(2026, 3, 16));
  EXPECT_EQ(Add(cal, Day(2026, 3, 16), 10), Day(2026, 3, 30));
}

TEST(BusinessDaysTest, IndonesiaSkipsEidAlFitrComputedFromTheHijriCalendar) {
  BusinessCalendar id = CalendarFromJson(R"({"region": "ID"})");
  const int64_t friday = Day(2026, 3, 13);
  // 1 Shawwal 1447 (tabular) is Friday 20 March 2026, a holiday; the
  // second day of Eid is the Saturday.
  EXPECT_FALSE(id.IsBusinessDay(Day(2026, 3, 20)));
  EXPECT_EQ(Add(id, friday, 4), Day(2026, 3, 19));
  EXPECT_EQ(Add(id, friday, 5), Day(2026, 3, 23));
  // Without the region the same lead time ends on the Friday.
  EXPECT_EQ(Add(BusinessCalendar(), friday, 5), Day(2026, 3, 20));
  // Independence Day (17 August 2026, a Monday) does not count either.
  EXPECT_EQ(Add(id, Day(2026, 8, 14), 1), Day(2026, 8, 18));
}

TEST(BusinessDaysTest, TheTenantsOwnHolidaysAndHoursCount) {
  BusinessCalendar cal = CalendarFromJson(R"({
    "holidays": ["2026-03-16"],
    "businessHours": {"monday": {"open": "09:00", "close": "17:00"},
                      "saturday": {"open": "10:00", "close": "14:00"}}})");
  // Open Mondays and Saturdays only; Monday 16 March is a holiday.
  EXPECT_EQ(Add(cal, Day(2026, 3, 13), 1), Day(2026, 3, 14));  // Saturday
  EXPECT_EQ(Add(cal, Day(2026, 3, 14), 1), Day(2026, 3, 21));
  EXPECT_EQ(Add(cal, Day(2026, 3, 14), 2), Day(2026, 3, 23));
}

TEST(BusinessDaysTest, RefusesANegativeLeadTimeAndACalendarThatNeverOpens) {
  BusinessCalendar cal;
  EXPECT_EQ(AddBusinessDays(cal, Day(2026, 1, 1), -1).status().code(),
            core::StatusCode::kInvalidArgument);
  BusinessCalendar closed = CalendarFromJson(R"({"businessHours": {}})");
  EXPECT_EQ(AddBusinessDays(closed, Day(2026, 1, 1), 1).status().code(),
            core::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace stockpile::domain::calendar
