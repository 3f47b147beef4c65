#include "domain/catalog/catalog_service.h"

#include <utility>

#include "core/status_macros.h"
#include "domain/calendar/region_pack.h"
#include "domain/common/ids.h"
#include "domain/common/money.h"

namespace stockpile::domain::catalog {

namespace {

constexpr std::string_view kSource = "catalog";
using Events = std::vector<core::Event>;

core::Status CheckText(std::string_view value, std::string_view what,
                       size_t max) {
  if (value.empty()) {
    return core::InvalidArgumentError(std::string(what) + " is empty");
  }
  if (value.size() > max) {
    return core::InvalidArgumentError(std::string(what) + " is longer than " +
                                      std::to_string(max) + " characters");
  }
  return core::Status::Ok();
}

core::Status CheckNonNegative(int64_t v, std::string_view what) {
  if (v < 0) {
    return core::InvalidArgumentError(std::string(what) +
                                      " must not be negative");
  }
  return core::Status::Ok();
}

core::Status ValidateProduct(const ProductState& p) {
  RETURN_IF_ERROR(CheckText(p.sku, "sku", 100));
  RETURN_IF_ERROR(CheckText(p.name, "name", 200));
  RETURN_IF_ERROR(CheckText(p.unit, "unit", 20));
  RETURN_IF_ERROR(CheckNonNegative(p.price_minor, "price"));
  if (p.price_minor > common::kMaxMoneyMinor) {
    return core::InvalidArgumentError("price is out of range");
  }
  RETURN_IF_ERROR(CheckNonNegative(p.reorder_point, "reorderPoint"));
  if (!common::IsIso4217(p.currency)) {
    return core::InvalidArgumentError("currency '" + p.currency +
                                      "' is not an ISO 4217 code");
  }
  return core::Status::Ok();
}

core::Status ValidateSupplier(const SupplierFields& s) {
  RETURN_IF_ERROR(common::ValidateId(s.id, "supplier id"));
  RETURN_IF_ERROR(CheckText(s.name, "name", 200));
  if (s.email.size() > 254) {
    return core::InvalidArgumentError("email is longer than 254 characters");
  }
  RETURN_IF_ERROR(CheckNonNegative(s.lead_time_days, "leadTimeDays"));
  if (!s.region.empty() && calendar::FindRegionPack(s.region) == nullptr) {
    std::string known;
    for (const calendar::RegionPack& p : calendar::RegionPacks()) {
      known += (known.empty() ? "" : ", ") + p.code;
    }
    return core::InvalidArgumentError("'region': no region pack '" + s.region +
                                      "' (known: " + known + ")");
  }
  for (const auto& [product, price] : s.prices_minor) {
    RETURN_IF_ERROR(common::ValidateId(product, "prices: product id"));
    RETURN_IF_ERROR(CheckNonNegative(price, "prices: price"));
  }
  return core::Status::Ok();
}

SupplierState ToState(const SupplierFields& f) {
  SupplierState s;
  s.exists = true;
  s.id = f.id;
  s.name = f.name;
  s.email = f.email;
  s.lead_time_days = f.lead_time_days;
  s.region = f.region;
  s.prices_minor = f.prices_minor;
  return s;
}

}  // namespace

CatalogService::CatalogService(const common::DomainDeps& deps)
    : deps_(deps),
      products_(*deps.store, deps.repository),
      skus_(*deps.store, deps.repository),
      locations_(*deps.store, deps.repository),
      suppliers_(*deps.store, deps.repository) {}

core::Status CatalogService::ClaimSku(const common::CommandContext& ctx,
                                      std::string_view sku,
                                      std::string_view product_id,
                                      bool* newly_claimed) {
  if (newly_claimed != nullptr) *newly_claimed = false;
  return skus_
      .Execute(
          ctx.tenant, SkuStream(sku),
          [&](const SkuState& s, int64_t) -> core::Result<Events> {
            if (newly_claimed != nullptr) *newly_claimed = false;
            if (s.product_id == product_id) return Events{};
            if (!s.product_id.empty()) {
              // Held by another product: stale only if that product
              // exists and no longer carries the sku.
              ASSIGN_OR_RETURN(
                  auto holder,
                  products_.Load(ctx.tenant, ProductStream(s.product_id)));
              const ProductState& h = holder.state;
              if (holder.version == 0 || (!h.deleted && h.sku == sku)) {
                return core::AlreadyExistsError(
                    "sku '" + std::string(sku) +
                    "' is already used by product '" + s.product_id + "'");
              }
            }
            if (newly_claimed != nullptr) *newly_claimed = true;
            Events out;
            out.push_back(common::NewEvent(
                deps_, ctx, kSource, std::string(kSkuClaimed), "sku",
                std::string(sku), {{"sku", sku}, {"productId", product_id}}));
            return out;
          })
      .status();
}

core::Status CatalogService::ReleaseSku(const common::CommandContext& ctx,
                                        std::string_view sku,
                                        std::string_view product_id) {
  return skus_
      .Execute(
          ctx.tenant, SkuStream(sku),
          [&](const SkuState& s, int64_t) -> core::Result<Events> {
            if (s.product_id != product_id) return Events{};
            Events out;
            out.push_back(common::NewEvent(
                deps_, ctx, kSource, std::string(kSkuReleased), "sku",
                std::string(sku), {{"sku", sku}, {"productId", product_id}}));
            return out;
          })
      .status();
}

core::Result<ProductState> CatalogService::CreateProduct(
    const common::CommandContext& ctx, NewProduct np) {
  if (np.id.empty()) np.id = "prod-" + deps_.ids->NextString();
  RETURN_IF_ERROR(common::ValidateId(np.id, "product id"));
  ProductState p;
  p.exists = true;
  p.id = np.id;
  p.sku = std::move(np.sku);
  p.name = std::move(np.name);
  p.price_minor = np.price_minor;
  p.currency = std::move(np.currency);
  p.unit = std::move(np.unit);
  p.reorder_point = np.reorder_point;
  p.allow_backorder = np.allow_backorder;
  RETURN_IF_ERROR(ValidateProduct(p));

  bool claimed = false;
  RETURN_IF_ERROR(ClaimSku(ctx, p.sku, p.id, &claimed));
  core::Result<common::Committed> created = products_.Execute(
      ctx.tenant, ProductStream(p.id),
      [&](const ProductState&, int64_t version) -> core::Result<Events> {
        if (version != 0) {
          return core::AlreadyExistsError("product '" + p.id +
                                          "' already exists");
        }
        boost::json::object payload = p.ToJson();
        payload.erase("active");
        payload.erase("deleted");
        Events out;
        out.push_back(common::NewEvent(deps_, ctx, kSource,
                                       std::string(kProductCreated), "product",
                                       p.id, std::move(payload)));
        return out;
      });
  if (!created.ok()) {
    // Our claim must not keep the sku from others. If this fails too, the
    // claim is stale and the next create takes it over (see header). A
    // claim this call found already held (a product created again with its
    // own id and sku) belongs to that product: it stays.
    if (claimed) ReleaseSku(ctx, p.sku, p.id).IgnoreError();
    return created.status();
  }
  return p;
}

core::Result<ProductState> CatalogService::UpdateProduct(
    const common::CommandContext& ctx, std::string_view product_id,
    const ProductChanges& changes) {
  RETURN_IF_ERROR(common::ValidateId(product_id, "product id"));
  std::string old_sku;
  ProductState result;
  bool claimed_new_sku = false;
  if (changes.sku) {
    // Claim the new sku before the product carries it.
    ASSIGN_OR_RETURN(ProductState current, GetProduct(ctx.tenant, product_id));
    if (current.deleted) {
      return core::NotFoundError("product '" + std::string(product_id) +
                                 "' is deleted");
    }
    if (*changes.sku != current.sku) {
      RETURN_IF_ERROR(CheckText(*changes.sku, "sku", 100));
      RETURN_IF_ERROR(ClaimSku(ctx, *changes.sku, product_id));
      claimed_new_sku = true;
    }
  }
  core::Result<common::Committed> done = products_.Execute(
      ctx.tenant, ProductStream(product_id),
      [&](const ProductState& s, int64_t) -> core::Result<Events> {
        if (!s.exists || s.deleted) {
          return core::NotFoundError("no product '" + std::string(product_id) +
                                     "'");
        }
        ProductState next = s;
        if (changes.sku) next.sku = *changes.sku;
        if (changes.name) next.name = *changes.name;
        if (changes.price_minor) next.price_minor = *changes.price_minor;
        if (changes.currency) next.currency = *changes.currency;
        if (changes.unit) next.unit = *changes.unit;
        if (changes.reorder_point) next.reorder_point = *changes.reorder_point;
        if (changes.active) next.active = *changes.active;
        if (changes.allow_backorder) {
          next.allow_backorder = *changes.allow_backorder;
        }
        RETURN_IF_ERROR(ValidateProduct(next));
        old_sku = s.sku;
        result = next;
        boost::json::object before = s.ToJson();
        boost::json::object after = next.ToJson();
        boost::json::object diff;
        for (const auto& kv : after) {
          if (before[kv.key()] != kv.value()) diff[kv.key()] = kv.value();
        }
        if (diff.empty()) return Events{};
        Events out;
        out.push_back(common::NewEvent(
            deps_, ctx, kSource, std::string(kProductUpdated), "product",
            std::string(product_id),
            {{"productId", product_id}, {"changes", std::move(diff)}}));
        return out;
      });
  if (!done.ok()) {
    if (claimed_new_sku) {
      ReleaseSku(ctx, *changes.sku, product_id).IgnoreError();
    }
    return done.status();
  }
  if (claimed_new_sku && old_sku != *changes.sku) {
    RETURN_IF_ERROR(ReleaseSku(ctx, old_sku, product_id));
  }
  return result;
}

core::Status CatalogService::DeleteProduct(const common::CommandContext& ctx,
                                           std::string_view product_id) {
  RETURN_IF_ERROR(common::ValidateId(product_id, "product id"));
  std::string sku;
  RETURN_IF_ERROR(
      products_
          .Execute(ctx.tenant, ProductStream(product_id),
                   [&](const ProductState& s, int64_t) -> core::Result<Events> {
                     if (!s.exists || s.deleted) {
                       return core::NotFoundError(
                           "no product '" + std::string(product_id) + "'");
                     }
                     sku = s.sku;
                     Events out;
                     out.push_back(common::NewEvent(
                         deps_, ctx, kSource, std::string(kProductDeleted),
                         "product", std::string(product_id),
                         {{"productId", product_id}}));
                     return out;
                   })
          .status());
  return ReleaseSku(ctx, sku, product_id);
}

core::Status CatalogService::CreateLocation(const common::CommandContext& ctx,
                                            const NewLocation& location) {
  RETURN_IF_ERROR(common::ValidateId(location.id, "location id"));
  RETURN_IF_ERROR(CheckText(location.name, "name", 200));
  return locations_
      .Execute(ctx.tenant, kLocationsStream,
               [&](const LocationsState& s, int64_t) -> core::Result<Events> {
                 if (s.Contains(location.id)) {
                   return core::AlreadyExistsError("location '" + location.id +
                                                   "' already exists");
                 }
                 Events out;
                 out.push_back(common::NewEvent(
                     deps_, ctx, kSource, std::string(kLocationCreated),
                     "location", location.id,
                     {{"locationId", location.id},
                      {"name", location.name},
                      {"priority", location.priority}}));
                 return out;
               })
      .status();
}

core::Result<SupplierState> CatalogService::CreateSupplier(
    const common::CommandContext& ctx, SupplierFields supplier) {
  if (supplier.id.empty()) supplier.id = "sup-" + deps_.ids->NextString();
  RETURN_IF_ERROR(ValidateSupplier(supplier));
  SupplierState s = ToState(supplier);
  RETURN_IF_ERROR(
      suppliers_
          .Execute(ctx.tenant, SupplierStream(s.id),
                   [&](const SupplierState&,
                       int64_t version) -> core::Result<Events> {
                     if (version != 0) {
                       return core::AlreadyExistsError("supplier '" + s.id +
                                                       "' already exists");
                     }
                     Events out;
                     out.push_back(common::NewEvent(
                         deps_, ctx, kSource, std::string(kSupplierCreated),
                         "supplier", s.id, s.ToJson()));
                     return out;
                   })
          .status());
  return s;
}

core::Result<SupplierState> CatalogService::UpdateSupplier(
    const common::CommandContext& ctx, const SupplierFields& supplier) {
  RETURN_IF_ERROR(ValidateSupplier(supplier));
  SupplierState s = ToState(supplier);
  RETURN_IF_ERROR(
      suppliers_
          .Execute(
              ctx.tenant, SupplierStream(s.id),
              [&](const SupplierState& cur, int64_t) -> core::Result<Events> {
                if (!cur.exists) {
                  return core::NotFoundError("no supplier '" + s.id + "'");
                }
                if (cur.ToJson() == s.ToJson()) return Events{};
                Events out;
                out.push_back(common::NewEvent(deps_, ctx, kSource,
                                               std::string(kSupplierUpdated),
                                               "supplier", s.id, s.ToJson()));
                return out;
              })
          .status());
  return s;
}

core::Result<SupplierState> CatalogService::GetSupplier(
    std::string_view tenant, std::string_view supplier_id) const {
  RETURN_IF_ERROR(common::ValidateId(supplier_id, "supplier id"));
  ASSIGN_OR_RETURN(auto loaded,
                   suppliers_.Load(tenant, SupplierStream(supplier_id)));
  if (!loaded.state.exists) {
    return core::NotFoundError("no supplier '" + std::string(supplier_id) +
                               "'");
  }
  return loaded.state;
}

core::Result<ProductState> CatalogService::GetProduct(
    std::string_view tenant, std::string_view product_id) const {
  RETURN_IF_ERROR(common::ValidateId(product_id, "product id"));
  ASSIGN_OR_RETURN(auto loaded,
                   products_.Load(tenant, ProductStream(product_id)));
  if (!loaded.state.exists) {
    return core::NotFoundError("no product '" + std::string(product_id) + "'");
  }
  return loaded.state;
}

core::Result<LocationsState> CatalogService::GetLocations(
    std::string_view tenant) const {
  ASSIGN_OR_RETURN(auto loaded, locations_.Load(tenant, kLocationsStream));
  return loaded.state;
}

}  // namespace stockpile::domain::catalog
