// InventoryService: stock movements of one product at a time — receipts,
// adjustments, transfers — and the product's inventory view. Each command
// is one append to the product's stream (stock_item_state.h), followed in
// the same append by any low-stock crossing it causes (stock_levels.h).
// Reservations are in reservation_service.h.
//
// Lots (stock_lots.h): a receipt adds to its lot's bucket; a negative
// adjustment takes lots first-expiry-first-out (reason `sale`: unexpired
// lots first, any other reason: expired ones first, as a write-off would),
// a transfer moves unexpired lots first; the event names the lots
// (`lots`). "Today" for expiry is the UTC date of DomainDeps' clock.
//
//   InventoryService inventory(deps, catalog_reader);
//   ASSIGN_OR_RETURN(ProductInventory inv, inventory.Receive(ctx,
//       Receipt{.product_id = "product-001", .quantity = 100}));
//
// Errors: InvalidArgument (bad input), NotFound (unknown or deleted product,
// unknown location or transfer), FailedPrecondition (the movement would
// make available negative: stock held for orders cannot be moved or
// written off, nor can expired stock be sold), Conflict (gave up after
// many concurrent changes).
//
// Ownership: borrows DomainDeps and the CatalogReader, which must outlive
// it. Thread-safety: safe for concurrent use.
#ifndef STOCKPILE_DOMAIN_INVENTORY_INVENTORY_SERVICE_H_
#define STOCKPILE_DOMAIN_INVENTORY_INVENTORY_SERVICE_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"
#include "domain/catalog/catalog_reader.h"
#include "domain/common/aggregate_repository.h"
#include "domain/common/command_context.h"
#include "domain/inventory/stock_item_state.h"
#include "domain/inventory/stock_levels.h"

namespace stockpile::domain::inventory {

struct Receipt {
  std::string product_id;
  std::string location_id = "main";
  int64_t quantity = 0;           // > 0
  std::string lot_number;         // optional
  std::string expiry_date;        // optional, YYYY-MM-DD
  std::string purchase_order_id;  // optional
  // With purchase_order_id: the purchase order's receipt this is (1, 2,
  // ...); a receipt of a number already received is a no-op (redelivery).
  int64_t receipt_number = 0;
};

struct Adjustment {
  std::string product_id;
  std::string location_id = "main";
  int64_t delta = 0;  // != 0
  // damage|cycle_count|correction|sale|return|theft|expired|found|other
  std::string reason;
};

struct Transfer {
  std::string transfer_id;  // "" = assigned ("tr-<uuid>")
  std::string product_id;
  std::string from_location_id;
  std::string to_location_id;
  int64_t quantity = 0;  // > 0
};

class InventoryService {
 public:
  InventoryService(const common::DomainDeps& deps,
                   const catalog::CatalogReader& catalog);

  core::Result<ProductInventory> Receive(const common::CommandContext& ctx,
                                         const Receipt& receipt);
  core::Result<ProductInventory> Adjust(const common::CommandContext& ctx,
                                        const Adjustment& adjustment);
  // Takes the stock out of `from` (into the destination's inTransit) and
  // returns the transfer id.
  core::Result<std::string> StartTransfer(const common::CommandContext& ctx,
                                          Transfer transfer);
  // Moves a started transfer's stock from inTransit to onHand.
  core::Result<ProductInventory> CompleteTransfer(
      const common::CommandContext& ctx, std::string_view product_id,
      std::string_view transfer_id);

  // NotFound for a product the catalog does not know.
  core::Result<ProductInventory> GetInventory(
      std::string_view tenant, std::string_view product_id) const;

 private:
  // The product's reorder point; NotFound when unknown or deleted.
  core::Result<int64_t> ReorderPoint(std::string_view tenant,
                                     std::string_view product_id) const;
  core::Status CheckLocation(std::string_view tenant,
                             std::string_view location_id) const;
  core::Result<ProductInventory> Run(
      const common::CommandContext& ctx, std::string_view product_id,
      const std::function<
          core::Status(const StockItemState&, std::string_view today,
                       const EventMaker&, std::vector<core::Event>&)>& decide);

  // Immutable after construction.
  const common::DomainDeps deps_;
  const catalog::CatalogReader& catalog_;
  common::AggregateRepository<StockItemState> items_;
};

}  // namespace stockpile::domain::inventory

#endif  // STOCKPILE_DOMAIN_INVENTORY_INVENTORY_SERVICE_H_
