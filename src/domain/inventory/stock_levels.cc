#include "domain/inventory/stock_levels.h"

#include <algorithm>
#include <set>
#include <utility>

#include "domain/common/calendar_day.h"
#include "domain/common/ids.h"

namespace stockpile::domain::inventory {

EventMaker InventoryEventMaker(const common::DomainDeps& deps,
                               const common::CommandContext& ctx) {
  return [&deps, &ctx](std::string type, std::string aggregate_type,
                       std::string aggregate_id, boost::json::object payload) {
    return common::NewEvent(deps, ctx, "inventory", std::move(type),
                            std::move(aggregate_type), std::move(aggregate_id),
                            std::move(payload));
  };
}

std::string Today(const common::DomainDeps& deps) {
  return common::FormatDay(common::DayOf(deps.clock->NowMillis()));
}

void AddBackorderFills(const StockItemState& before,
                       std::string_view product_id, std::string_view today,
                       const EventMaker& make,
                       std::vector<core::Event>& events) {
  StockItemState after = before.TrialCopy(events);
  for (const core::Event& e : events) after.Apply(e);
  const std::vector<Backorder> waiting = after.backorders;
  for (const Backorder& b : waiting) {
    const int64_t free = after.At(b.location_id).Available(today);
    if (free <= 0) continue;
    const int64_t q = std::min(free, b.quantity);
    events.push_back(make(std::string(kBackorderFilled), "inventory_item",
                          std::string(product_id),
                          {{"orderId", b.order_id},
                           {"productId", product_id},
                           {"locationId", b.location_id},
                           {"quantity", q},
                           {"backordered", b.quantity - q}}));
    after.Apply(events.back());
  }
}

void AddLevelEvents(const StockItemState& before, std::string_view product_id,
                    int64_t reorder_point, std::string_view today,
                    const EventMaker& make, std::vector<core::Event>& events) {
  StockItemState after = before.TrialCopy(events);
  std::set<std::string> touched;
  for (const core::Event& e : events) {
    after.Apply(e);
    for (const char* key : {"locationId", "fromLocationId", "toLocationId"}) {
      std::string_view loc = e.PayloadString(key);
      if (!loc.empty()) touched.emplace(loc);
    }
    for (const Allocation& a :
         AllocationsFromJson(e.payload.if_contains("allocations"))) {
      touched.insert(a.location_id);
    }
  }
  for (const std::string& loc : touched) {
    const LocationStock l = after.At(loc);
    const int64_t available = std::max<int64_t>(0, l.Available(today));
    const bool low_now = available <= reorder_point;
    if (low_now == l.low) continue;
    events.push_back(make(std::string(low_now ? kStockLow : kStockRestored),
                          "inventory_position",
                          common::PositionId(product_id, loc),
                          {{"productId", product_id},
                           {"locationId", loc},
                           {"available", available},
                           {"reorderPoint", reorder_point}}));
  }
}

boost::json::object ProductInventory::ToJson() const {
  boost::json::array locs;
  for (const PositionView& p : locations) {
    boost::json::array lots = LotsToJson(p.lots);
    for (size_t i = 0; i < lots.size(); ++i) {
      lots[i].as_object()["expired"] = p.lots[i].ExpiredOn(today);
    }
    locs.push_back(boost::json::object{{"locationId", p.location_id},
                                       {"onHand", p.on_hand},
                                       {"reserved", p.reserved},
                                       {"available", p.available},
                                       {"inTransit", p.in_transit},
                                       {"expired", p.expired},
                                       {"backordered", p.backordered},
                                       {"lots", std::move(lots)}});
  }
  return boost::json::object{
      {"productId", product_id},    {"onHand", on_hand},
      {"reserved", reserved},       {"available", available},
      {"inTransit", in_transit},    {"expired", expired},
      {"backordered", backordered}, {"locations", std::move(locs)}};
}

ProductInventory MakeProductInventory(std::string_view product_id,
                                      const StockItemState& state,
                                      std::string_view today) {
  ProductInventory out;
  out.product_id = std::string(product_id);
  out.today = std::string(today);
  auto add = [&](const std::string& id, const LocationStock& l) {
    PositionView v{id,           l.on_hand,
                   l.reserved,   std::max<int64_t>(0, l.Available(today)),
                   l.in_transit, l.Expired(today),
                   l.lots,       l.backordered};
    out.on_hand += v.on_hand;
    out.reserved += v.reserved;
    out.available += v.available;
    out.in_transit += v.in_transit;
    out.expired += v.expired;
    out.backordered += v.backordered;
    out.locations.push_back(std::move(v));
  };
  add("main", state.At("main"));
  for (const auto& [id, l] : state.locations) {
    if (id != "main") add(id, l);
  }
  return out;
}

}  // namespace stockpile::domain::inventory
