// OrderService: placing orders and moving them through their states
// (order_state.h), emitting order.* and, for every status change, also
// order.updated {orderId, status, previousStatus} in the same append.
//
//   OrderService orders(deps, catalog_reader);
//   ASSIGN_OR_RETURN(OrderState o, orders.PlaceOrder(ctx, std::move(req)));
//   // o.status == "pending"; the saga settles it:
//   inventory.stock.reserved / reservation_failed -> HandleReservationResult
//     -> order.confirmed / order.rejected
//   inventory.position.backorder_filled -> HandleBackorderFilled
//     -> order.backorder_filled
//
// Validation on PlaceOrder (InvalidArgument, all before anything is
// written): at least one line; positive integer quantities; every product
// known to the catalog and not deleted or deactivated; non-negative unit
// prices (a line without one takes the catalog price); totalAmount, when
// given, equal to the sum of the lines; an ISO 4217 currency.
// Order numbers are "ORD-<YYYYMMDD>-<12 hex digits of the order's UUIDv7>".
//
// Errors: InvalidArgument, NotFound (unknown order), Conflict (a transition
// outside the graph; the message names both states), FailedPrecondition
// (shipping an order with units still on backorder; the message names
// them), AlreadyExists (an order id given twice).
//
// Ownership: borrows DomainDeps and the CatalogReader. Thread-safety: safe
// for concurrent use.
#ifndef STOCKPILE_DOMAIN_ORDERS_ORDER_SERVICE_H_
#define STOCKPILE_DOMAIN_ORDERS_ORDER_SERVICE_H_

#include <boost/json/array.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/event.h"
#include "core/result.h"
#include "domain/catalog/catalog_reader.h"
#include "domain/common/aggregate_repository.h"
#include "domain/common/command_context.h"
#include "domain/orders/order_state.h"

namespace stockpile::domain::orders {

struct NewOrderLine {
  std::string product_id;
  int64_t quantity = 0;
  std::optional<int64_t> unit_price_minor;  // unset: the catalog price
  std::string location_id;                  // "" = any location
};

struct NewOrder {
  std::string id;  // "" = assigned ("ord-<uuidv7>")
  std::string customer_id = "guest";
  std::vector<NewOrderLine> items;
  std::optional<int64_t> total_minor;  // checked against the lines when set
  std::string currency = "USD";
};

class OrderService {
 public:
  OrderService(const common::DomainDeps& deps,
               const catalog::CatalogReader& catalog);

  core::Result<OrderState> PlaceOrder(const common::CommandContext& ctx,
                                      NewOrder order);

  // Moves the order to `status` (one of the order statuses). Conflict when
  // the graph does not allow it, e.g. shipping a pending order;
  // FailedPrecondition when shipping an order whose backorders are not all
  // filled yet (inventory could not commit it).
  core::Result<OrderState> ChangeStatus(const common::CommandContext& ctx,
                                        std::string_view order_id,
                                        std::string_view status,
                                        std::string_view reason = "") {
    return Transition(ctx, order_id, status, reason, {});
  }
  core::Result<OrderState> Cancel(const common::CommandContext& ctx,
                                  std::string_view order_id,
                                  std::string_view reason) {
    return ChangeStatus(ctx, order_id, "cancelled", reason);
  }

  core::Result<OrderState> GetOrder(std::string_view tenant,
                                    std::string_view order_id) const;

  // The saga's orders side: inventory.stock.reserved -> confirmed,
  // inventory.stock.reservation_failed -> rejected (reason: the shortages).
  // The lines' backordered units go into order.confirmed (`backorders`).
  // Idempotent: an order already in the target state is left alone, and
  // an order that moved on (e.g. cancelled meanwhile) is not an error.
  // InvalidArgument for another event type.
  core::Status HandleReservationResult(const core::Event& result);
  // The saga's timeout (order_saga.h): rejects the order with `reason`
  // if it is still pending. True when it rejected it; false when the order
  // had settled (or moved on) first, or does not exist.
  core::Result<bool> RejectIfPending(const common::CommandContext& ctx,
                                     std::string_view order_id,
                                     std::string_view reason);
  // payment.succeeded -> paid, for a confirmed order; idempotent, and an
  // order that moved on (paid already, cancelled) is left alone.
  core::Status HandlePaymentSucceeded(const core::Event& payment);
  // inventory.position.backorder_filled -> order.backorder_filled, which
  // records how many units of the product still wait at the location.
  // Idempotent; nothing is appended when the order already knows as few
  // (or no longer exists). InvalidArgument for another event type or a
  // fill without orderId, productId, locationId or backordered.
  core::Status HandleBackorderFilled(const core::Event& fill);

 private:
  // ChangeStatus; `backorders` ([{productId, locationId, quantity}]) goes
  // into order.confirmed when not empty.
  core::Result<OrderState> Transition(const common::CommandContext& ctx,
                                      std::string_view order_id,
                                      std::string_view status,
                                      std::string_view reason,
                                      boost::json::array backorders);

  // Immutable after construction.
  const common::DomainDeps deps_;
  const catalog::CatalogReader& catalog_;
  common::AggregateRepository<OrderState> orders_;
};

}  // namespace stockpile::domain::orders

#endif  // STOCKPILE_DOMAIN_ORDERS_ORDER_SERVICE_H_
