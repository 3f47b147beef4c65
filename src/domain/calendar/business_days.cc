#include "domain/calendar/business_days.h"

#include <string>

namespace stockpile::domain::calendar {

core::Result<int64_t> AddBusinessDays(const BusinessCalendar& calendar,
                                      int64_t day, int64_t business_days) {
  if (business_days < 0) {
    return core::InvalidArgumentError(
        "a lead time in business days must not be negative");
  }
  int64_t closed_run = 0;
  while (business_days > 0) {
    ++day;
    if (calendar.IsBusinessDay(day)) {
      --business_days;
      closed_run = 0;
    } else if (++closed_run >= kMaxClosedRun) {
      return core::FailedPreconditionError(
          "the business calendar has no business day in " +
          std::to_string(kMaxClosedRun) + " days in a row");
    }
  }
  return day;
}

}  // namespace stockpile::domain::calendar
