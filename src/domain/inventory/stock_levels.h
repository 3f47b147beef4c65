// Low-stock crossings and the inventory view of one product.
//
// AddLevelEvents: given a product's state and the events a command is about
// to append, adds inventory.stock.low for every location whose available
// falls to or below the reorder point (and was not low already) and
// inventory.stock.restored for every low location that rises above it —
// once per crossing, never once per order.
//
// Thread-safety: pure functions.
#ifndef STOCKPILE_DOMAIN_INVENTORY_STOCK_LEVELS_H_
#define STOCKPILE_DOMAIN_INVENTORY_STOCK_LEVELS_H_

#include <boost/json/object.hpp>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/event.h"
#include "domain/common/command_context.h"
#include "domain/inventory/stock_item_state.h"

namespace stockpile::domain::inventory {

// Builds an event (type, aggregateType, aggregateId, payload) with the
// command's envelope (common::NewEvent).
using EventMaker = std::function<core::Event(
    std::string type, std::string aggregate_type, std::string aggregate_id,
    boost::json::object payload)>;

// An EventMaker for a command: common::NewEvent with `deps`, `ctx` and
// source "inventory". Borrows deps and ctx for the maker's lifetime.
EventMaker InventoryEventMaker(const common::DomainDeps& deps,
                               const common::CommandContext& ctx);

void AddLevelEvents(const StockItemState& before, std::string_view product_id,
                    int64_t reorder_point, const EventMaker& make,
                    std::vector<core::Event>& events);

struct PositionView {
  std::string location_id;
  int64_t on_hand = 0;
  int64_t reserved = 0;
  int64_t available = 0;
  int64_t in_transit = 0;
};

// DESIGN.md §7: {productId, onHand, reserved, available, inTransit,
// locations: [{locationId, onHand, reserved, available, inTransit}]}.
struct ProductInventory {
  std::string product_id;
  int64_t on_hand = 0;
  int64_t reserved = 0;
  int64_t available = 0;
  int64_t in_transit = 0;
  std::vector<PositionView> locations;  // `main` first, then by id

  boost::json::object ToJson() const;
};

ProductInventory MakeProductInventory(std::string_view product_id,
                                      const StockItemState& state);

}  // namespace stockpile::domain::inventory

#endif  // STOCKPILE_DOMAIN_INVENTORY_STOCK_LEVELS_H_
