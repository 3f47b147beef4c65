#include "domain/orders/order_state.h"

#include <algorithm>
#include <array>

#include "core/time_format.h"
#include "domain/common/json_fields.h"
#include "domain/common/money.h"

namespace stockpile::domain::orders {

namespace {

using common::JsonInt;
using common::JsonString;

constexpr std::array<std::string_view, 7> kStatuses = {
    "pending", "confirmed", "rejected", "cancelled",
    "paid",    "shipped",   "delivered"};

boost::json::array ItemsToJson(const std::vector<OrderLine>& items) {
  boost::json::array out;
  for (const OrderLine& l : items) {
    boost::json::object o{
        {"productId", l.product_id},
        {"quantity", l.quantity},
        {"unitPrice", common::MoneyToJson(l.unit_price_minor)}};
    if (!l.location_id.empty()) o["locationId"] = l.location_id;
    out.push_back(std::move(o));
  }
  return out;
}

int64_t MoneyOr0(const boost::json::object& o, std::string_view key) {
  const boost::json::value* v = o.if_contains(key);
  if (v == nullptr) return 0;
  core::Result<int64_t> m = common::ParseMoney(*v, key);
  return m.ok() ? *m : 0;
}

std::vector<OrderLine> ItemsFromJson(const boost::json::value* v) {
  std::vector<OrderLine> out;
  if (v == nullptr || !v->is_array()) return out;
  for (const boost::json::value& item : v->get_array()) {
    const boost::json::object* o = item.if_object();
    if (o == nullptr) continue;
    out.push_back(OrderLine{JsonString(*o, "productId"),
                            JsonInt(*o, "quantity"), MoneyOr0(*o, "unitPrice"),
                            JsonString(*o, "locationId")});
  }
  return out;
}

// Records that at most `b.quantity` of the product still wait at the
// location: backorders only shrink, so the least value told wins.
void NoteBackorder(std::vector<OrderBackorder>& all, OrderBackorder b) {
  for (OrderBackorder& x : all) {
    if (x.product_id == b.product_id && x.location_id == b.location_id) {
      x.quantity = std::min(x.quantity, b.quantity);
      return;
    }
  }
  all.push_back(std::move(b));
}

boost::json::array BackordersToJson(const std::vector<OrderBackorder>& all) {
  boost::json::array out;
  for (const OrderBackorder& b : all) {
    out.push_back(boost::json::object{{"productId", b.product_id},
                                      {"locationId", b.location_id},
                                      {"quantity", b.quantity}});
  }
  return out;
}

// Folds [{productId, locationId, quantity}] into `all`.
void NoteBackorders(std::vector<OrderBackorder>& all,
                    const boost::json::value* v) {
  if (v == nullptr || !v->is_array()) return;
  for (const boost::json::value& item : v->get_array()) {
    if (const boost::json::object* o = item.if_object()) {
      NoteBackorder(all, OrderBackorder{JsonString(*o, "productId"),
                                        JsonString(*o, "locationId"),
                                        JsonInt(*o, "quantity")});
    }
  }
}

}  // namespace

std::string OrderStream(std::string_view order_id) {
  return "order-" + std::string(order_id);
}

bool IsOrderStatus(std::string_view status) {
  for (std::string_view s : kStatuses) {
    if (s == status) return true;
  }
  return false;
}

bool NextStatusAllowed(std::string_view from, std::string_view to) {
  if (to == "cancelled") {
    return from == "pending" || from == "confirmed" || from == "paid";
  }
  return (from == "pending" && (to == "confirmed" || to == "rejected")) ||
         (from == "confirmed" && to == "paid") ||
         (from == "paid" && to == "shipped") ||
         (from == "shipped" && to == "delivered");
}

std::string StatusEventType(std::string_view status) {
  return "order." + std::string(status);
}

int64_t OrderState::Backordered() const {
  int64_t total = 0;
  for (const OrderBackorder& b : backorders) total += b.quantity;
  return total;
}

boost::json::object OrderState::ToJson() const {
  boost::json::object o{{"id", id},
                        {"orderNumber", order_number},
                        {"status", status},
                        {"customerId", customer_id},
                        {"items", ItemsToJson(items)},
                        {"totalAmount", common::MoneyToJson(total_minor)},
                        {"currency", currency},
                        {"createdAt", core::FormatRfc3339Millis(created_at_ms)},
                        {"updatedAt", core::FormatRfc3339Millis(updated_at_ms)},
                        {"backorders", BackordersToJson(backorders)}};
  if (!reason.empty()) o["reason"] = reason;
  return o;
}

void OrderState::Apply(const core::Event& e) {
  const boost::json::object& p = e.payload;
  if (e.event_type == kOrderCreated) {
    *this = OrderState();
    exists = true;
    id = JsonString(p, "orderId");
    order_number = JsonString(p, "orderNumber");
    customer_id = JsonString(p, "customerId");
    items = ItemsFromJson(p.if_contains("items"));
    total_minor = MoneyOr0(p, "totalAmount");
    currency = JsonString(p, "currency");
    status = "pending";
    created_at_ms = e.timestamp_ms;
    updated_at_ms = e.timestamp_ms;
    return;
  }
  if (e.event_type == kOrderBackorderFilled) {
    NoteBackorder(backorders, OrderBackorder{JsonString(p, "productId"),
                                             JsonString(p, "locationId"),
                                             JsonInt(p, "backordered")});
    return;
  }
  if (e.event_type.rfind("order.", 0) != 0 || e.event_type == kOrderUpdated) {
    return;
  }
  const std::string_view next = std::string_view(e.event_type).substr(6);
  if (!IsOrderStatus(next)) return;
  status = std::string(next);
  reason = JsonString(p, "reason");
  updated_at_ms = e.timestamp_ms;
  if (status == "confirmed") {
    NoteBackorders(backorders, p.if_contains("backorders"));
  }
}

boost::json::object OrderState::ToSnapshot() const {
  boost::json::object o = ToJson();
  o["createdAtMs"] = created_at_ms;
  o["updatedAtMs"] = updated_at_ms;
  return o;
}

core::Result<OrderState> OrderState::FromSnapshot(
    const boost::json::object& o) {
  OrderState s;
  s.exists = true;
  s.id = JsonString(o, "id");
  s.order_number = JsonString(o, "orderNumber");
  s.status = JsonString(o, "status");
  s.customer_id = JsonString(o, "customerId");
  s.items = ItemsFromJson(o.if_contains("items"));
  s.total_minor = MoneyOr0(o, "totalAmount");
  s.currency = JsonString(o, "currency");
  s.reason = JsonString(o, "reason");
  s.created_at_ms = JsonInt(o, "createdAtMs");
  s.updated_at_ms = JsonInt(o, "updatedAtMs");
  NoteBackorders(s.backorders, o.if_contains("backorders"));
  if (!IsOrderStatus(s.status)) {
    return core::InternalError("order snapshot has status '" + s.status + "'");
  }
  return s;
}

}  // namespace stockpile::domain::orders
