#include "domain/orders/order_saga.h"

#include <string>

namespace stockpile::domain::orders {
namespace {

constexpr std::string_view kCreated = "order.created";
constexpr std::string_view kReserved = "inventory.stock.reserved";
constexpr std::string_view kReservationFailed =
    "inventory.stock.reservation_failed";
constexpr std::string_view kPaymentSucceeded = "payment.succeeded";
constexpr std::string_view kBackorderFilled =
    "inventory.position.backorder_filled";

// The order an event is about: order.* events are the order's own; the
// others name it in payload.orderId.
std::string OrderIdOf(const core::Event& e) {
  if (e.aggregate_type == "order") return e.aggregate_id;
  return std::string(e.PayloadString("orderId"));
}

}  // namespace

runtime::SagaDefinition OrderSaga(OrderService& orders,
                                  OrderSagaOptions options) {
  runtime::SagaDefinition d;
  d.name = std::string(kOrderSaga);
  d.type_patterns = {std::string(kCreated),
                     "order.confirmed",
                     "order.rejected",
                     "order.cancelled",
                     "order.delivered",
                     std::string(kReserved),
                     std::string(kReservationFailed),
                     std::string(kBackorderFilled),
                     std::string(kPaymentSucceeded)};
  d.correlate = OrderIdOf;
  d.starts = [](const core::Event& e) { return e.event_type == kCreated; };
  d.on_event = [&orders, options](const core::Event& e,
                                  runtime::SagaContext& ctx) -> core::Status {
    const std::string_view type = e.event_type;
    if (type == kCreated) {
      if (options.timeout.count() > 0) {
        ctx.SetTimer(std::string(kReservationTimer),
                     e.timestamp_ms + options.timeout.count());
      }
      return core::Status::Ok();
    }
    if (type == kReserved || type == kReservationFailed) {
      // The order.confirmed / rejected this causes ends the timer.
      return orders.HandleReservationResult(e);
    }
    if (type == kPaymentSucceeded) return orders.HandlePaymentSucceeded(e);
    if (type == kBackorderFilled) return orders.HandleBackorderFilled(e);
    if (type == "order.confirmed") {
      ctx.CancelTimer(kReservationTimer);
      return core::Status::Ok();
    }
    // order.rejected, order.cancelled, order.delivered: nothing more to
    // orchestrate for this order.
    ctx.Complete();
    return core::Status::Ok();
  };
  d.on_timer = [&orders, options](std::string_view timer,
                                  runtime::SagaContext& ctx) -> core::Status {
    if (timer != kReservationTimer) return core::Status::Ok();
    const common::CommandContext command{.tenant = ctx.id().tenant,
                                         .event_id_seed = ctx.step_id()};
    // Whether it rejected the order or found it settled first, the order's
    // own event (order.rejected / confirmed) moves the instance on.
    return orders
        .RejectIfPending(command, ctx.id().key,
                         "reservation timed out after " +
                             std::to_string(options.timeout.count()) + " ms")
        .status();
  };
  return d;
}

}  // namespace stockpile::domain::orders
