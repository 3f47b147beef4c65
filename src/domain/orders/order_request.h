// ParseNewOrder: the body of POST /api/v1/orders (the ShopifyGenie shape)
// as a NewOrder, with exact money.
//
//   {"customerId": "c-1", "currency": "EUR", "totalAmount": 25.5,
//    "items": [{"productId": "product-001", "quantity": 2, "unitPrice": 12.75,
//               "locationId": "main"}]}
//
// `unitPrice` may also be spelled `price`; when absent the catalog price
// applies. Unknown fields are ignored. InvalidArgument names the field:
// "items[1].quantity must be an integer".
//
// Thread-safety: a pure function.
#ifndef STOCKPILE_DOMAIN_ORDERS_ORDER_REQUEST_H_
#define STOCKPILE_DOMAIN_ORDERS_ORDER_REQUEST_H_

#include <boost/json/object.hpp>

#include "core/result.h"
#include "domain/orders/order_service.h"

namespace stockpile::domain::orders {

core::Result<NewOrder> ParseNewOrder(const boost::json::object& body);

}  // namespace stockpile::domain::orders

#endif  // STOCKPILE_DOMAIN_ORDERS_ORDER_REQUEST_H_
