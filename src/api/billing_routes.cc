#include "api/billing_routes.h"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>
#include <string>

#include "api/body_fields.h"
#include "api/json_body.h"
#include "api/query_params.h"
#include "api/status_http.h"
#include "core/status_macros.h"

namespace stockpile::api {
namespace {

core::Result<domain::billing::Payment> ParsePayment(
    const boost::json::object& body) {
  domain::billing::Payment p;
  ASSIGN_OR_RETURN(p.order_id, RequiredString(body, "orderId"));
  ASSIGN_OR_RETURN(std::optional<int64_t> amount,
                   OptionalMoney(body, "amount"));
  if (!amount) return core::InvalidArgumentError("'amount' is required");
  p.amount_minor = *amount;
  ASSIGN_OR_RETURN(std::string status, RequiredString(body, "status"));
  if (status == "succeeded" || status == "success" || status == "paid") {
    p.status = "succeeded";
  } else if (status == "failed" || status == "failure" ||
             status == "declined") {
    p.status = "failed";
  } else {
    return core::InvalidArgumentError(
        "'status' must be 'succeeded' or 'failed', not '" + status + "'");
  }
  ASSIGN_OR_RETURN(std::optional<std::string> id,
                   OptionalString(body, "paymentId"));
  if (id) p.payment_id = std::move(*id);
  ASSIGN_OR_RETURN(std::optional<std::string> reason,
                   OptionalString(body, "reason"));
  if (reason) p.reason = std::move(*reason);
  return p;
}

Response PostPayment(const BillingApi& api, const Request& req) {
  auto body = ParseJsonObjectBody(req);
  if (!body.ok()) {
    return ErrorResponse(body.status(), req, ErrorStage::kDecoding);
  }
  auto payment = ParsePayment(*body);
  if (!payment.ok()) return ErrorResponse(payment.status(), req);
  auto result =
      api.service->RecordPayment(CommandContextOf(req), std::move(*payment));
  if (!result.ok()) return ErrorResponse(result.status(), req);
  boost::json::object out{{"paymentId", result->payment_id},
                          {"orderId", result->bill.order_id},
                          {"status", result->status},
                          {"bill", result->bill.ToJson()}};
  return Response::Json(201, boost::json::serialize(out));
}

Response ListBills(const BillingApi& api, const Request& req) {
  std::optional<std::string_view> order = req.Query("orderId");
  if (!order || order->empty()) {
    return ErrorResponse(
        core::InvalidArgumentError("query parameter 'orderId' is required"),
        req, ErrorStage::kDecoding);
  }
  boost::json::array items;
  auto bill = api.service->GetBill(req.caller().tenant, *order);
  if (bill.ok()) {
    items.push_back(bill->ToJson());
  } else if (bill.status().code() != core::StatusCode::kNotFound) {
    return ErrorResponse(bill.status(), req);
  }
  return PageResponse(std::move(items), std::string());
}

}  // namespace

void AddBillingRoutes(Router& router, BillingApi api) {
  router.Add("POST", "/api/v1/payments", Permission::kBusinessWrite,
             [api](const Request& req) { return PostPayment(api, req); });
  router.Add("GET", "/api/v1/bills", Permission::kRead,
             [api](const Request& req) { return ListBills(api, req); });
}

}  // namespace stockpile::api
