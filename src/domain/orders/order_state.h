// OrderState: the order aggregate (stream "order-<id>"), folded from
// order.created and the status events (DESIGN.md §7 order shape).
//
//   pending -> confirmed | rejected          (the reservation saga)
//   confirmed -> paid -> shipped -> delivered
//   pending | confirmed | paid -> cancelled
// Any other transition is a Conflict (HTTP 409); see NextStatusAllowed.
//
// Backorders: order.confirmed names the units inventory backordered
// (`backorders`, from inventory.stock.reserved), and order.backorder_filled
// (from inventory.position.backorder_filled) how many still wait after a
// fill. Backorders only shrink, so each (product, location) keeps the least
// it was told: the fold gives the same answer whatever order the two arrive
// in (a fill can be appended before the reservation's outcome) and however
// often one is repeated. An order with units on backorder cannot ship.
//
// Thread-safety: a plain value.
#ifndef STOCKPILE_DOMAIN_ORDERS_ORDER_STATE_H_
#define STOCKPILE_DOMAIN_ORDERS_ORDER_STATE_H_

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/event.h"
#include "core/result.h"

namespace stockpile::domain::orders {

inline constexpr std::string_view kOrderCreated = "order.created";
inline constexpr std::string_view kOrderUpdated = "order.updated";
inline constexpr std::string_view kOrderBackorderFilled =
    "order.backorder_filled";

std::string OrderStream(std::string_view order_id);

// "pending", "confirmed", "rejected", "cancelled", "paid", "shipped",
// "delivered".
bool IsOrderStatus(std::string_view status);
// True when `from` -> `to` is an edge of the graph above.
bool NextStatusAllowed(std::string_view from, std::string_view to);
// "order.<status>", e.g. "order.confirmed".
std::string StatusEventType(std::string_view status);

struct OrderLine {
  std::string product_id;
  int64_t quantity = 0;
  int64_t unit_price_minor = 0;
  std::string location_id;  // "" = any location
};

// Units of one product the order waits for at a location.
struct OrderBackorder {
  std::string product_id;
  std::string location_id;
  int64_t quantity = 0;  // still waiting; 0 once filled
  friend bool operator==(const OrderBackorder&,
                         const OrderBackorder&) = default;
};

struct OrderState {
  static constexpr int kSnapshotSchema = 2;

  bool exists = false;
  std::string id;
  std::string order_number;
  std::string customer_id;
  std::string status;  // "" until created
  std::vector<OrderLine> items;
  int64_t total_minor = 0;
  std::string currency;
  std::string reason;  // of the last status change that gave one
  int64_t created_at_ms = 0;
  int64_t updated_at_ms = 0;
  // By (productId, locationId); filled entries stay with quantity 0.
  std::vector<OrderBackorder> backorders;

  // Units of the order still on backorder, over all its products.
  int64_t Backordered() const;

  // The order as clients see it: {id, orderNumber, status, customerId,
  // items: [{productId, quantity, unitPrice, locationId?}], totalAmount,
  // currency, createdAt, updatedAt, reason?}.
  boost::json::object ToJson() const;

  void Apply(const core::Event& e);
  boost::json::object ToSnapshot() const;
  static core::Result<OrderState> FromSnapshot(const boost::json::object& o);
};

}  // namespace stockpile::domain::orders

#endif  // STOCKPILE_DOMAIN_ORDERS_ORDER_STATE_H_
