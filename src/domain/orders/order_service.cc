#include "domain/orders/order_service.h"

#include <boost/json/serialize.hpp>
#include <cstdio>
#include <utility>

#include "core/status_macros.h"
#include "core/time_format.h"
#include "domain/common/ids.h"
#include "domain/common/json_fields.h"
#include "domain/common/money.h"

namespace stockpile::domain::orders {

namespace {

constexpr std::string_view kSource = "orders";
using Events = std::vector<core::Event>;

std::string OrderNumber(const std::string& uuid, int64_t now_ms) {
  int64_t y = 0;
  unsigned m = 0, d = 0;
  core::CivilFromDays(now_ms / 86'400'000, y, m, d);
  char date[16];
  std::snprintf(date, sizeof(date), "%04lld%02u%02u", static_cast<long long>(y),
                m, d);
  std::string hex;
  for (char c : uuid) {
    if (c != '-') hex.push_back(c);
  }
  std::string tail = hex.substr(hex.size() - 12);
  for (char& c : tail) {
    if (c >= 'a' && c <= 'f') c = static_cast<char>(c - 'a' + 'A');
  }
  return "ORD-" + std::string(date) + "-" + tail;
}

// "3 of 'p1' at 'main', 1 of 'p2' at 'wh-2'": what the order still waits
// for.
std::string WaitingFor(const OrderState& s) {
  std::string out;
  for (const OrderBackorder& b : s.backorders) {
    if (b.quantity <= 0) continue;
    if (!out.empty()) out += ", ";
    out += std::to_string(b.quantity) + " of '" + b.product_id + "' at '" +
           b.location_id + "'";
  }
  return out;
}

// The backordered units of inventory.stock.reserved's lines, as
// [{productId, locationId, quantity}].
boost::json::array BackordersOf(const core::Event& reserved) {
  boost::json::array out;
  const boost::json::value* lines = reserved.payload.if_contains("lines");
  if (lines == nullptr || !lines->is_array()) return out;
  for (const boost::json::value& v : lines->get_array()) {
    const boost::json::object* l = v.if_object();
    if (l == nullptr) continue;
    const int64_t waiting = common::JsonInt(*l, "backordered");
    if (waiting <= 0) continue;
    out.push_back(boost::json::object{
        {"productId", common::JsonString(*l, "productId")},
        {"locationId", common::JsonString(*l, "locationId")},
        {"quantity", waiting}});
  }
  return out;
}

}  // namespace

OrderService::OrderService(const common::DomainDeps& deps,
                           const catalog::CatalogReader& catalog)
    : deps_(deps), catalog_(catalog), orders_(*deps.store, deps.repository) {}

core::Result<OrderState> OrderService::PlaceOrder(
    const common::CommandContext& ctx, NewOrder order) {
  const std::string uuid = deps_.ids->NextString();
  if (order.id.empty()) order.id = "ord-" + uuid;
  RETURN_IF_ERROR(common::ValidateId(order.id, "order id"));
  if (order.customer_id.empty() || order.customer_id.size() > 100) {
    return core::InvalidArgumentError("customerId must be 1..100 characters");
  }
  if (!common::IsIso4217(order.currency)) {
    return core::InvalidArgumentError("currency '" + order.currency +
                                      "' is not an ISO 4217 code");
  }
  if (order.items.empty()) {
    return core::InvalidArgumentError("an order needs at least one item");
  }
  OrderState s;
  s.exists = true;
  s.id = order.id;
  s.customer_id = order.customer_id;
  s.currency = order.currency;
  s.status = "pending";
  for (size_t i = 0; i < order.items.size(); ++i) {
    const NewOrderLine& in = order.items[i];
    const std::string where = "items[" + std::to_string(i) + "]: ";
    RETURN_IF_ERROR(common::ValidateId(in.product_id, where + "productId"));
    if (in.quantity <= 0 || in.quantity > common::kMaxQuantity) {
      return core::InvalidArgumentError(where +
                                        "quantity must be a positive integer");
    }
    if (!in.location_id.empty()) {
      RETURN_IF_ERROR(common::ValidateId(in.location_id, where + "locationId"));
    }
    core::Result<catalog::ProductState> product =
        catalog_.GetProduct(ctx.tenant, in.product_id);
    if (!product.ok()) {
      if (product.status().code() == core::StatusCode::kNotFound) {
        return core::InvalidArgumentError(where + "unknown product '" +
                                          in.product_id + "'");
      }
      return product.status();
    }
    if (product->deleted || !product->active) {
      return core::InvalidArgumentError(where + "product '" + in.product_id +
                                        "' is no longer sold");
    }
    const int64_t price = in.unit_price_minor.value_or(product->price_minor);
    if (price < 0 || price > common::kMaxMoneyMinor) {
      return core::InvalidArgumentError(where +
                                        "unitPrice must not be negative");
    }
    int64_t line_total = 0;
    if (__builtin_mul_overflow(price, in.quantity, &line_total) ||
        __builtin_add_overflow(s.total_minor, line_total, &s.total_minor) ||
        s.total_minor > common::kMaxMoneyMinor) {
      return core::InvalidArgumentError("the order total is out of range");
    }
    s.items.push_back(
        OrderLine{in.product_id, in.quantity, price, in.location_id});
  }
  if (order.total_minor && *order.total_minor != s.total_minor) {
    return core::InvalidArgumentError(
        "totalAmount " +
        boost::json::serialize(common::MoneyToJson(*order.total_minor)) +
        " differs from the sum of the items " +
        boost::json::serialize(common::MoneyToJson(s.total_minor)));
  }
  s.order_number = OrderNumber(uuid, deps_.clock->NowMillis());

  boost::json::object created = s.ToJson();
  boost::json::object payload{{"orderId", s.id},
                              {"orderNumber", s.order_number},
                              {"customerId", s.customer_id},
                              {"items", created.at("items")},
                              {"totalAmount", created.at("totalAmount")},
                              {"currency", s.currency}};
  auto committed = orders_.Execute(
      ctx.tenant, OrderStream(s.id),
      [&](const OrderState&, int64_t version) -> core::Result<Events> {
        if (version != 0) {
          return core::AlreadyExistsError("order '" + s.id +
                                          "' already exists");
        }
        Events out;
        out.push_back(common::NewEvent(deps_, ctx, kSource,
                                       std::string(kOrderCreated), "order",
                                       s.id, payload));
        return out;
      });
  if (!committed.ok()) return committed.status();
  s.created_at_ms = committed->events.front()->timestamp_ms;
  s.updated_at_ms = s.created_at_ms;
  return s;
}

core::Result<OrderState> OrderService::Transition(
    const common::CommandContext& ctx, std::string_view order_id,
    std::string_view status, std::string_view reason,
    boost::json::array backorders) {
  RETURN_IF_ERROR(common::ValidateId(order_id, "order id"));
  if (!IsOrderStatus(status) || status == "pending") {
    return core::InvalidArgumentError("'" + std::string(status) +
                                      "' is not a status an order moves to");
  }
  OrderState result;
  auto committed = orders_.Execute(
      ctx.tenant, OrderStream(order_id),
      [&](const OrderState& s, int64_t) -> core::Result<Events> {
        if (!s.exists) {
          return core::NotFoundError("no order '" + std::string(order_id) +
                                     "'");
        }
        if (!NextStatusAllowed(s.status, status)) {
          return core::ConflictError(
              "order '" + std::string(order_id) + "' is " + s.status +
              " and cannot become " + std::string(status));
        }
        if (status == "shipped" && s.Backordered() > 0) {
          // Inventory commits only complete holds: the order would say
          // shipped while its stock stays put.
          return core::FailedPreconditionError(
              "order '" + std::string(order_id) +
              "' cannot ship: " + WaitingFor(s) + " still on backorder");
        }
        boost::json::object changed{{"orderId", order_id}};
        if (!reason.empty()) changed["reason"] = reason;
        if (status == "confirmed") {
          // What billing needs to open the bill without reading our stream.
          changed["totalAmount"] = common::MoneyToJson(s.total_minor);
          changed["currency"] = s.currency;
          changed["customerId"] = s.customer_id;
          if (!backorders.empty()) changed["backorders"] = backorders;
        }
        Events out;
        out.push_back(common::NewEvent(deps_, ctx, kSource,
                                       StatusEventType(status), "order",
                                       std::string(order_id), changed));
        out.push_back(common::NewEvent(deps_, ctx, kSource,
                                       std::string(kOrderUpdated), "order",
                                       std::string(order_id),
                                       {{"orderId", order_id},
                                        {"status", status},
                                        {"previousStatus", s.status}}));
        result = s;
        for (const core::Event& e : out) result.Apply(e);
        return out;
      });
  if (!committed.ok()) return committed.status();
  return result;
}

core::Result<OrderState> OrderService::GetOrder(
    std::string_view tenant, std::string_view order_id) const {
  RETURN_IF_ERROR(common::ValidateId(order_id, "order id"));
  ASSIGN_OR_RETURN(auto loaded, orders_.Load(tenant, OrderStream(order_id)));
  if (!loaded.state.exists) {
    return core::NotFoundError("no order '" + std::string(order_id) + "'");
  }
  return loaded.state;
}

core::Status OrderService::HandleReservationResult(const core::Event& e) {
  std::string_view target;
  std::string reason;
  boost::json::array backorders;
  if (e.event_type == "inventory.stock.reserved") {
    target = "confirmed";
    backorders = BackordersOf(e);
  } else if (e.event_type == "inventory.stock.reservation_failed") {
    target = "rejected";
    reason = std::string(e.PayloadString("reason"));
    if (const boost::json::value* s = e.payload.if_contains("shortages")) {
      reason += ": " + boost::json::serialize(*s);
    }
  } else {
    return core::InvalidArgumentError("not a reservation result: " +
                                      e.event_type);
  }
  std::string_view order_id = e.PayloadString("orderId");
  if (order_id.empty()) order_id = e.aggregate_id;
  const common::CommandContext ctx{.tenant = e.tenant_id, .cause = &e};
  // A settled order (a redelivery) refuses the move with Conflict below.
  core::Result<OrderState> moved =
      Transition(ctx, order_id, target, reason, std::move(backorders));
  if (moved.status().code() == core::StatusCode::kConflict) {
    // Fine if the order moved on meanwhile (e.g. cancelled); if it is
    // still pending the conflicts were contention: let the caller retry.
    ASSIGN_OR_RETURN(OrderState now, GetOrder(e.tenant_id, order_id));
    if (now.status != "pending") return core::Status::Ok();
  }
  return moved.status();
}

core::Result<bool> OrderService::RejectIfPending(
    const common::CommandContext& ctx, std::string_view order_id,
    std::string_view reason) {
  core::Result<OrderState> order = GetOrder(ctx.tenant, order_id);
  if (order.status().code() == core::StatusCode::kNotFound) return false;
  if (!order.ok()) return order.status();
  if (order->status != "pending") return false;
  core::Result<OrderState> moved =
      ChangeStatus(ctx, order_id, "rejected", reason);
  if (moved.ok()) return true;
  if (moved.status().code() == core::StatusCode::kConflict) {
    ASSIGN_OR_RETURN(OrderState now, GetOrder(ctx.tenant, order_id));
    if (now.status != "pending") return false;  // settled first
  }
  return moved.status();
}

core::Status OrderService::HandlePaymentSucceeded(const core::Event& e) {
  if (e.event_type != "payment.succeeded") {
    return core::InvalidArgumentError("not a payment: " + e.event_type);
  }
  const std::string_view order_id = e.PayloadString("orderId");
  const common::CommandContext ctx{.tenant = e.tenant_id, .cause = &e};
  ASSIGN_OR_RETURN(OrderState order, GetOrder(e.tenant_id, order_id));
  if (order.status != "confirmed") {
    // Already paid (a redelivery) or moved on; a payment for a cancelled
    // order stays on its bill for a refund by hand.
    return core::Status::Ok();
  }
  core::Result<OrderState> moved = ChangeStatus(ctx, order_id, "paid");
  if (moved.status().code() == core::StatusCode::kConflict) {
    ASSIGN_OR_RETURN(OrderState now, GetOrder(e.tenant_id, order_id));
    if (now.status != "confirmed") return core::Status::Ok();
  }
  return moved.status();
}

core::Status OrderService::HandleBackorderFilled(const core::Event& e) {
  if (e.event_type != "inventory.position.backorder_filled") {
    return core::InvalidArgumentError("not a backorder fill: " + e.event_type);
  }
  const std::string_view order_id = e.PayloadString("orderId");
  const std::string_view product_id = e.PayloadString("productId");
  const std::string_view location_id = e.PayloadString("locationId");
  const boost::json::value* left = e.payload.if_contains("backordered");
  if (order_id.empty() || product_id.empty() || location_id.empty() ||
      left == nullptr) {
    return core::InvalidArgumentError(
        "inventory.position.backorder_filled needs orderId, productId, "
        "locationId and backordered");
  }
  RETURN_IF_ERROR(common::ValidateId(order_id, "orderId"));
  ASSIGN_OR_RETURN(const int64_t still_waiting,
                   common::ParseQuantity(*left, "backordered"));
  if (still_waiting < 0) {
    return core::InvalidArgumentError("backordered must not be negative");
  }
  const common::CommandContext ctx{.tenant = e.tenant_id, .cause = &e};
  return orders_
      .Execute(ctx.tenant, OrderStream(order_id),
               [&](const OrderState& s, int64_t) -> core::Result<Events> {
                 if (!s.exists) return Events{};
                 for (const OrderBackorder& b : s.backorders) {
                   if (b.product_id == product_id &&
                       b.location_id == location_id &&
                       b.quantity <= still_waiting) {
                     return Events{};  // told as much already (a redelivery)
                   }
                 }
                 Events out;
                 out.push_back(common::NewEvent(
                     deps_, ctx, kSource, std::string(kOrderBackorderFilled),
                     "order", std::string(order_id),
                     {{"orderId", order_id},
                      {"productId", product_id},
                      {"locationId", location_id},
                      {"quantity", common::JsonInt(e.payload, "quantity")},
                      {"backordered", still_waiting}}));
                 return out;
               })
      .status();
}

}  // namespace stockpile::domain::orders
