#include "domain/calendar/region_pack.h"

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <charconv>
#include <system_error>

#include "core/check.h"
#include "core/status_macros.h"
#include "domain/calendar/calendar_settings.h"

namespace stockpile::domain::calendar {
namespace {

core::Status FieldError(std::string_view field, std::string_view what) {
  return core::InvalidArgumentError("region pack: '" + std::string(field) +
                                    "' " + std::string(what));
}

core::Result<std::string> String(const boost::json::object& o,
                                 std::string_view key, std::string_view field) {
  const boost::json::value* v = o.if_contains(key);
  if (v == nullptr || !v->is_string()) {
    return FieldError(field, "must be a string");
  }
  return std::string(v->get_string());
}

// "MM-DD"; `max_day` 31 for Gregorian, 30 for Hijri dates.
core::Result<MonthDay> ParseMonthDay(std::string_view s, int max_day,
                                     std::string_view field) {
  MonthDay md;
  if (s.size() != 5 || s[2] != '-' ||
      std::from_chars(s.data(), s.data() + 2, md.month).ptr != s.data() + 2 ||
      std::from_chars(s.data() + 3, s.data() + 5, md.day).ptr != s.data() + 5 ||
      md.month < 1 || md.month > 12 || md.day < 1 || md.day > max_day) {
    return FieldError(field, "must be \"MM-DD\"");
  }
  return md;
}

const boost::json::array* Array(const boost::json::object& o,
                                std::string_view key) {
  const boost::json::value* v = o.if_contains(key);
  return v != nullptr ? v->if_array() : nullptr;
}

core::Status ParseHolidays(const boost::json::object& o, RegionPack& pack) {
  const boost::json::array* a = Array(o, "holidays");
  if (a == nullptr) return core::Status::Ok();
  for (size_t i = 0; i < a->size(); ++i) {
    const std::string f = "holidays[" + std::to_string(i) + "]";
    const boost::json::object* h = (*a)[i].if_object();
    if (h == nullptr) return FieldError(f, "must be an object");
    RegionHoliday holiday;
    ASSIGN_OR_RETURN(holiday.name, String(*h, "name", f + ".name"));
    holiday.hijri = h->contains("hijri");
    const std::string_view key = holiday.hijri ? "hijri" : "date";
    ASSIGN_OR_RETURN(std::string md,
                     String(*h, key, f + "." + std::string(key)));
    ASSIGN_OR_RETURN(holiday.date, ParseMonthDay(md, holiday.hijri ? 30 : 31,
                                                 f + "." + std::string(key)));
    pack.holidays.push_back(std::move(holiday));
  }
  return core::Status::Ok();
}

core::Status ParseSeasons(const boost::json::object& o, RegionPack& pack) {
  const boost::json::array* a = Array(o, "seasons");
  if (a == nullptr) return core::Status::Ok();
  for (size_t i = 0; i < a->size(); ++i) {
    const std::string f = "seasons[" + std::to_string(i) + "]";
    const boost::json::object* s = (*a)[i].if_object();
    if (s == nullptr) return FieldError(f, "must be an object");
    RegionSeason season;
    ASSIGN_OR_RETURN(season.name, String(*s, "name", f + ".name"));
    ASSIGN_OR_RETURN(std::string from,
                     String(*s, "hijriFrom", f + ".hijriFrom"));
    ASSIGN_OR_RETURN(std::string to, String(*s, "hijriTo", f + ".hijriTo"));
    ASSIGN_OR_RETURN(season.hijri_from,
                     ParseMonthDay(from, 30, f + ".hijriFrom"));
    ASSIGN_OR_RETURN(season.hijri_to, ParseMonthDay(to, 30, f + ".hijriTo"));
    if (season.hijri_to < season.hijri_from) {
      return FieldError(f + ".hijriTo", "must not be before hijriFrom");
    }
    const boost::json::value* factor = s->if_contains("factor");
    if (factor == nullptr || !factor->is_number() ||
        factor->to_number<double>() <= 0) {
      return FieldError(f + ".factor", "must be a positive number");
    }
    season.factor = factor->to_number<double>();
    pack.seasons.push_back(std::move(season));
  }
  return core::Status::Ok();
}

std::vector<RegionPack> ParseEmbedded() {
  std::vector<RegionPack> packs;
  for (const EmbeddedRegionFile& f : EmbeddedRegionFiles()) {
    core::Result<RegionPack> pack = ParseRegionPack(f.json);
    // The files are part of the source tree; region_pack_test parses them.
    CHECK(pack.ok()) << std::string(f.name) << ": " << pack.status().ToString();
    packs.push_back(std::move(pack).value());
  }
  return packs;
}

}  // namespace

core::Result<RegionPack> ParseRegionPack(std::string_view json) {
  std::error_code ec;
  boost::json::value doc = boost::json::parse(json, ec);
  if (ec || !doc.is_object()) {
    return core::InvalidArgumentError("region pack: not a JSON object");
  }
  const boost::json::object& o = doc.get_object();
  RegionPack pack;
  ASSIGN_OR_RETURN(pack.code, String(o, "region", "region"));
  ASSIGN_OR_RETURN(pack.name, String(o, "name", "name"));
  ASSIGN_OR_RETURN(pack.currency, String(o, "currency", "currency"));
  ASSIGN_OR_RETURN(pack.default_timezone,
                   String(o, "defaultTimezone", "defaultTimezone"));
  if (const boost::json::array* zones = Array(o, "timezones")) {
    for (size_t i = 0; i < zones->size(); ++i) {
      const std::string f = "timezones[" + std::to_string(i) + "]";
      const boost::json::object* z = (*zones)[i].if_object();
      if (z == nullptr) return FieldError(f, "must be an object");
      RegionTimeZone tz;
      ASSIGN_OR_RETURN(tz.zone, String(*z, "zone", f + ".zone"));
      ASSIGN_OR_RETURN(tz.abbreviation,
                       String(*z, "abbreviation", f + ".abbreviation"));
      pack.timezones.push_back(std::move(tz));
    }
  }
  if (const boost::json::value* h = o.if_contains("businessHours")) {
    ASSIGN_OR_RETURN(pack.business_hours, ParseWeekHours(*h, "businessHours"));
  } else {
    pack.business_hours = DefaultWeekHours();
  }
  RETURN_IF_ERROR(ParseHolidays(o, pack));
  RETURN_IF_ERROR(ParseSeasons(o, pack));
  if (const boost::json::value* f = o.if_contains("seasonalFactors")) {
    ASSIGN_OR_RETURN(MonthFactors factors,
                     ParseMonthFactors(*f, "seasonalFactors"));
    for (int m = 0; m < 12; ++m) {
      if (factors[m]) pack.seasonal_factors[m] = *factors[m];
    }
  }
  return pack;
}

std::span<const RegionPack> RegionPacks() {
  static const std::vector<RegionPack> packs = ParseEmbedded();
  return packs;
}

const RegionPack* FindRegionPack(std::string_view code) {
  for (const RegionPack& p : RegionPacks()) {
    if (p.code == code) return &p;
  }
  return nullptr;
}

}  // namespace stockpile::domain::calendar
