// OrderState: the order aggregate (stream "order-<id>"), folded from
// order.created and the status events (DESIGN.md §7 order shape).
//
//   pending -> confirmed | rejected          (the reservation saga)
//   confirmed -> paid -> shipped -> delivered
//   pending | confirmed | paid -> cancelled
// Any other transition is a Conflict (HTTP 409); see NextStatusAllowed.
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

struct OrderState {
  static constexpr int kSnapshotSchema = 1;

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
