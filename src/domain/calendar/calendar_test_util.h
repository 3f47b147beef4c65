// Test helper: a BusinessCalendar from tenant-settings JSON, failing the
// test when the settings do not parse or resolve.
#ifndef STOCKPILE_DOMAIN_CALENDAR_CALENDAR_TEST_UTIL_H_
#define STOCKPILE_DOMAIN_CALENDAR_CALENDAR_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <string_view>

#include "domain/calendar/business_calendar.h"
#include "domain/calendar/calendar_settings.h"

namespace stockpile::domain::testing {

inline calendar::BusinessCalendar CalendarFromJson(std::string_view json) {
  auto settings =
      calendar::ParseCalendarSettings(boost::json::parse(json).as_object());
  EXPECT_TRUE(settings.ok()) << settings.status().ToString();
  if (!settings.ok()) return calendar::BusinessCalendar();
  auto cal = calendar::BusinessCalendar::Make(*settings);
  EXPECT_TRUE(cal.ok()) << cal.status().ToString();
  return cal.ok() ? *cal : calendar::BusinessCalendar();
}

}  // namespace stockpile::domain::testing

#endif  // STOCKPILE_DOMAIN_CALENDAR_CALENDAR_TEST_UTIL_H_
