// ExpectedDelivery: when goods ordered now from a supplier are expected —
// its lead time counted in business days of the supplier's region (issue
// 10), so that a 5-day lead time ordered on a Friday before Eid al-Fitr in
// Indonesia ends after the weekends and the Eid holidays.
//
//   ASSIGN_OR_RETURN(LeadTime lt, ExpectedDelivery(calendars, "acme",
//                                                  supplier.region, 5, now));
//   common::FormatDay(lt.due_day);  // "2026-03-23"
//   lt.CalendarDays();              // 10: the demand window of the wait
//
// Which calendar counts the business days:
//   the supplier's region is the tenant's  -> the tenant's calendar (its
//                                             own holidays and hours too)
//   the supplier has another region        -> that region pack's calendar
//   the supplier has none, the tenant has  -> the tenant's calendar
//   neither has a region (or no calendars) -> plain calendar days, UTC
// Dates are local dates of that calendar's time zone; the order day never
// counts (calendar/business_days.h).
//
// Errors: InvalidArgument (negative lead time, unknown region),
// FailedPrecondition (a calendar without business days).
//
// Thread-safety: a pure function of its arguments (`calendars` is safe for
// concurrent use).
#ifndef STOCKPILE_DOMAIN_PURCHASING_LEAD_TIME_H_
#define STOCKPILE_DOMAIN_PURCHASING_LEAD_TIME_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"
#include "domain/tenant/tenant_settings_service.h"

namespace stockpile::domain::purchasing {

struct LeadTime {
  int64_t business_days = 0;  // the lead time as given
  std::string region;         // whose business days; "" = calendar days
  int64_t order_day = 0;      // days since 1970-01-01, local
  int64_t due_day = 0;        // the expected delivery date, local

  // Calendar days from the order to the delivery (>= business_days).
  int64_t CalendarDays() const { return due_day - order_day; }
};

// `calendars` may be null: then only a supplier region counts.
core::Result<LeadTime> ExpectedDelivery(
    const tenant::TenantSettingsService* calendars, std::string_view tenant,
    std::string_view supplier_region, int64_t lead_time_days,
    int64_t now_millis);

}  // namespace stockpile::domain::purchasing

#endif  // STOCKPILE_DOMAIN_PURCHASING_LEAD_TIME_H_
