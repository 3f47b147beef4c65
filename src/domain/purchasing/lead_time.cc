#include "domain/purchasing/lead_time.h"

#include <memory>
#include <utility>

#include "core/status_macros.h"
#include "domain/calendar/business_days.h"
#include "domain/common/calendar_day.h"

namespace stockpile::domain::purchasing {

core::Result<LeadTime> ExpectedDelivery(
    const tenant::TenantSettingsService* calendars, std::string_view tenant,
    std::string_view supplier_region, int64_t lead_time_days,
    int64_t now_millis) {
  std::shared_ptr<const calendar::BusinessCalendar> cal;
  if (calendars != nullptr) cal = calendars->Calendar(tenant);
  if (!supplier_region.empty() &&
      (cal == nullptr || cal->region() != supplier_region)) {
    calendar::CalendarSettings region_only;
    region_only.region = std::string(supplier_region);
    ASSIGN_OR_RETURN(calendar::BusinessCalendar made,
                     calendar::BusinessCalendar::Make(region_only));
    cal = std::make_shared<const calendar::BusinessCalendar>(std::move(made));
  }
  LeadTime lt;
  lt.business_days = lead_time_days;
  if (cal == nullptr || cal->region().empty()) {
    if (lead_time_days < 0) {
      return core::InvalidArgumentError("a lead time must not be negative");
    }
    lt.order_day = common::DayOf(now_millis);
    lt.due_day = lt.order_day + lead_time_days;
    return lt;
  }
  lt.region = cal->region();
  lt.order_day = cal->Local(now_millis).days;
  ASSIGN_OR_RETURN(lt.due_day, calendar::AddBusinessDays(*cal, lt.order_day,
                                                         lead_time_days));
  return lt;
}

}  // namespace stockpile::domain::purchasing
