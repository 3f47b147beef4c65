#include "api/inventory_routes.h"

#include <boost/json/serialize.hpp>
#include <string>

#include "api/body_fields.h"
#include "api/json_body.h"
#include "api/status_http.h"
#include "core/status_macros.h"

namespace stockpile::api {

using domain::inventory::ProductInventory;

namespace {

// Reads the body with `parse`, runs `command`, answers `status` with the
// inventory it returns.
template <typename Parsed, typename Parse, typename Command>
Response Movement(const Request& req, int status, Parse parse,
                  Command command) {
  auto body = ParseJsonObjectBody(req);
  if (!body.ok())
    return ErrorResponse(body.status(), req, ErrorStage::kDecoding);
  Parsed parsed;
  if (core::Status s = parse(*body, parsed); !s.ok()) {
    return ErrorResponse(s, req);
  }
  core::Result<boost::json::object> result = command(parsed);
  if (!result.ok()) return ErrorResponse(result.status(), req);
  return Response::Json(status, boost::json::serialize(*result));
}

core::Status ParseLocation(const boost::json::object& body,
                           std::string& location) {
  ASSIGN_OR_RETURN(std::optional<std::string> id,
                   OptionalString(body, "locationId"));
  if (id) location = std::move(*id);
  return core::Status::Ok();
}

core::Status ParseReceipt(const boost::json::object& body,
                          domain::inventory::Receipt& r) {
  ASSIGN_OR_RETURN(r.product_id, RequiredString(body, "productId"));
  RETURN_IF_ERROR(ParseLocation(body, r.location_id));
  ASSIGN_OR_RETURN(r.quantity, RequiredQuantity(body, "quantity"));
  ASSIGN_OR_RETURN(std::optional<std::string> lot,
                   OptionalString(body, "lotNumber"));
  if (lot) r.lot_number = std::move(*lot);
  ASSIGN_OR_RETURN(std::optional<std::string> expiry,
                   OptionalString(body, "expiryDate"));
  if (expiry) r.expiry_date = std::move(*expiry);
  ASSIGN_OR_RETURN(std::optional<std::string> po,
                   OptionalString(body, "purchaseOrderId"));
  if (po) r.purchase_order_id = std::move(*po);
  return core::Status::Ok();
}

core::Status ParseAdjustment(const boost::json::object& body,
                             domain::inventory::Adjustment& a) {
  ASSIGN_OR_RETURN(a.product_id, RequiredString(body, "productId"));
  RETURN_IF_ERROR(ParseLocation(body, a.location_id));
  ASSIGN_OR_RETURN(a.delta, RequiredQuantity(body, "delta"));
  ASSIGN_OR_RETURN(a.reason, RequiredString(body, "reason"));
  return core::Status::Ok();
}

core::Status ParseTransfer(const boost::json::object& body,
                           domain::inventory::Transfer& t) {
  ASSIGN_OR_RETURN(std::optional<std::string> id,
                   OptionalString(body, "transferId"));
  if (id) t.transfer_id = std::move(*id);
  ASSIGN_OR_RETURN(t.product_id, RequiredString(body, "productId"));
  ASSIGN_OR_RETURN(t.from_location_id, RequiredString(body, "fromLocationId"));
  ASSIGN_OR_RETURN(t.to_location_id, RequiredString(body, "toLocationId"));
  ASSIGN_OR_RETURN(t.quantity, RequiredQuantity(body, "quantity"));
  return core::Status::Ok();
}

core::Status ParseProductId(const boost::json::object& body,
                            std::string& product_id) {
  ASSIGN_OR_RETURN(product_id, RequiredString(body, "productId"));
  return core::Status::Ok();
}

}  // namespace

void AddInventoryRoutes(Router& router, InventoryApi api) {
  using P = Permission;
  domain::inventory::InventoryService* inventory = api.service;
  auto json = [](core::Result<ProductInventory> r)
      -> core::Result<boost::json::object> {
    if (!r.ok()) return r.status();
    return r->ToJson();
  };

  router.Add("GET", "/api/v1/products/{id}/inventory", P::kRead,
             [inventory, json](const Request& req) {
               auto inv = json(inventory->GetInventory(req.caller().tenant,
                                                       req.PathParam("id")));
               if (!inv.ok()) return ErrorResponse(inv.status(), req);
               return Response::Json(200, boost::json::serialize(*inv));
             });
  router.Add("POST", "/api/v1/inventory/receipts", P::kClerkWrite,
             [inventory, json](const Request& req) {
               return Movement<domain::inventory::Receipt>(
                   req, 201, ParseReceipt,
                   [&](const domain::inventory::Receipt& r) {
                     return json(inventory->Receive(CommandContextOf(req), r));
                   });
             });
  router.Add("POST", "/api/v1/inventory/adjustments", P::kClerkWrite,
             [inventory, json](const Request& req) {
               return Movement<domain::inventory::Adjustment>(
                   req, 201, ParseAdjustment,
                   [&](const domain::inventory::Adjustment& a) {
                     return json(inventory->Adjust(CommandContextOf(req), a));
                   });
             });
  router.Add(
      "POST", "/api/v1/inventory/transfers", P::kClerkWrite,
      [inventory, json](const Request& req) {
        return Movement<domain::inventory::Transfer>(
            req, 201, ParseTransfer,
            [&](const domain::inventory::Transfer& t)
                -> core::Result<boost::json::object> {
              const domain::common::CommandContext ctx = CommandContextOf(req);
              ASSIGN_OR_RETURN(std::string id,
                               inventory->StartTransfer(ctx, t));
              ASSIGN_OR_RETURN(
                  boost::json::object inv,
                  json(inventory->GetInventory(ctx.tenant, t.product_id)));
              inv["transferId"] = id;
              inv["status"] = "in_transit";
              return inv;
            });
      });
  router.Add("POST", "/api/v1/inventory/transfers/{id}/complete",
             P::kClerkWrite, [inventory, json](const Request& req) {
               return Movement<std::string>(
                   req, 200, ParseProductId, [&](const std::string& product) {
                     return json(inventory->CompleteTransfer(
                         CommandContextOf(req), product, req.PathParam("id")));
                   });
             });
}

}  // namespace stockpile::api
