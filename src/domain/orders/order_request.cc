#include "domain/orders/order_request.h"

#include <string>

#include "core/status_macros.h"
#include "domain/common/money.h"

namespace stockpile::domain::orders {

namespace {

core::Status ReadString(const boost::json::object& o, std::string_view key,
                        const std::string& where, std::string& out) {
  const boost::json::value* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return core::Status::Ok();
  if (!v->is_string()) {
    return core::InvalidArgumentError(where + std::string(key) +
                                      " must be a string");
  }
  out = std::string(v->get_string());
  return core::Status::Ok();
}

}  // namespace

core::Result<NewOrder> ParseNewOrder(const boost::json::object& body) {
  NewOrder order;
  RETURN_IF_ERROR(ReadString(body, "id", "", order.id));
  RETURN_IF_ERROR(ReadString(body, "customerId", "", order.customer_id));
  RETURN_IF_ERROR(ReadString(body, "currency", "", order.currency));
  if (const boost::json::value* t = body.if_contains("totalAmount");
      t != nullptr && !t->is_null()) {
    ASSIGN_OR_RETURN(order.total_minor, common::ParseMoney(*t, "totalAmount"));
  }
  const boost::json::value* items = body.if_contains("items");
  if (items == nullptr || !items->is_array()) {
    return core::InvalidArgumentError("items must be an array");
  }
  for (size_t i = 0; i < items->get_array().size(); ++i) {
    const std::string where = "items[" + std::to_string(i) + "].";
    const boost::json::object* item = items->get_array()[i].if_object();
    if (item == nullptr) {
      return core::InvalidArgumentError("items[" + std::to_string(i) +
                                        "] must be an object");
    }
    NewOrderLine line;
    RETURN_IF_ERROR(ReadString(*item, "productId", where, line.product_id));
    RETURN_IF_ERROR(ReadString(*item, "locationId", where, line.location_id));
    const boost::json::value* q = item->if_contains("quantity");
    if (q == nullptr) {
      return core::InvalidArgumentError(where + "quantity is missing");
    }
    ASSIGN_OR_RETURN(line.quantity,
                     common::ParseQuantity(*q, where + "quantity"));
    for (std::string_view key : {"unitPrice", "price"}) {
      const boost::json::value* p = item->if_contains(key);
      if (p == nullptr || p->is_null() || line.unit_price_minor) continue;
      ASSIGN_OR_RETURN(line.unit_price_minor,
                       common::ParseMoney(*p, where + std::string(key)));
    }
    order.items.push_back(std::move(line));
  }
  return order;
}

}  // namespace stockpile::domain::orders
