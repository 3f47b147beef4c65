// Low-stock crossings and the inventory view of one product.
//
// AddLevelEvents: given a product's state and the events a command is about
// to append, adds inventory.stock.low for every location whose available
// falls to or below the reorder point (and was not low already) and
// inventory.stock.restored for every low location that rises above it —
// once per crossing, never once per order. Available counts lots expired
// on `today` out (stock_item_state.h), so a location whose lots expired
// since its last movement crosses at its next one.
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

// "Today" for expiry: the UTC date (YYYY-MM-DD) of `deps.clock`. Not the
// tenant's business date: the inventory services do not read tenant
// settings, and a lot expiring a few hours early or late in a far time
// zone is the accepted price.
std::string Today(const common::DomainDeps& deps);

// AddBackorderFills: given a product's state and the events a command is
// about to append, adds inventory.position.backorder_filled for the
// backorders (oldest first) of every location where those events leave
// stock available, as much as there is — so a receipt, a positive
// adjustment, an arriving transfer or a released reservation fills
// backorders before any new order can take the stock. Call it before
// AddLevelEvents.
void AddBackorderFills(const StockItemState& before,
                       std::string_view product_id, std::string_view today,
                       const EventMaker& make,
                       std::vector<core::Event>& events);

void AddLevelEvents(const StockItemState& before, std::string_view product_id,
                    int64_t reorder_point, std::string_view today,
                    const EventMaker& make, std::vector<core::Event>& events);

struct PositionView {
  std::string location_id;
  int64_t on_hand = 0;
  int64_t reserved = 0;
  int64_t available = 0;  // onHand - reserved - expired, at least 0
  int64_t in_transit = 0;
  int64_t expired = 0;  // onHand in lots expired today
  std::vector<Lot> lots;
  int64_t backordered = 0;  // ordered, waiting for stock
};

// DESIGN.md §7: {productId, onHand, reserved, available, inTransit,
// expired, backordered, locations: [{locationId, onHand, reserved,
// available, inTransit, expired, backordered, lots: [{lotNumber,
// expiryDate?, quantity, expired}]}]}.
struct ProductInventory {
  std::string product_id;
  int64_t on_hand = 0;
  int64_t reserved = 0;
  int64_t available = 0;
  int64_t in_transit = 0;
  int64_t expired = 0;
  int64_t backordered = 0;
  std::vector<PositionView> locations;  // `main` first, then by id
  std::string today;                    // what `expired` was judged on

  boost::json::object ToJson() const;
};

ProductInventory MakeProductInventory(std::string_view product_id,
                                      const StockItemState& state,
                                      std::string_view today);

}  // namespace stockpile::domain::inventory

#endif  // STOCKPILE_DOMAIN_INVENTORY_STOCK_LEVELS_H_
