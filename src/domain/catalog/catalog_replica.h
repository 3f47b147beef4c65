// CatalogReplica: the CatalogReader of a process that does not run the
// catalog service (distributed mode, DESIGN.md §6). It answers from read
// models fed by the catalog.product.* and catalog.location.* events that
// reach this process's log through the transport, never from the catalog's
// own streams (which live in the catalog process's store).
//
//   CatalogReplica replica(product_list, [&] { WaitForReadModels(); });
//   // the read-model subscription calls replica.Apply(e) for locations
//   OrderService orders(deps, replica);
//
// Consistency: as of the local log. A product or location this process has
// not heard of yet is first looked up again after `catch_up` — which must
// block (bounded) until the read models have applied every event the local
// log held when it was called — so a consumer handling an event at
// position P sees the catalog at least as of P. A product created moments
// ago in another process may still be unknown here (the caller's 404/422);
// that is the eventual consistency of a split deployment.
//
// Ownership: borrows `products`, which must outlive the replica.
// Thread-safety: safe for concurrent use.
#ifndef STOCKPILE_DOMAIN_CATALOG_CATALOG_REPLICA_H_
#define STOCKPILE_DOMAIN_CATALOG_CATALOG_REPLICA_H_

#include <functional>
#include <string_view>

#include "core/event.h"
#include "domain/catalog/catalog_reader.h"
#include "domain/common/keyed_view.h"

namespace stockpile::domain::catalog {

class CatalogReplica final : public CatalogReader {
 public:
  CatalogReplica(const common::KeyedView<ProductState>& products,
                 std::function<void()> catch_up);

  // Folds a catalog.location.* event (others are ignored).
  void Apply(const core::Event& e);

  core::Result<ProductState> GetProduct(
      std::string_view tenant, std::string_view product_id) const override;
  core::Result<LocationsState> GetLocations(
      std::string_view tenant) const override;

 private:
  const common::KeyedView<ProductState>& products_;
  const std::function<void()> catch_up_;
  common::KeyedView<LocationsState> locations_;  // one entry per tenant
};

}  // namespace stockpile::domain::catalog

#endif  // STOCKPILE_DOMAIN_CATALOG_CATALOG_REPLICA_H_
