// AddBusinessDays: counting a lead time of N business days in a calendar —
// the days its business hours open and that are not holidays (the
// tenant's, the region's fixed and Hijri ones; business_calendar.h).
//
//   // Ordered on Friday 2026-03-13 in Indonesia, 5 business days:
//   ASSIGN_OR_RETURN(int64_t due, AddBusinessDays(id_calendar, friday, 5));
//   // due = Monday 2026-03-23: the weekends and Eid al-Fitr (1 Shawwal
//   // 1447 = Friday 20 March, a holiday of the region pack) do not count.
//
// Days are local dates as days since 1970-01-01. The start day itself never
// counts: the result is the N-th business day after `day` (N = 0: `day`).
// The calendar days a lead time covers are AddBusinessDays(...) - day.
//
// Errors: InvalidArgument for a negative N; FailedPrecondition when the
// calendar has no business day in kMaxClosedRun days in a row (a calendar
// closed every weekday would otherwise never answer).
//
// Thread-safety: a pure function.
#ifndef STOCKPILE_DOMAIN_CALENDAR_BUSINESS_DAYS_H_
#define STOCKPILE_DOMAIN_CALENDAR_BUSINESS_DAYS_H_

#include <cstdint>

#include "core/result.h"
#include "domain/calendar/business_calendar.h"

namespace stockpile::domain::calendar {

// The longest run of days without a business day AddBusinessDays accepts.
inline constexpr int64_t kMaxClosedRun = 366;

core::Result<int64_t> AddBusinessDays(const BusinessCalendar& calendar,
                                      int64_t day, int64_t business_days);

}  // namespace stockpile::domain::calendar

#endif  // STOCKPILE_DOMAIN_CALENDAR_BUSINESS_DAYS_H_
