// AnalyticsView: business figures of each tenant, folded from every event
// of the log (the subscription to `#`, DESIGN.md §4.6):
//
//   events per type per hour    every event, by the UTC hour of its time
//   revenue per day             payment.succeeded: amount (minor units) per
//                               UTC day and currency
//   units sold per product      common/demand_lines.h (shipments, POS
//                               sales, sale adjustments), per UTC day
//
// Revenue is money received: payment.succeeded carries the amount and
// currency actually paid, once per bill (billing refuses a second payment).
// order.confirmed would count orders that are later cancelled or never
// paid.
//
// In memory; rebuilt from the log at every start. Figures depend only on
// the events and their order, so a rebuild gives the same answers.
//
//   AnalyticsView view;
//   view.Apply(*event);                                // from a subscription
//   std::vector<DayRevenue> r = view.RevenuePerDay("acme", from, to);
//
// Thread-safety: safe for concurrent use; Apply takes a writer lock, the
// queries a shared one and return copies.
#ifndef STOCKPILE_DOMAIN_ANALYTICS_ANALYTICS_VIEW_H_
#define STOCKPILE_DOMAIN_ANALYTICS_ANALYTICS_VIEW_H_

#include <cstdint>
#include <map>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/event.h"
#include "domain/common/demand_lines.h"

namespace stockpile::domain::analytics {

struct HourCount {
  int64_t hour_start_ms = 0;  // Unix millis of the hour's start, UTC
  std::string event_type;
  int64_t count = 0;
};

struct DayRevenue {
  int64_t day = 0;  // days since 1970-01-01, UTC
  std::string currency;
  int64_t amount_minor = 0;
  int64_t payments = 0;
};

struct ProductUnits {
  std::string product_id;
  int64_t units = 0;
};

class AnalyticsView {
 public:
  void Apply(const core::Event& e);

  // Hours whose start lies in [from_ms, to_ms), oldest first, then by type.
  std::vector<HourCount> EventsPerHour(std::string_view tenant, int64_t from_ms,
                                       int64_t to_ms) const;
  // Days in [from_day, to_day), oldest first, then by currency.
  std::vector<DayRevenue> RevenuePerDay(std::string_view tenant,
                                        int64_t from_day, int64_t to_day) const;
  // The `limit` products with the most units sold on days in
  // [from_day, to_day), most first; ties by product id.
  std::vector<ProductUnits> TopProducts(std::string_view tenant,
                                        int64_t from_day, int64_t to_day,
                                        size_t limit) const;

 private:
  struct Tenant {
    std::map<std::pair<int64_t, std::string>, int64_t> events;  // (hour, type)
    std::map<std::pair<int64_t, std::string>, DayRevenue>
        revenue;                                              // (day, cur)
    std::map<int64_t, std::map<std::string, int64_t>> units;  // day -> product
  };
  const Tenant* Find(std::string_view tenant) const;

  mutable std::shared_mutex mu_;
  common::DemandLineReader demand_;                     // GUARDED_BY(mu_)
  std::map<std::string, Tenant, std::less<>> tenants_;  // GUARDED_BY(mu_)
};

}  // namespace stockpile::domain::analytics

#endif  // STOCKPILE_DOMAIN_ANALYTICS_ANALYTICS_VIEW_H_
