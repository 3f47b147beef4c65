#include "api/catalog_routes.h"

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>
#include <cctype>
#include <string>

#include "api/body_fields.h"
#include "api/json_body.h"
#include "api/query_params.h"
#include "api/status_http.h"
#include "core/status_macros.h"
#include "domain/common/money.h"

namespace stockpile::api {

using domain::catalog::ProductState;
using domain::catalog::SupplierState;

namespace {

constexpr size_t kDefaultPage = 50;
constexpr size_t kMaxPage = 500;

boost::json::object SupplierToJson(const SupplierState& s) {
  boost::json::object o = s.ToJson();
  o["id"] = s.id;
  return o;
}

Response Created(const boost::json::object& body, const std::string& location) {
  return std::move(Response::Json(201, boost::json::serialize(body)))
      .WithHeader("Location", location);
}

// Body -> NewProduct; unknown fields are ignored.
core::Result<domain::catalog::NewProduct> ParseNewProduct(
    const boost::json::object& body) {
  domain::catalog::NewProduct p;
  ASSIGN_OR_RETURN(std::optional<std::string> id, OptionalString(body, "id"));
  if (id) p.id = std::move(*id);
  ASSIGN_OR_RETURN(p.sku, RequiredString(body, "sku"));
  ASSIGN_OR_RETURN(p.name, RequiredString(body, "name"));
  ASSIGN_OR_RETURN(std::optional<int64_t> price, OptionalMoney(body, "price"));
  if (!price) return core::InvalidArgumentError("'price' is required");
  p.price_minor = *price;
  ASSIGN_OR_RETURN(std::optional<std::string> currency,
                   OptionalString(body, "currency"));
  if (currency) p.currency = std::move(*currency);
  ASSIGN_OR_RETURN(std::optional<std::string> unit,
                   OptionalString(body, "unit"));
  if (unit) p.unit = std::move(*unit);
  ASSIGN_OR_RETURN(std::optional<int64_t> rp,
                   OptionalQuantity(body, "reorderPoint"));
  if (rp) p.reorder_point = *rp;
  ASSIGN_OR_RETURN(std::optional<bool> backorder,
                   OptionalBool(body, "allowBackorder"));
  if (backorder) p.allow_backorder = *backorder;
  return p;
}

core::Result<domain::catalog::ProductChanges> ParseProductChanges(
    const boost::json::object& body) {
  domain::catalog::ProductChanges c;
  ASSIGN_OR_RETURN(c.sku, OptionalString(body, "sku"));
  ASSIGN_OR_RETURN(c.name, OptionalString(body, "name"));
  ASSIGN_OR_RETURN(c.price_minor, OptionalMoney(body, "price"));
  ASSIGN_OR_RETURN(c.currency, OptionalString(body, "currency"));
  ASSIGN_OR_RETURN(c.unit, OptionalString(body, "unit"));
  ASSIGN_OR_RETURN(c.reorder_point, OptionalQuantity(body, "reorderPoint"));
  ASSIGN_OR_RETURN(c.active, OptionalBool(body, "active"));
  ASSIGN_OR_RETURN(c.allow_backorder, OptionalBool(body, "allowBackorder"));
  return c;
}

core::Result<domain::catalog::SupplierFields> ParseSupplier(
    const boost::json::object& body) {
  domain::catalog::SupplierFields s;
  ASSIGN_OR_RETURN(std::optional<std::string> id, OptionalString(body, "id"));
  if (id) s.id = std::move(*id);
  ASSIGN_OR_RETURN(s.name, RequiredString(body, "name"));
  ASSIGN_OR_RETURN(std::optional<std::string> email,
                   OptionalString(body, "email"));
  if (email) s.email = std::move(*email);
  ASSIGN_OR_RETURN(std::optional<int64_t> lead,
                   OptionalQuantity(body, "leadTimeDays"));
  if (lead) s.lead_time_days = *lead;
  // Checked against the region packs by the catalog (422 when unknown).
  ASSIGN_OR_RETURN(std::optional<std::string> region,
                   OptionalString(body, "region"));
  if (region) s.region = std::move(*region);
  if (const boost::json::value* prices = body.if_contains("prices");
      prices != nullptr && !prices->is_null()) {
    if (!prices->is_object()) {
      return core::InvalidArgumentError(
          "'prices' must be an object of productId -> unit cost");
    }
    for (const auto& [product, cost] : prices->get_object()) {
      ASSIGN_OR_RETURN(
          int64_t minor,
          domain::common::ParseMoney(cost, "prices." + std::string(product)));
      s.prices_minor[std::string(product)] = minor;
    }
  }
  return s;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
    return static_cast<char>(std::tolower(c));
  });
  return out;
}

// The product of `id`, or NotFound when unknown or deleted.
core::Result<ProductState> LiveProduct(const CatalogApi& api,
                                       const Request& req,
                                       std::string_view id) {
  ASSIGN_OR_RETURN(ProductState p,
                   api.service->GetProduct(req.caller().tenant, id));
  if (p.deleted) {
    return core::NotFoundError("product '" + std::string(id) + "' was deleted");
  }
  return p;
}

Response CreateProduct(const CatalogApi& api, const Request& req) {
  auto body = ParseJsonObjectBody(req);
  if (!body.ok())
    return ErrorResponse(body.status(), req, ErrorStage::kDecoding);
  auto product = ParseNewProduct(*body);
  if (!product.ok()) return ErrorResponse(product.status(), req);
  auto created =
      api.service->CreateProduct(CommandContextOf(req), std::move(*product));
  if (!created.ok()) return ErrorResponse(created.status(), req);
  return Created(ProductToJson(*created), "/api/v1/products/" + created->id);
}

Response ListProducts(const CatalogApi& api, const Request& req) {
  auto limit = LimitQuery(req, kDefaultPage, kMaxPage);
  if (!limit.ok())
    return ErrorResponse(limit.status(), req, ErrorStage::kDecoding);
  const std::string query = Lower(req.Query("q").value_or(""));
  auto keep = [&query](const ProductState& p) {
    if (p.deleted) return false;
    if (query.empty()) return true;
    return Lower(p.sku).find(query) != std::string::npos ||
           Lower(p.name).find(query) != std::string::npos ||
           Lower(p.id).find(query) != std::string::npos;
  };
  std::string next;
  std::vector<ProductState> page =
      api.products->ByKey(req.caller().tenant, req.Query("after").value_or(""),
                          *limit, keep, &next);
  boost::json::array items;
  for (const ProductState& p : page) items.push_back(ProductToJson(p));
  return PageResponse(std::move(items), next);
}

Response GetProduct(const CatalogApi& api, const Request& req) {
  auto p = LiveProduct(api, req, req.PathParam("id"));
  if (!p.ok()) return ErrorResponse(p.status(), req);
  return Response::Json(200, boost::json::serialize(ProductToJson(*p)));
}

Response PatchProduct(const CatalogApi& api, const Request& req) {
  auto body = ParseJsonObjectBody(req);
  if (!body.ok())
    return ErrorResponse(body.status(), req, ErrorStage::kDecoding);
  auto changes = ParseProductChanges(*body);
  if (!changes.ok()) return ErrorResponse(changes.status(), req);
  auto updated = api.service->UpdateProduct(CommandContextOf(req),
                                            req.PathParam("id"), *changes);
  if (!updated.ok()) return ErrorResponse(updated.status(), req);
  return Response::Json(200, boost::json::serialize(ProductToJson(*updated)));
}

Response DeleteProduct(const CatalogApi& api, const Request& req) {
  core::Status s =
      api.service->DeleteProduct(CommandContextOf(req), req.PathParam("id"));
  if (!s.ok()) return ErrorResponse(s, req);
  return Response::NoContent();
}

boost::json::object LocationToJson(const domain::catalog::Location& l) {
  return boost::json::object{
      {"id", l.id}, {"name", l.name}, {"priority", l.priority}};
}

Response CreateLocation(const CatalogApi& api, const Request& req) {
  auto body = ParseJsonObjectBody(req);
  if (!body.ok())
    return ErrorResponse(body.status(), req, ErrorStage::kDecoding);
  domain::catalog::NewLocation loc;
  auto parse = [&]() -> core::Status {
    ASSIGN_OR_RETURN(loc.id, RequiredString(*body, "id"));
    ASSIGN_OR_RETURN(std::optional<std::string> name,
                     OptionalString(*body, "name"));
    loc.name = name.value_or(loc.id);
    ASSIGN_OR_RETURN(std::optional<int64_t> priority,
                     OptionalQuantity(*body, "priority"));
    if (priority) loc.priority = *priority;
    return core::Status::Ok();
  };
  if (core::Status s = parse(); !s.ok()) return ErrorResponse(s, req);
  core::Status s = api.service->CreateLocation(CommandContextOf(req), loc);
  if (!s.ok()) return ErrorResponse(s, req);
  return Created(LocationToJson({loc.id, loc.name, loc.priority}),
                 "/api/v1/locations/" + loc.id);
}

Response ListLocations(const CatalogApi& api, const Request& req) {
  auto locations = api.service->GetLocations(req.caller().tenant);
  if (!locations.ok()) return ErrorResponse(locations.status(), req);
  boost::json::array items;
  for (const domain::catalog::Location& l : locations->InAllocationOrder()) {
    items.push_back(LocationToJson(l));
  }
  return PageResponse(std::move(items), std::string());
}

Response CreateSupplier(const CatalogApi& api, const Request& req) {
  auto body = ParseJsonObjectBody(req);
  if (!body.ok())
    return ErrorResponse(body.status(), req, ErrorStage::kDecoding);
  auto supplier = ParseSupplier(*body);
  if (!supplier.ok()) return ErrorResponse(supplier.status(), req);
  auto created =
      api.service->CreateSupplier(CommandContextOf(req), std::move(*supplier));
  if (!created.ok()) return ErrorResponse(created.status(), req);
  return Created(SupplierToJson(*created), "/api/v1/suppliers/" + created->id);
}

Response ListSuppliers(const CatalogApi& api, const Request& req) {
  auto limit = LimitQuery(req, kDefaultPage, kMaxPage);
  if (!limit.ok())
    return ErrorResponse(limit.status(), req, ErrorStage::kDecoding);
  std::string next;
  std::vector<SupplierState> page =
      api.suppliers->ByKey(req.caller().tenant, req.Query("after").value_or(""),
                           *limit, nullptr, &next);
  boost::json::array items;
  for (const SupplierState& s : page) items.push_back(SupplierToJson(s));
  return PageResponse(std::move(items), next);
}

Response GetSupplier(const CatalogApi& api, const Request& req) {
  auto s = api.service->GetSupplier(req.caller().tenant, req.PathParam("id"));
  if (!s.ok()) return ErrorResponse(s.status(), req);
  return Response::Json(200, boost::json::serialize(SupplierToJson(*s)));
}

Response PatchSupplier(const CatalogApi& api, const Request& req) {
  auto body = ParseJsonObjectBody(req);
  if (!body.ok())
    return ErrorResponse(body.status(), req, ErrorStage::kDecoding);
  auto current =
      api.service->GetSupplier(req.caller().tenant, req.PathParam("id"));
  if (!current.ok()) return ErrorResponse(current.status(), req);
  // PATCH: the stored fields, overwritten by those the body names.
  boost::json::object merged = SupplierToJson(*current);
  for (const auto& [key, value] : *body) merged[key] = value;
  merged["id"] = current->id;
  auto fields = ParseSupplier(merged);
  if (!fields.ok()) return ErrorResponse(fields.status(), req);
  auto updated = api.service->UpdateSupplier(CommandContextOf(req), *fields);
  if (!updated.ok()) return ErrorResponse(updated.status(), req);
  return Response::Json(200, boost::json::serialize(SupplierToJson(*updated)));
}

}  // namespace

boost::json::object ProductToJson(const ProductState& p) {
  boost::json::object o = p.ToJson();
  o["id"] = p.id;
  return o;
}

void AddCatalogRoutes(Router& router, CatalogApi api) {
  using P = Permission;
  auto bind = [api](Response (*f)(const CatalogApi&, const Request&)) {
    return [api, f](const Request& req) { return f(api, req); };
  };
  router.Add("POST", "/api/v1/products", P::kBusinessWrite,
             bind(CreateProduct));
  router.Add("GET", "/api/v1/products", P::kRead, bind(ListProducts));
  router.Add("GET", "/api/v1/products/{id}", P::kRead, bind(GetProduct));
  router.Add("PATCH", "/api/v1/products/{id}", P::kBusinessWrite,
             bind(PatchProduct));
  router.Add("DELETE", "/api/v1/products/{id}", P::kBusinessWrite,
             bind(DeleteProduct));
  router.Add("POST", "/api/v1/locations", P::kBusinessWrite,
             bind(CreateLocation));
  router.Add("GET", "/api/v1/locations", P::kRead, bind(ListLocations));
  router.Add("POST", "/api/v1/suppliers", P::kBusinessWrite,
             bind(CreateSupplier));
  router.Add("GET", "/api/v1/suppliers", P::kRead, bind(ListSuppliers));
  router.Add("GET", "/api/v1/suppliers/{id}", P::kRead, bind(GetSupplier));
  router.Add("PATCH", "/api/v1/suppliers/{id}", P::kBusinessWrite,
             bind(PatchSupplier));
}

}  // namespace stockpile::api
