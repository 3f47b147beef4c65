// The inventory service's reaction to purchasing (DESIGN.md §4.2):
//
//   "inventory.purchase-receipts"  purchasing.order.received
//       -> InventoryService::Receive per line (inventory.stock.received
//          with purchaseOrderId and receiptNumber; inventory.stock.restored
//          when it lifts a low position)
//
// Exactly once: the runtime's inbox drops a redelivered event, and should
// one slip through after a crash (the effect appended, the inbox record
// not), the product's stream knows the receipt numbers it has taken
// (StockItemState::AlreadyReceived), so no line is received twice.
//
// Ownership: the handler borrows `inventory`, which must outlive the
// consumer. Thread-safety: the handler is safe for concurrent use.
#ifndef STOCKPILE_DOMAIN_INVENTORY_PURCHASE_RECEIPTS_H_
#define STOCKPILE_DOMAIN_INVENTORY_PURCHASE_RECEIPTS_H_

#include <string_view>

#include "core/event.h"
#include "core/status.h"
#include "domain/inventory/inventory_service.h"
#include "runtime/consumer_options.h"

namespace stockpile::domain::inventory {

inline constexpr std::string_view kPurchaseReceiptSubscription =
    "inventory.purchase-receipts";

// Receives every line of a purchasing.order.received event.
core::Status ReceivePurchase(InventoryService& inventory,
                             const core::Event& received);

// Options with the name, patterns and handler set; the caller adds the
// retry policy and worker count.
runtime::ConsumerOptions PurchaseReceiptSubscription(
    InventoryService& inventory);

}  // namespace stockpile::domain::inventory

#endif  // STOCKPILE_DOMAIN_INVENTORY_PURCHASE_RECEIPTS_H_
