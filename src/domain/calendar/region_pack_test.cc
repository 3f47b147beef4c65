#include "domain/calendar/region_pack.h"

#include <gtest/gtest.h>

#include "domain/calendar/time_zone.h"

namespace stockpile::domain::calendar {
namespace {

TEST(RegionPackTest, EveryEmbeddedFileParses) {
  ASSERT_FALSE(EmbeddedRegionFiles().empty());
  for (const EmbeddedRegionFile& f : EmbeddedRegionFiles()) {
    core::Result<RegionPack> pack = ParseRegionPack(f.json);
    ASSERT_TRUE(pack.ok()) << f.name << ": " << pack.status().ToString();
    EXPECT_EQ(std::string(f.name), pack->code + ".json");
    EXPECT_TRUE(TimeZone::Locate(pack->default_timezone).ok()) << f.name;
    for (const RegionTimeZone& z : pack->timezones) {
      EXPECT_TRUE(TimeZone::Locate(z.zone).ok()) << f.name << ": " << z.zone;
    }
  }
}

TEST(RegionPackTest, IndonesiaHasItsThreeZonesHoursAndIslamicSeasons) {
  const RegionPack* id = FindRegionPack("ID");
  ASSERT_NE(id, nullptr);
  EXPECT_EQ(id->default_timezone, "Asia/Jakarta");
  EXPECT_EQ(id->currency, "IDR");
  ASSERT_EQ(id->timezones.size(), 3u);
  EXPECT_EQ(id->timezones[0].abbreviation, "WIB");
  EXPECT_EQ(id->timezones[1].zone, "Asia/Makassar");
  EXPECT_EQ(id->timezones[2].zone, "Asia/Jayapura");
  for (int d = 1; d <= 5; ++d) {
    ASSERT_TRUE(id->business_hours[d].has_value()) << d;
    EXPECT_EQ(*id->business_hours[d], (DayHours{9 * 60, 17 * 60}));
  }
  EXPECT_FALSE(id->business_hours[0].has_value());
  EXPECT_FALSE(id->business_hours[6].has_value());
  ASSERT_FALSE(id->seasons.empty());
  EXPECT_EQ(id->seasons[0].name, "ramadan");
  EXPECT_EQ(id->seasons[0].hijri_from, (MonthDay{9, 1}));
  EXPECT_EQ(FindRegionPack("XX"), nullptr);
}

TEST(RegionPackTest, ABadFieldIsNamed) {
  auto bad = ParseRegionPack(
      R"({"region":"ZZ","name":"z","currency":"ZZZ","defaultTimezone":"UTC",)"
      R"("holidays":[{"name":"x","date":"13-01"}]})");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("holidays[0].date"), std::string::npos)
      << bad.status().ToString();
  EXPECT_FALSE(ParseRegionPack("not json").ok());
}

}  // namespace
}  // namespace stockpile::domain::calendar
