// DemandHistory: the read model of daily demand per tenant x product x
// location, folded from the log (common/demand_lines.h says which events
// count), by the UTC day of the event's timestamp (common/calendar_day.h).
//
//   DemandHistory history;
//   history.Apply(*event);                       // from a store subscription
//   DailySeries s = history.Series("acme", "p-1", "", yesterday, 730);
//
// It lives in memory and is rebuilt from the log at every start (the
// subscription replays from position 0), like the other list read models.
//
// Thread-safety: safe for concurrent use; Apply takes a writer lock, Series
// a shared one.
#ifndef STOCKPILE_DOMAIN_FORECASTING_DEMAND_HISTORY_H_
#define STOCKPILE_DOMAIN_FORECASTING_DEMAND_HISTORY_H_

#include <cstdint>
#include <map>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/event.h"
#include "domain/common/demand_lines.h"

namespace stockpile::domain::forecasting {

struct DailySeries {
  int64_t first_day = 0;      // the day of units[0]
  std::vector<double> units;  // one value per day, zeros where none sold
};

class DemandHistory {
 public:
  // Folds `e` (any event; those without demand change nothing).
  void Apply(const core::Event& e);

  // Units per day of `product` at `location` ("" = all locations summed),
  // from its first day with demand through `last_day` inclusive, at most
  // the newest `max_days`. Empty when nothing was sold by `last_day`.
  DailySeries Series(std::string_view tenant, std::string_view product,
                     std::string_view location, int64_t last_day,
                     size_t max_days) const;

 private:
  // day -> units, per location, per product, per tenant.
  using Days = std::map<int64_t, int64_t>;
  using Locations = std::map<std::string, Days, std::less<>>;
  using Products = std::map<std::string, Locations, std::less<>>;

  mutable std::shared_mutex mu_;
  common::DemandLineReader reader_;                       // GUARDED_BY(mu_)
  std::map<std::string, Products, std::less<>> tenants_;  // GUARDED_BY(mu_)
};

}  // namespace stockpile::domain::forecasting

#endif  // STOCKPILE_DOMAIN_FORECASTING_DEMAND_HISTORY_H_
