#include "domain/orders/order_saga.h"

#include <string>

#include "core/status_macros.h"

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
  // Only what the saga acts on: every event it takes is a step (a load and
  // a save of the instance), so the order's own later events (confirmed,
  // cancelled, delivered...) are not taken just to tidy up.
  d.type_patterns = {std::string(kCreated), std::string(kReserved),
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
    if (type == kReserved) {
      // Settled in time: the order is confirmed (or had moved on).
      ctx.CancelTimer(kReservationTimer);
      return orders.HandleReservationResult(e);
    }
    if (type == kReservationFailed) {
      ctx.Complete();  // rejected: nothing more to orchestrate
      return orders.HandleReservationResult(e);
    }
    if (type == kPaymentSucceeded) return orders.HandlePaymentSucceeded(e);
    return orders.HandleBackorderFilled(e);
  };
  d.on_timer = [&orders, options](std::string_view timer,
                                  runtime::SagaContext& ctx) -> core::Status {
    if (timer != kReservationTimer) return core::Status::Ok();
    const common::CommandContext command{.tenant = ctx.id().tenant,
                                         .event_id_seed = ctx.step_id()};
    ASSIGN_OR_RETURN(bool rejected,
                     orders.RejectIfPending(
                         command, ctx.id().key,
                         "reservation timed out after " +
                             std::to_string(options.timeout.count()) + " ms"));
    // An order that settled first may still be paid or have backorders
    // filled: its instance goes on.
    if (rejected) ctx.Complete();
    return core::Status::Ok();
  };
  return d;
}

}  // namespace stockpile::domain::orders
