#include "domain/calendar/calendar_settings.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "core/time_format.h"

namespace stockpile::domain::calendar {
namespace {

core::Result<CalendarSettings> Parse(std::string_view json) {
  return ParseCalendarSettings(boost::json::parse(json).as_object());
}

// The message of a refused body, which must name `field`.
void ExpectRefused(std::string_view json, std::string_view field) {
  auto s = Parse(json);
  ASSERT_FALSE(s.ok()) << json;
  EXPECT_EQ(s.status().code(), core::StatusCode::kInvalidArgument);
  EXPECT_NE(s.status().message().find("'" + std::string(field) + "'"),
            std::string::npos)
      << json << " -> " << s.status().ToString();
}

TEST(CalendarSettingsTest, TheIssuesExampleParsesAndRoundTrips) {
  auto s = Parse(R"({"timezone": "Asia/Jakarta", "region": "ID",
      "currency": "IDR",
      "businessHours": {"monday": {"open": "09:00", "close": "17:00"},
                        "saturday": {"open": "10:00", "close": "24:00"}},
      "holidays": ["2026-08-17", "2026-01-01"], "seasonalFactors": {"3": 1.2}})");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->timezone, "Asia/Jakarta");
  ASSERT_TRUE(s->business_hours.has_value());
  EXPECT_EQ((*s->business_hours)[1], (DayHours{540, 1020}));
  EXPECT_EQ((*s->business_hours)[6], (DayHours{600, 1440}));
  EXPECT_FALSE((*s->business_hours)[2].has_value());
  ASSERT_EQ(s->holidays.size(), 2u);
  EXPECT_EQ(s->holidays[0], core::DaysFromCivil(2026, 1, 1));  // sorted
  EXPECT_EQ(s->seasonal_factors[2], 1.2);
  EXPECT_FALSE(s->seasonal_factors[3].has_value());

  auto again = ParseCalendarSettings(CalendarSettingsToJson(*s));
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(*again, *s);
}

TEST(CalendarSettingsTest, EachBadFieldIsRefusedByName) {
  ExpectRefused(R"({"timezone": "Asia/Atlantis"})", "timezone");
  ExpectRefused(R"({"timezone": 7})", "timezone");
  ExpectRefused(R"({"region": "XX"})", "region");
  ExpectRefused(R"({"currency": "rupiah"})", "currency");
  ExpectRefused(
      R"({"businessHours": {"monday": {"open": "9:00", "close": "17:00"}}})",
      "businessHours.monday.open");
  ExpectRefused(
      R"({"businessHours": {"monday": {"open": "09:00", "close": "25:00"}}})",
      "businessHours.monday.close");
  ExpectRefused(
      R"({"businessHours": {"monday": {"open": "09:60", "close": "17:00"}}})",
      "businessHours.monday.open");
  ExpectRefused(
      R"({"businessHours": {"friday": {"open": "17:00", "close": "09:00"}}})",
      "businessHours.friday.close");
  ExpectRefused(
      R"({"businessHours": {"friday": {"open": "09:00", "close": "09:00"}}})",
      "businessHours.friday.close");
  ExpectRefused(R"({"businessHours": {"funday": null}})",
                "businessHours.funday");
  ExpectRefused(R"({"businessHours": {"monday": {"open": "09:00"}}})",
                "businessHours.monday.close");
  ExpectRefused(R"({"holidays": ["2026-02-30"]})", "holidays[0]");
  ExpectRefused(R"({"holidays": ["2026-08-17", "17/08/2026"]})", "holidays[1]");
  ExpectRefused(R"({"seasonalFactors": {"13": 1.1}})", "seasonalFactors.13");
  ExpectRefused(R"({"seasonalFactors": {"0": 1.1}})", "seasonalFactors.0");
  ExpectRefused(R"({"seasonalFactors": {"3": -1}})", "seasonalFactors.3");
  ExpectRefused(R"({"seasonalFactors": {"3": "high"}})", "seasonalFactors.3");
  ExpectRefused(R"({"timeZone": "UTC"})", "timeZone");
}

TEST(CalendarSettingsTest, AnEmptyBodyIsAllDefaults) {
  auto s = Parse("{}");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(*s, CalendarSettings{});
  EXPECT_TRUE(CalendarSettingsToJson(*s).empty());
}

}  // namespace
}  // namespace stockpile::domain::calendar
