#include "domain/analytics/analytics_view.h"

#include <algorithm>
#include <mutex>

#include "domain/common/calendar_day.h"
#include "domain/common/money.h"

namespace stockpile::domain::analytics {
namespace {

// Calls f(key, value) for the entries of a map keyed (time, name) whose
// time lies in [from, to), in key order.
template <typename Map, typename F>
void ForEachIn(const Map& m, int64_t from, int64_t to, F f) {
  for (auto it = m.lower_bound({from, std::string()});
       it != m.end() && it->first.first < to; ++it) {
    f(it->first, it->second);
  }
}

}  // namespace

void AnalyticsView::Apply(const core::Event& e) {
  std::unique_lock lock(mu_);
  Tenant& t = tenants_[e.tenant_id];
  const int64_t day = common::DayOf(e.timestamp_ms);
  const int64_t day_start = day * common::kMillisPerDay;
  const int64_t hour = day_start + (e.timestamp_ms - day_start) /
                                       common::kMillisPerHour *
                                       common::kMillisPerHour;
  ++t.events[{hour, e.event_type}];
  if (e.event_type == "payment.succeeded") {
    const boost::json::value* amount = e.payload.if_contains("amount");
    const std::string currency(e.PayloadString("currency"));
    if (amount != nullptr && !currency.empty()) {
      auto minor = common::ParseMoney(*amount, "amount");
      if (minor.ok()) {
        DayRevenue& r = t.revenue[{day, currency}];
        r.day = day;
        r.currency = currency;
        r.amount_minor += *minor;
        ++r.payments;
      }
    }
  }
  for (const common::DemandLine& l : demand_.Read(e)) {
    t.units[day][l.product_id] += l.quantity;
  }
}

const AnalyticsView::Tenant* AnalyticsView::Find(
    std::string_view tenant) const {
  auto it = tenants_.find(tenant);
  return it == tenants_.end() ? nullptr : &it->second;
}

std::vector<HourCount> AnalyticsView::EventsPerHour(std::string_view tenant,
                                                    int64_t from_ms,
                                                    int64_t to_ms) const {
  std::shared_lock lock(mu_);
  std::vector<HourCount> out;
  if (const Tenant* t = Find(tenant)) {
    ForEachIn(t->events, from_ms, to_ms, [&](const auto& key, int64_t n) {
      out.push_back({key.first, key.second, n});
    });
  }
  return out;
}

std::vector<DayRevenue> AnalyticsView::RevenuePerDay(std::string_view tenant,
                                                     int64_t from_day,
                                                     int64_t to_day) const {
  std::shared_lock lock(mu_);
  std::vector<DayRevenue> out;
  if (const Tenant* t = Find(tenant)) {
    ForEachIn(t->revenue, from_day, to_day,
              [&](const auto&, const DayRevenue& r) { out.push_back(r); });
  }
  return out;
}

std::vector<ProductUnits> AnalyticsView::TopProducts(std::string_view tenant,
                                                     int64_t from_day,
                                                     int64_t to_day,
                                                     size_t limit) const {
  std::map<std::string, int64_t> totals;
  {
    std::shared_lock lock(mu_);
    const Tenant* t = Find(tenant);
    if (t == nullptr) return {};
    for (auto it = t->units.lower_bound(from_day);
         it != t->units.end() && it->first < to_day; ++it) {
      for (const auto& [product, units] : it->second) totals[product] += units;
    }
  }
  std::vector<ProductUnits> out;
  out.reserve(totals.size());
  for (auto& [product, units] : totals) out.push_back({product, units});
  std::stable_sort(out.begin(), out.end(),
                   [](const ProductUnits& a, const ProductUnits& b) {
                     return a.units > b.units;
                   });
  if (out.size() > limit) out.resize(limit);
  return out;
}

}  // namespace stockpile::domain::analytics
