#include "api/purchasing_routes.h"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>
#include <string>
#include <vector>

#include "api/body_fields.h"
#include "api/json_body.h"
#include "api/query_params.h"
#include "api/status_http.h"
#include "core/status_macros.h"

namespace stockpile::api {

using domain::purchasing::PurchaseOrderState;
using domain::purchasing::RuleState;

namespace {

constexpr size_t kDefaultPage = 50;
constexpr size_t kMaxPage = 500;
constexpr std::string_view kStatuses[] = {
    "pending", "approved", "partially_received", "received", "cancelled"};

Response Json(int status, const boost::json::object& body) {
  return Response::Json(status, boost::json::serialize(body));
}

// body["lines"] as a non-empty array of objects.
core::Result<const boost::json::array*> Lines(const boost::json::object& body) {
  const boost::json::value* v = body.if_contains("lines");
  if (v == nullptr || v->is_null()) {
    return core::InvalidArgumentError("'lines' is required");
  }
  if (!v->is_array() || v->get_array().empty()) {
    return core::InvalidArgumentError("'lines' must be a non-empty array");
  }
  for (size_t i = 0; i < v->get_array().size(); ++i) {
    if (!v->get_array()[i].is_object()) {
      return core::InvalidArgumentError("'lines[" + std::to_string(i) +
                                        "]' must be an object");
    }
  }
  return &v->get_array();
}

core::Result<domain::purchasing::ReplenishmentRule> ParseRule(
    const boost::json::object& body, std::string_view product_id) {
  domain::purchasing::ReplenishmentRule r;
  r.product_id = std::string(product_id);
  if (const boost::json::value* p = body.if_contains("productId");
      p != nullptr && !p->is_null() &&
      (!p->is_string() || p->get_string() != product_id)) {
    return core::InvalidArgumentError(
        "'productId' must match the product of the path, '" +
        std::string(product_id) + "'");
  }
  ASSIGN_OR_RETURN(std::optional<std::string> location,
                   OptionalString(body, "locationId"));
  if (location) r.location_id = std::move(*location);
  ASSIGN_OR_RETURN(r.reorder_point, RequiredQuantity(body, "reorderPoint"));
  ASSIGN_OR_RETURN(std::optional<int64_t> q,
                   OptionalQuantity(body, "reorderQuantity"));
  ASSIGN_OR_RETURN(std::optional<int64_t> min,
                   OptionalQuantity(body, "minQuantity"));
  ASSIGN_OR_RETURN(std::optional<int64_t> max,
                   OptionalQuantity(body, "maxQuantity"));
  if (q && (min || max)) {
    return core::InvalidArgumentError(
        "give either 'reorderQuantity' or 'minQuantity' and 'maxQuantity', "
        "not both");
  }
  if (!q && min.has_value() != max.has_value()) {
    return core::InvalidArgumentError(
        min ? "'maxQuantity' is required with 'minQuantity'"
            : "'minQuantity' is required with 'maxQuantity'");
  }
  if (q && *q <= 0) {
    return core::InvalidArgumentError(
        "'reorderQuantity' must be a positive integer");
  }
  if (min && (*min <= 0 || *max <= 0)) {
    return core::InvalidArgumentError(
        std::string(*min <= 0 ? "'minQuantity'" : "'maxQuantity'") +
        " must be a positive integer");
  }
  r.reorder_quantity = q.value_or(0);
  r.min_quantity = min.value_or(0);
  r.max_quantity = max.value_or(0);
  ASSIGN_OR_RETURN(std::optional<int64_t> safety,
                   OptionalQuantity(body, "safetyStock"));
  r.safety_stock = safety.value_or(0);
  ASSIGN_OR_RETURN(std::optional<int64_t> lead,
                   OptionalQuantity(body, "leadTimeDays"));
  r.lead_time_days = lead.value_or(0);
  ASSIGN_OR_RETURN(r.supplier_id, RequiredString(body, "supplierId"));
  ASSIGN_OR_RETURN(r.auto_approve_limit_minor,
                   OptionalMoney(body, "autoApproveLimit"));
  ASSIGN_OR_RETURN(std::optional<std::string> mode,
                   OptionalString(body, "reorderPointMode"));
  if (mode && *mode != "static" && *mode != "dynamic") {
    return core::InvalidArgumentError(
        "'reorderPointMode' must be \"static\" or \"dynamic\"");
  }
  r.dynamic_reorder_point = mode == "dynamic";
  if (const boost::json::value* level = body.if_contains("serviceLevel");
      level != nullptr && !level->is_null()) {
    if (!level->is_number() || !r.dynamic_reorder_point) {
      return core::InvalidArgumentError(
          "'serviceLevel' must be a number, with reorderPointMode "
          "\"dynamic\"");
    }
    r.service_level = level->to_number<double>();
  }
  return r;
}

core::Result<domain::purchasing::NewPurchaseOrder> ParseNewOrder(
    const boost::json::object& body) {
  domain::purchasing::NewPurchaseOrder o;
  ASSIGN_OR_RETURN(std::optional<std::string> id, OptionalString(body, "id"));
  if (id) o.id = std::move(*id);
  ASSIGN_OR_RETURN(o.supplier_id, RequiredString(body, "supplierId"));
  ASSIGN_OR_RETURN(std::optional<std::string> location,
                   OptionalString(body, "locationId"));
  if (location) o.location_id = std::move(*location);
  ASSIGN_OR_RETURN(const boost::json::array* lines, Lines(body));
  for (size_t i = 0; i < lines->size(); ++i) {
    const boost::json::object& l = (*lines)[i].get_object();
    const std::string at = "lines[" + std::to_string(i) + "]";
    domain::purchasing::NewPurchaseOrderLine line;
    auto parse = [&]() -> core::Status {
      ASSIGN_OR_RETURN(line.product_id, RequiredString(l, "productId"));
      ASSIGN_OR_RETURN(line.quantity, RequiredQuantity(l, "quantity"));
      ASSIGN_OR_RETURN(line.unit_cost_minor, OptionalMoney(l, "unitCost"));
      return core::Status::Ok();
    };
    RETURN_IF_ERROR(parse().WithContext(at));
    o.lines.push_back(std::move(line));
  }
  return o;
}

core::Result<std::vector<domain::purchasing::ReceivedLine>> ParseReceipt(
    const boost::json::object& body) {
  std::vector<domain::purchasing::ReceivedLine> out;
  ASSIGN_OR_RETURN(const boost::json::array* lines, Lines(body));
  for (size_t i = 0; i < lines->size(); ++i) {
    const boost::json::object& l = (*lines)[i].get_object();
    domain::purchasing::ReceivedLine line;
    auto parse = [&]() -> core::Status {
      ASSIGN_OR_RETURN(line.product_id, RequiredString(l, "productId"));
      ASSIGN_OR_RETURN(line.quantity, RequiredQuantity(l, "quantity"));
      return core::Status::Ok();
    };
    RETURN_IF_ERROR(parse().WithContext("lines[" + std::to_string(i) + "]"));
    out.push_back(std::move(line));
  }
  return out;
}

Response PutRule(const PurchasingApi& api, const Request& req) {
  auto body = ParseJsonObjectBody(req);
  if (!body.ok()) {
    return ErrorResponse(body.status(), req, ErrorStage::kDecoding);
  }
  auto rule = ParseRule(*body, req.PathParam("productId"));
  if (!rule.ok()) return ErrorResponse(rule.status(), req);
  auto put =
      api.replenishment->PutRule(CommandContextOf(req), std::move(*rule));
  if (!put.ok()) return ErrorResponse(put.status(), req);
  return Json(200, put->ToJson());
}

Response ListRules(const PurchasingApi& api, const Request& req) {
  auto limit = LimitQuery(req, kDefaultPage, kMaxPage);
  if (!limit.ok()) {
    return ErrorResponse(limit.status(), req, ErrorStage::kDecoding);
  }
  std::optional<std::string_view> product = req.Query("productId");
  auto keep = [product](const RuleState& r) {
    return r.exists && (!product || r.rule.product_id == *product);
  };
  std::string next;
  std::vector<RuleState> page =
      api.rules->ByKey(req.caller().tenant, req.Query("after").value_or(""),
                       *limit, keep, &next);
  boost::json::array items;
  for (const RuleState& r : page) items.push_back(r.ToJson());
  return PageResponse(std::move(items), next);
}

Response CreateOrder(const PurchasingApi& api, const Request& req) {
  auto body = ParseJsonObjectBody(req);
  if (!body.ok()) {
    return ErrorResponse(body.status(), req, ErrorStage::kDecoding);
  }
  auto order = ParseNewOrder(*body);
  if (!order.ok()) return ErrorResponse(order.status(), req);
  auto created =
      api.purchase_orders->Create(CommandContextOf(req), std::move(*order));
  if (!created.ok()) return ErrorResponse(created.status(), req);
  return std::move(Json(201, created->ToJson()))
      .WithHeader("Location", "/api/v1/purchase-orders/" + created->id);
}

Response ListOrders(const PurchasingApi& api, const Request& req) {
  auto limit = LimitQuery(req, kDefaultPage, kMaxPage);
  auto before = IntQuery(req, "before", 0, INT64_MAX);
  for (const core::Status& s : {limit.status(), before.status()}) {
    if (!s.ok()) return ErrorResponse(s, req, ErrorStage::kDecoding);
  }
  std::optional<std::string_view> status = req.Query("status");
  if (status) {
    bool known = false;
    for (std::string_view s : kStatuses) known = known || s == *status;
    if (!known) {
      return ErrorResponse(
          core::InvalidArgumentError(
              "query parameter 'status' must be one of pending, approved, "
              "partially_received, received, cancelled"),
          req, ErrorStage::kDecoding);
    }
  }
  auto keep = [status](const PurchaseOrderState& o) {
    return o.exists && (!status || o.status == *status);
  };
  int64_t next = 0;
  std::vector<PurchaseOrderState> page =
      api.orders->Newest(req.caller().tenant, *before, *limit, keep, &next);
  boost::json::array items;
  for (const PurchaseOrderState& o : page) items.push_back(o.ToJson());
  return PageResponse(std::move(items), next);
}

Response GetOrder(const PurchasingApi& api, const Request& req) {
  auto order =
      api.purchase_orders->Get(req.caller().tenant, req.PathParam("id"));
  if (!order.ok()) return ErrorResponse(order.status(), req);
  return Json(200, order->ToJson());
}

Response Receive(const PurchasingApi& api, const Request& req) {
  auto body = ParseJsonObjectBody(req);
  if (!body.ok()) {
    return ErrorResponse(body.status(), req, ErrorStage::kDecoding);
  }
  auto lines = ParseReceipt(*body);
  if (!lines.ok()) return ErrorResponse(lines.status(), req);
  auto order = api.purchase_orders->Receive(
      CommandContextOf(req), req.PathParam("id"), std::move(*lines));
  if (!order.ok()) return ErrorResponse(order.status(), req);
  return Json(200, order->ToJson());
}

// POST /api/v1/purchase-orders/{id}/documents {fileName, contentType,
// sizeBytes, url?} -> 201 with the document.
Response AttachDocument(const PurchasingApi& api, const Request& req) {
  auto body = ParseJsonObjectBody(req);
  if (!body.ok()) {
    return ErrorResponse(body.status(), req, ErrorStage::kDecoding);
  }
  auto document = [&]() -> core::Result<domain::purchasing::NewDocument> {
    domain::purchasing::NewDocument d;
    ASSIGN_OR_RETURN(d.file_name, RequiredString(*body, "fileName"));
    ASSIGN_OR_RETURN(d.content_type, RequiredString(*body, "contentType"));
    const boost::json::value* size = body->if_contains("sizeBytes");
    if (size == nullptr) {
      return core::InvalidArgumentError("'sizeBytes' is required");
    }
    if (!size->is_int64() && !size->is_uint64()) {
      return core::InvalidArgumentError(
          "'sizeBytes' must be a whole number of bytes");
    }
    if (size->is_uint64() && size->get_uint64() > uint64_t{INT64_MAX}) {
      return core::InvalidArgumentError("'sizeBytes' is too large");
    }
    d.size_bytes = size->is_int64() ? size->get_int64()
                                    : static_cast<int64_t>(size->get_uint64());
    ASSIGN_OR_RETURN(std::optional<std::string> url,
                     OptionalString(*body, "url"));
    d.url = url.value_or("");
    return d;
  }();
  if (!document.ok()) return ErrorResponse(document.status(), req);
  auto attached = api.purchase_orders->AttachDocument(
      CommandContextOf(req), req.PathParam("id"), *document);
  if (!attached.ok()) return ErrorResponse(attached.status(), req);
  return Json(201, *attached);
}

// POST /api/v1/purchase-orders/{id}/<action> -> `command` (no body).
void AddTransition(Router& router, const PurchasingApi& api,
                   std::string_view action, Permission permission,
                   core::Result<PurchaseOrderState> (
                       domain::purchasing::PurchaseOrderService::*command)(
                       const domain::common::CommandContext&,
                       std::string_view)) {
  router.Add("POST", "/api/v1/purchase-orders/{id}/" + std::string(action),
             permission, [api, command](const Request& req) {
               auto order = (api.purchase_orders->*command)(
                   CommandContextOf(req), req.PathParam("id"));
               if (!order.ok()) return ErrorResponse(order.status(), req);
               return Json(200, order->ToJson());
             });
}

}  // namespace

void AddPurchasingRoutes(Router& router, PurchasingApi api) {
  using P = Permission;
  using PoService = domain::purchasing::PurchaseOrderService;
  router.Add("PUT", "/api/v1/replenishment-rules/{productId}",
             P::kBusinessWrite,
             [api](const Request& req) { return PutRule(api, req); });
  router.Add("GET", "/api/v1/replenishment-rules", P::kRead,
             [api](const Request& req) { return ListRules(api, req); });
  router.Add("POST", "/api/v1/purchase-orders", P::kBusinessWrite,
             [api](const Request& req) { return CreateOrder(api, req); });
  router.Add("GET", "/api/v1/purchase-orders", P::kRead,
             [api](const Request& req) { return ListOrders(api, req); });
  router.Add("GET", "/api/v1/purchase-orders/{id}", P::kRead,
             [api](const Request& req) { return GetOrder(api, req); });
  router.Add("POST", "/api/v1/purchase-orders/{id}/receive", P::kClerkWrite,
             [api](const Request& req) { return Receive(api, req); });
  router.Add("POST", "/api/v1/purchase-orders/{id}/documents",
             P::kBusinessWrite,
             [api](const Request& req) { return AttachDocument(api, req); });
  AddTransition(router, api, "approve", P::kApprove, &PoService::Approve);
  AddTransition(router, api, "cancel", P::kBusinessWrite, &PoService::Cancel);
}

}  // namespace stockpile::api
