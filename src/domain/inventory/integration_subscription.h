// The inventory service's subscription to integration ingest
// (domain/integrations/integration_service.h): stock that moved in another
// system moves here.
//
//   "inventory.integrations"
//     sales.sale.completed         -> one "sale" adjustment (-quantity) per
//                                     line, at the sale's location
//     integration.event.received   -> by its canonicalType:
//       inventory.stock.received      Receive
//       inventory.stock.adjusted      Adjust by delta, or to a counted onHand
//       inventory.transfer.initiated  StartTransfer (the sender's transferId)
//       inventory.transfer.completed  CompleteTransfer
//       anything else                 not inventory's: ignored
//
// Every command runs with event_id_seed = the ingested event's id (and the
// line index), so a redelivery after a crash between the effect and the
// consumer's inbox commit re-appends the same eventIds, which the store
// answers as a no-op. A movement the ledger refuses (more sold than is on
// hand, an unknown transfer) is a permanent failure: parked in the dead
// letters with the reason, for an operator to look at.
//
// Ownership: the handler borrows `inventory`, which must outlive the
// consumer. Thread-safety: the handler is safe for concurrent use.
#ifndef STOCKPILE_DOMAIN_INVENTORY_INTEGRATION_SUBSCRIPTION_H_
#define STOCKPILE_DOMAIN_INVENTORY_INTEGRATION_SUBSCRIPTION_H_

#include <string_view>

#include "domain/inventory/inventory_service.h"
#include "runtime/consumer_options.h"

namespace stockpile::domain::inventory {

inline constexpr std::string_view kIntegrationSubscription =
    "inventory.integrations";

// Options with the name, patterns and handler set; the caller adds the
// retry policy and worker count.
runtime::ConsumerOptions IntegrationStockSubscription(
    InventoryService& inventory);

}  // namespace stockpile::domain::inventory

#endif  // STOCKPILE_DOMAIN_INVENTORY_INTEGRATION_SUBSCRIPTION_H_
