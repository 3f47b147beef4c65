// ReplenishmentService: replenishment rules and what they trigger
// (DESIGN.md §4.2).
//
//   inventory.stock.low, or the periodic review (ReviewAll)
//     -> Review -> replenishment.triggered
//                                        (stream of the rule, carrying the
//                                         new purchase order's id)
//   replenishment.triggered -> HandleTriggered -> PurchaseOrderService::Create
//                              (auto-approved under the rule's limit)
//
// Review orders only when the inventory position — available now plus what
// open purchase orders for the product at the location still bring — is at
// or below the rule's reorder point in force (rule_reorder_point.h: the
// rule's, or for a dynamic rule the forecast demand over the supplier's
// business-day lead time plus safety stock, read from the demand history
// read model; replenishment.triggered records which and why), so a shortage an
// open purchase order already covers never gets a second one. Reviews of one
// rule are decided on its stream's version, so two concurrent reviews cannot
// both order. Open orders triggered by the rule are read from their streams;
// manual ones from the purchase-order list (a read model, `orders`), which may
// lag a moment behind.
//
// Errors: InvalidArgument (bad rule, unknown location or supplier, a
// supplier without a price for the product), NotFound (unknown product or
// rule), FailedPrecondition (a triggered rule whose supplier lost the
// price), store errors as they come.
//
// Ownership: borrows everything; all must outlive it. Thread-safety: safe
// for concurrent use.
#ifndef STOCKPILE_DOMAIN_PURCHASING_REPLENISHMENT_SERVICE_H_
#define STOCKPILE_DOMAIN_PURCHASING_REPLENISHMENT_SERVICE_H_

#include <string>
#include <string_view>

#include "core/event.h"
#include "core/result.h"
#include "domain/catalog/catalog_service.h"
#include "domain/common/aggregate_repository.h"
#include "domain/common/command_context.h"
#include "domain/common/keyed_view.h"
#include "domain/inventory/inventory_service.h"
#include "domain/purchasing/purchase_order_service.h"
#include "domain/purchasing/replenishment_rule_state.h"
#include "domain/purchasing/rule_reorder_point.h"

namespace stockpile::domain::purchasing {

inline constexpr std::string_view kLowStockReason = "low_stock";
inline constexpr std::string_view kPeriodicReviewReason = "periodic_review";

class ReplenishmentService {
 public:
  // `orders` may be null (then only the rule's own purchase orders count
  // as cover). `demand`: what dynamic reorder points read (without a
  // history every dynamic rule uses its reorderPoint).
  ReplenishmentService(const common::DomainDeps& deps,
                       const catalog::CatalogService& catalog,
                       const inventory::InventoryService& inventory,
                       PurchaseOrderService& purchase_orders,
                       const common::KeyedView<PurchaseOrderState>* orders,
                       DemandSources demand = {});

  // Creates or replaces the rule of rule.product_id at rule.location_id.
  core::Result<RuleState> PutRule(const common::CommandContext& ctx,
                                  ReplenishmentRule rule);
  core::Result<RuleState> GetRule(std::string_view tenant,
                                  std::string_view product_id,
                                  std::string_view location_id) const;

  // The id of the purchase order triggered, or "" when the rule is absent
  // or the position is above the reorder point.
  core::Result<std::string> Review(const common::CommandContext& ctx,
                                   std::string_view product_id,
                                   std::string_view location_id,
                                   std::string_view reason);

  core::Status HandleStockLow(const core::Event& stock_low);
  core::Status HandleTriggered(const core::Event& triggered);

  // Reviews every rule in `rules` (all tenants); the first error after
  // trying them all.
  core::Status ReviewAll(const common::KeyedView<RuleState>& rules);

 private:
  core::Result<int64_t> OnOrder(std::string_view tenant,
                                const RuleState& state) const;

  // Immutable after construction.
  const common::DomainDeps deps_;
  const catalog::CatalogService& catalog_;
  const inventory::InventoryService& inventory_;
  PurchaseOrderService& purchase_orders_;
  const common::KeyedView<PurchaseOrderState>* const orders_;
  const DemandSources demand_;
  common::AggregateRepository<RuleState> rules_;
  common::AggregateRepository<PurchaseOrderState> order_streams_;
};

}  // namespace stockpile::domain::purchasing

#endif  // STOCKPILE_DOMAIN_PURCHASING_REPLENISHMENT_SERVICE_H_
