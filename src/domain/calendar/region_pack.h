// RegionPack: a region's calendar defaults, read from a data file
// (data/regions/<CODE>.json, compiled into the binary by
// cmake/EmbedRegionPacks.cmake): its time zones, default business hours,
// national holidays (fixed Gregorian dates and Hijri dates, the latter
// computed for any year with hijri.h), Hijri seasons (Ramadan, Eid) with
// their demand factor, and a seasonal factor per month.
//
//   const RegionPack* id = FindRegionPack("ID");  // Indonesia
//   id->default_timezone;                          // "Asia/Jakarta"
//
// Thread-safety: the embedded packs are parsed once (a function-local
// static) and immutable afterwards.
#ifndef STOCKPILE_DOMAIN_CALENDAR_REGION_PACK_H_
#define STOCKPILE_DOMAIN_CALENDAR_REGION_PACK_H_

#include <array>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "domain/calendar/business_hours.h"

namespace stockpile::domain::calendar {

struct MonthDay {
  int month = 1;  // 1..12
  int day = 1;    // 1..31 (Gregorian) or 1..30 (Hijri)

  friend bool operator==(const MonthDay&, const MonthDay&) = default;
  friend bool operator<(const MonthDay& a, const MonthDay& b) {
    return a.month != b.month ? a.month < b.month : a.day < b.day;
  }
};

struct RegionHoliday {
  std::string name;
  MonthDay date;
  bool hijri = false;  // date is a Hijri month and day
};

// A span of Hijri days within one Hijri year, inclusive.
struct RegionSeason {
  std::string name;  // e.g. "ramadan"
  MonthDay hijri_from;
  MonthDay hijri_to;
  double factor = 1.0;  // demand multiplier while it lasts
};

struct RegionTimeZone {
  std::string zone;          // IANA name
  std::string abbreviation;  // e.g. "WIB"
};

struct RegionPack {
  std::string code;  // ISO 3166-1 alpha-2, e.g. "ID"
  std::string name;
  std::string currency;
  std::string default_timezone;
  std::vector<RegionTimeZone> timezones;
  WeekHours business_hours;
  std::vector<RegionHoliday> holidays;
  std::vector<RegionSeason> seasons;
  std::array<double, 12> seasonal_factors{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
};

// Parses a region pack file; InvalidArgument naming the bad field. Its
// zone names are not looked up here (a machine without tzdata still
// starts); region_pack_test checks them, BusinessCalendar::Make uses them.
core::Result<RegionPack> ParseRegionPack(std::string_view json);

// The embedded pack for `code`, or nullptr.
const RegionPack* FindRegionPack(std::string_view code);

// Every embedded pack, by code.
std::span<const RegionPack> RegionPacks();

// The embedded data files as (file name, contents); generated.
struct EmbeddedRegionFile {
  std::string_view name;
  std::string_view json;
};
std::span<const EmbeddedRegionFile> EmbeddedRegionFiles();

}  // namespace stockpile::domain::calendar

#endif  // STOCKPILE_DOMAIN_CALENDAR_REGION_PACK_H_
