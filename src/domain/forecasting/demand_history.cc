#include "domain/forecasting/demand_history.h"

#include <algorithm>
#include <mutex>

#include "domain/common/calendar_day.h"

namespace stockpile::domain::forecasting {

void DemandHistory::Apply(const core::Event& e) {
  std::unique_lock lock(mu_);
  std::vector<common::DemandLine> lines = reader_.Read(e);
  if (lines.empty()) return;
  const int64_t day = common::DayOf(e.timestamp_ms);
  Products& products = tenants_[e.tenant_id];
  for (const common::DemandLine& l : lines) {
    products[l.product_id][l.location_id][day] += l.quantity;
  }
}

DailySeries DemandHistory::Series(std::string_view tenant,
                                  std::string_view product,
                                  std::string_view location, int64_t last_day,
                                  size_t max_days) const {
  std::shared_lock lock(mu_);
  DailySeries out;
  auto t = tenants_.find(tenant);
  if (t == tenants_.end() || max_days == 0) return out;
  auto p = t->second.find(product);
  if (p == t->second.end()) return out;
  Days merged;
  for (const auto& [loc, days] : p->second) {
    if (!location.empty() && loc != location) continue;
    for (const auto& [day, units] : days) {
      if (day <= last_day) merged[day] += units;
    }
  }
  if (merged.empty()) return out;
  const int64_t limit = static_cast<int64_t>(max_days);
  out.first_day = std::max(merged.begin()->first, last_day - limit + 1);
  out.units.assign(static_cast<size_t>(last_day - out.first_day + 1), 0.0);
  for (auto it = merged.lower_bound(out.first_day); it != merged.end(); ++it) {
    out.units[static_cast<size_t>(it->first - out.first_day)] =
        static_cast<double>(it->second);
  }
  return out;
}

}  // namespace stockpile::domain::forecasting
