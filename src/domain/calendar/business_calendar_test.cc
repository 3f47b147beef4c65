#include "domain/calendar/business_calendar.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "core/time_format.h"
#include "domain/calendar/calendar_test_util.h"

namespace stockpile::domain::calendar {
namespace {

int64_t Utc(std::string_view rfc3339) {
  return core::ParseRfc3339Millis(rfc3339).value();
}

BusinessCalendar Make(std::string_view json) {
  return testing::CalendarFromJson(json);
}

bool Open(const BusinessCalendar& cal, std::string_view rfc3339) {
  return cal.InBusinessHours(cal.Local(Utc(rfc3339)));
}

TEST(BusinessCalendarTest, TheDefaultIsUtcMondayToFridayNineToFive) {
  BusinessCalendar cal;
  boost::json::object ctx = cal.BusinessContext(Utc("2026-02-09T12:00:00Z"));
  EXPECT_EQ(ctx.at("timezone"), "UTC");
  EXPECT_EQ(ctx.at("localTime"), "2026-02-09T12:00:00.000+00:00");
  EXPECT_EQ(ctx.at("businessHours"), true);
  EXPECT_TRUE(ctx.at("region").is_null());
  EXPECT_TRUE(ctx.at("season").as_array().empty());
  EXPECT_EQ(ctx.at("seasonalFactor"), 1.0);
  EXPECT_FALSE(Open(cal, "2026-02-09T17:00:00Z"));
  EXPECT_FALSE(Open(cal, "2026-02-08T12:00:00Z"));  // a Sunday
}

TEST(BusinessCalendarTest, BusinessHoursAroundLocalMidnight) {
  // Jakarta is UTC+7: Friday 23:59:59.999 WIB is 16:59:59.999Z.
  BusinessCalendar cal = Make(R"({"timezone": "Asia/Jakarta",
      "businessHours": {"friday": {"open": "20:00", "close": "24:00"},
                        "sunday": {"open": "00:00", "close": "06:00"}}})");
  EXPECT_TRUE(Open(cal, "2026-02-20T16:59:59.999Z"));
  EXPECT_FALSE(Open(cal, "2026-02-20T17:00:00Z"));  // Saturday 00:00 WIB
  EXPECT_EQ(
      cal.BusinessContext(Utc("2026-02-20T16:59:59.999Z")).at("localTime"),
      "2026-02-20T23:59:59.999+07:00");
  EXPECT_FALSE(Open(cal, "2026-02-21T16:59:59.999Z"));  // Saturday 23:59
  EXPECT_TRUE(Open(cal, "2026-02-21T17:00:00Z"));       // Sunday 00:00
  EXPECT_FALSE(Open(cal, "2026-02-20T12:59:59Z"));      // Friday 19:59
  EXPECT_TRUE(Open(cal, "2026-02-20T13:00:00Z"));       // Friday 20:00
}

TEST(BusinessCalendarTest, BusinessHoursAcrossDstInBerlin) {
  // Berlin springs forward on Sunday 2026-03-29 at 01:00Z (02:00 CET ->
  // 03:00 CEST).
  BusinessCalendar cal = Make(R"({"timezone": "Europe/Berlin",
      "businessHours": {"monday": {"open": "09:00", "close": "17:00"},
                        "friday": {"open": "09:00", "close": "17:00"},
                        "sunday": {"open": "01:00", "close": "02:30"}}})");
  EXPECT_FALSE(Open(cal, "2026-03-27T07:30:00Z"));  // Friday 08:30 CET
  EXPECT_TRUE(Open(cal, "2026-03-27T08:00:00Z"));   // Friday 09:00 CET
  EXPECT_TRUE(Open(cal, "2026-03-30T07:30:00Z"));   // Monday 09:30 CEST
  EXPECT_FALSE(Open(cal, "2026-03-30T15:00:00Z"));  // Monday 17:00 CEST
  EXPECT_TRUE(Open(cal, "2026-03-29T00:59:00Z"));   // 01:59 CET
  EXPECT_FALSE(Open(cal, "2026-03-29T01:00:00Z"));  // 03:00 CEST
  EXPECT_EQ(cal.BusinessContext(Utc("2026-03-29T01:00:00Z")).at("localTime"),
            "2026-03-29T03:00:00.000+02:00");
}

TEST(BusinessCalendarTest, BusinessHoursAcrossDstInNewYork) {
  // New York falls back on Sunday 2026-11-01 at 06:00Z (02:00 EDT -> 01:00
  // EST).
  BusinessCalendar cal = Make(R"({"timezone": "America/New_York"})");
  EXPECT_TRUE(Open(cal, "2026-10-30T13:30:00Z"));   // Friday 09:30 EDT
  EXPECT_FALSE(Open(cal, "2026-11-02T13:30:00Z"));  // Monday 08:30 EST
  EXPECT_TRUE(Open(cal, "2026-11-02T14:00:00Z"));   // Monday 09:00 EST
  EXPECT_TRUE(Open(cal, "2026-11-02T21:59:00Z"));   // Monday 16:59 EST
  EXPECT_FALSE(Open(cal, "2026-10-30T21:00:00Z"));  // Friday 17:00 EDT
}

TEST(BusinessCalendarTest, IndonesiaHolidaysRamadanAndFactors) {
  BusinessCalendar cal = Make(R"({"region": "ID", "holidays": ["2026-03-02"],
      "seasonalFactors": {"12": 2.0}})");
  EXPECT_EQ(cal.time_zone().name(), "Asia/Jakarta");
  // Independence Day (a Monday) and Eid al-Fitr are holidays.
  EXPECT_FALSE(Open(cal, "2026-08-17T03:00:00Z"));
  EXPECT_TRUE(Open(cal, "2026-08-18T03:00:00Z"));
  EXPECT_TRUE(cal.IsHoliday(core::DaysFromCivil(2026, 3, 20)));  // 1 Shawwal
  EXPECT_FALSE(cal.IsBusinessDay(core::DaysFromCivil(2026, 3, 2)));  // tenant's
  EXPECT_TRUE(cal.IsBusinessDay(core::DaysFromCivil(2026, 3, 3)));
  // 1 Ramadan 1447 (tabular) is 18 February 2026 in Jakarta; 17 February
  // 17:00Z is already the 18th there.
  boost::json::object ctx = cal.BusinessContext(Utc("2026-02-17T17:00:00Z"));
  EXPECT_EQ(ctx.at("region"), "ID");
  ASSERT_EQ(ctx.at("season").as_array().size(), 1u);
  EXPECT_EQ(ctx.at("season").as_array()[0], "ramadan");
  EXPECT_DOUBLE_EQ(ctx.at("seasonalFactor").as_double(), 0.95 * 1.3);
  EXPECT_TRUE(cal.BusinessContext(Utc("2026-02-17T16:59:59Z"))
                  .at("season")
                  .as_array()
                  .empty());
  EXPECT_DOUBLE_EQ(cal.SeasonalFactor(core::DaysFromCivil(2026, 12, 1)), 2.0);
  EXPECT_EQ(cal.Seasons(core::DaysFromCivil(2026, 3, 22)),
            (std::vector<std::string_view>{"eid_al_fitr"}));
}

TEST(BusinessCalendarTest, AZoneOtherThanTheRegionsDefaultIsKept) {
  BusinessCalendar cal =
      Make(R"({"region": "ID", "timezone": "Asia/Jayapura"})");
  EXPECT_EQ(cal.BusinessContext(Utc("2026-02-09T00:00:00Z")).at("localTime"),
            "2026-02-09T09:00:00.000+09:00");
  EXPECT_TRUE(Open(cal, "2026-02-09T00:00:00Z"));  // Monday 09:00 WIT
}

}  // namespace
}  // namespace stockpile::domain::calendar
