#include "domain/inventory/purchase_receipts.h"

#include <string>

#include "core/status_macros.h"
#include "domain/common/json_fields.h"
#include "runtime/handler_outcome.h"

namespace stockpile::domain::inventory {

core::Status ReceivePurchase(InventoryService& inventory,
                             const core::Event& e) {
  const boost::json::value* lines = e.payload.if_contains("lines");
  const std::string po = common::JsonString(e.payload, "purchaseOrderId");
  const int64_t number = common::JsonInt(e.payload, "receiptNumber");
  if (lines == nullptr || !lines->is_array() || po.empty() || number <= 0) {
    return core::InvalidArgumentError(
        "purchasing.order.received needs purchaseOrderId, receiptNumber and "
        "lines");
  }
  std::string location = common::JsonString(e.payload, "locationId");
  if (location.empty()) location = "main";
  const common::CommandContext ctx{
      .tenant = e.tenant_id, .cause = &e, .event_id_seed = e.event_id};
  for (const boost::json::value& v : lines->get_array()) {
    const boost::json::object* line = v.if_object();
    if (line == nullptr) continue;
    RETURN_IF_ERROR(
        inventory
            .Receive(ctx, {.product_id = common::JsonString(*line, "productId"),
                           .location_id = location,
                           .quantity = common::JsonInt(*line, "quantity"),
                           .purchase_order_id = po,
                           .receipt_number = number})
            .status());
  }
  return core::Status::Ok();
}

runtime::ConsumerOptions PurchaseReceiptSubscription(
    InventoryService& inventory) {
  runtime::ConsumerOptions options;
  options.name = std::string(kPurchaseReceiptSubscription);
  options.type_patterns = {"purchasing.order.received"};
  options.handler = [&inventory](const core::EventPtr& e,
                                 runtime::HandlerContext&) {
    return runtime::HandlerOutcome::FromStatus(ReceivePurchase(inventory, *e));
  };
  return options;
}

}  // namespace stockpile::domain::inventory
