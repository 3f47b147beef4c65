// CatalogService: the catalog's commands — products, locations, suppliers —
// each emitting catalog.* events (event_catalog.h) to the aggregate's stream.
//
//   CatalogService catalog(deps);
//   ASSIGN_OR_RETURN(ProductState p,
//       catalog.CreateProduct(ctx, NewProduct{.sku = "A-1", .name = "Apple",
//                                             .price_minor = 125}));
//
// Sku uniqueness per tenant: CreateProduct first claims the sku in its own
// stream (product_state.h), then appends catalog.product.created with
// NoStream to the product's stream; if that fails the claim is released. A
// claim left behind by a crash between the two appends is taken over when
// the product it names was never created under that sku (or was deleted).
//
// Errors: InvalidArgument (bad input, named), AlreadyExists (id or sku
// taken), NotFound (unknown or deleted product / supplier), Conflict (gave
// up after many concurrent changes), store errors as they come.
//
// Ownership: borrows DomainDeps. Thread-safety: safe for concurrent use.
#ifndef STOCKPILE_DOMAIN_CATALOG_CATALOG_SERVICE_H_
#define STOCKPILE_DOMAIN_CATALOG_CATALOG_SERVICE_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "domain/catalog/catalog_reader.h"
#include "domain/catalog/location_state.h"
#include "domain/catalog/product_state.h"
#include "domain/catalog/supplier_state.h"
#include "domain/common/aggregate_repository.h"
#include "domain/common/command_context.h"

namespace stockpile::domain::catalog {

struct NewProduct {
  std::string id;  // "" = assigned ("prod-<uuid>")
  std::string sku;
  std::string name;
  int64_t price_minor = 0;  // >= 0
  std::string currency = "USD";
  std::string unit = "pcs";
  int64_t reorder_point = 0;  // >= 0
  bool allow_backorder = false;
};

// Unset fields stay as they are.
struct ProductChanges {
  std::optional<std::string> sku;
  std::optional<std::string> name;
  std::optional<int64_t> price_minor;
  std::optional<std::string> currency;
  std::optional<std::string> unit;
  std::optional<int64_t> reorder_point;
  std::optional<bool> active;
  std::optional<bool> allow_backorder;
};

struct NewLocation {
  std::string id;
  std::string name;
  int64_t priority = 100;
};

struct SupplierFields {
  std::string id;  // "" on create = assigned ("sup-<uuid>")
  std::string name;
  std::string email;
  int64_t lead_time_days = 0;  // >= 0
  // A region pack code (e.g. "ID") whose business days count the lead
  // time; "" = the tenant's region (tenant settings), else calendar days.
  std::string region;
  std::map<std::string, int64_t> prices_minor;  // per productId, >= 0
};

class CatalogService : public CatalogReader {
 public:
  explicit CatalogService(const common::DomainDeps& deps);

  core::Result<ProductState> CreateProduct(const common::CommandContext& ctx,
                                           NewProduct product);
  // A no-op (nothing appended) when nothing changes.
  core::Result<ProductState> UpdateProduct(const common::CommandContext& ctx,
                                           std::string_view product_id,
                                           const ProductChanges& changes);
  // Frees the sku. NotFound when unknown or already deleted.
  core::Status DeleteProduct(const common::CommandContext& ctx,
                             std::string_view product_id);

  core::Status CreateLocation(const common::CommandContext& ctx,
                              const NewLocation& location);

  core::Result<SupplierState> CreateSupplier(const common::CommandContext& ctx,
                                             SupplierFields supplier);
  // Replaces the supplier's fields (id names the supplier).
  core::Result<SupplierState> UpdateSupplier(const common::CommandContext& ctx,
                                             const SupplierFields& supplier);
  core::Result<SupplierState> GetSupplier(std::string_view tenant,
                                          std::string_view supplier_id) const;

  // CatalogReader, straight from the streams.
  core::Result<ProductState> GetProduct(
      std::string_view tenant, std::string_view product_id) const override;
  core::Result<LocationsState> GetLocations(
      std::string_view tenant) const override;

 private:
  // `*newly_claimed` (when given) says whether this call made the claim,
  // rather than finding it held by `product_id` already.
  core::Status ClaimSku(const common::CommandContext& ctx, std::string_view sku,
                        std::string_view product_id,
                        bool* newly_claimed = nullptr);
  core::Status ReleaseSku(const common::CommandContext& ctx,
                          std::string_view sku, std::string_view product_id);

  // Immutable after construction.
  const common::DomainDeps deps_;
  common::AggregateRepository<ProductState> products_;
  common::AggregateRepository<SkuState> skus_;
  common::AggregateRepository<LocationsState> locations_;
  common::AggregateRepository<SupplierState> suppliers_;
};

}  // namespace stockpile::domain::catalog

#endif  // STOCKPILE_DOMAIN_CATALOG_CATALOG_SERVICE_H_
