#include "api/order_routes.h"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>
#include <string>

#include "api/body_fields.h"
#include "api/idempotency_cache.h"
#include "api/json_body.h"
#include "api/query_params.h"
#include "api/status_http.h"
#include "core/uuid.h"
#include "domain/orders/order_request.h"

namespace stockpile::api {

using domain::orders::OrderState;

namespace {

constexpr size_t kDefaultPage = 50;
constexpr size_t kMaxPage = 500;

Response PlaceOrder(const OrdersApi& api, const Request& req) {
  auto body = ParseJsonObjectBody(req);
  if (!body.ok())
    return ErrorResponse(body.status(), req, ErrorStage::kDecoding);
  auto order = domain::orders::ParseNewOrder(*body);
  if (!order.ok()) return ErrorResponse(order.status(), req);
  const domain::common::CommandContext ctx = CommandContextOf(req);
  std::optional<std::string_view> key = req.headers.Get(kIdempotencyKeyHeader);
  const bool derived_id = key.has_value() && order->id.empty();
  if (derived_id) {
    order->id =
        "ord-" + core::Uuid::FromName("stockpile.order.idempotency",
                                      ctx.tenant + "\n" + std::string(*key))
                     .ToString();
  }
  const std::string order_id = order->id;
  auto placed = api.service->PlaceOrder(ctx, std::move(*order));
  if (!placed.ok() && derived_id &&
      placed.status().code() == core::StatusCode::kAlreadyExists) {
    // The retry of a request whose first answer was lost.
    placed = api.service->GetOrder(ctx.tenant, order_id);
  }
  if (!placed.ok()) return ErrorResponse(placed.status(), req);
  return std::move(
             Response::Json(201, boost::json::serialize(placed->ToJson())))
      .WithHeader("Location", "/api/v1/orders/" + placed->id);
}

Response ListOrders(const OrdersApi& api, const Request& req) {
  auto limit = LimitQuery(req, kDefaultPage, kMaxPage);
  auto before = IntQuery(req, "before", 0, INT64_MAX);
  for (const core::Status& s : {limit.status(), before.status()}) {
    if (!s.ok()) return ErrorResponse(s, req, ErrorStage::kDecoding);
  }
  std::optional<std::string_view> status = req.Query("status");
  if (status && !domain::orders::IsOrderStatus(*status)) {
    return ErrorResponse(
        core::InvalidArgumentError("query parameter 'status' must be one of "
                                   "pending, confirmed, rejected, cancelled, "
                                   "paid, shipped, delivered"),
        req, ErrorStage::kDecoding);
  }
  auto page = api.orders->Newest(req.caller().tenant, *before, *limit, status);
  if (!page.ok()) return ErrorResponse(page.status(), req);
  boost::json::array items;
  items.reserve(page->orders.size());
  for (const OrderState& o : page->orders) items.push_back(o.ToJson());
  return PageResponse(std::move(items), page->next);
}

Response GetOrder(const OrdersApi& api, const Request& req) {
  auto order = api.service->GetOrder(req.caller().tenant, req.PathParam("id"));
  if (!order.ok()) return ErrorResponse(order.status(), req);
  return Response::Json(200, boost::json::serialize(order->ToJson()));
}

Response ChangeStatus(const OrdersApi& api, const Request& req,
                      std::string_view status) {
  std::string reason;
  if (!req.body.empty()) {
    auto body = ParseJsonObjectBody(req);
    if (!body.ok()) {
      return ErrorResponse(body.status(), req, ErrorStage::kDecoding);
    }
    auto given = OptionalString(*body, "reason");
    if (!given.ok()) return ErrorResponse(given.status(), req);
    reason = given->value_or("");
  }
  auto order = api.service->ChangeStatus(CommandContextOf(req),
                                         req.PathParam("id"), status, reason);
  if (!order.ok()) return ErrorResponse(order.status(), req);
  return Response::Json(200, boost::json::serialize(order->ToJson()));
}

}  // namespace

void AddOrderRoutes(Router& router, OrdersApi api) {
  using P = Permission;
  router.Add("POST", "/api/v1/orders", P::kClerkWrite,
             [api](const Request& req) { return PlaceOrder(api, req); });
  router.Add("GET", "/api/v1/orders", P::kRead,
             [api](const Request& req) { return ListOrders(api, req); });
  router.Add("GET", "/api/v1/orders/{id}", P::kRead,
             [api](const Request& req) { return GetOrder(api, req); });
  for (const auto& [action, status] :
       {std::pair<const char*, const char*>{"cancel", "cancelled"},
        {"ship", "shipped"},
        {"deliver", "delivered"}}) {
    router.Add("POST", std::string("/api/v1/orders/{id}/") + action,
               P::kClerkWrite,
               [api, status = std::string(status)](const Request& req) {
                 return ChangeStatus(api, req, status);
               });
  }
}

}  // namespace stockpile::api
