#include "api/notification_routes.h"

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
namespace {

using domain::notifications::AlertState;
using domain::notifications::WebhookState;

constexpr size_t kDefaultPage = 50;
constexpr size_t kMaxPage = 500;

Response ListAlerts(const NotificationsApi& api, const Request& req) {
  auto limit = LimitQuery(req, kDefaultPage, kMaxPage);
  auto before = IntQuery(req, "before", 0, INT64_MAX);
  for (const core::Status& s : {limit.status(), before.status()}) {
    if (!s.ok()) return ErrorResponse(s, req, ErrorStage::kDecoding);
  }
  std::optional<bool> resolved;
  if (std::optional<std::string_view> q = req.Query("resolved")) {
    if (*q == "true") {
      resolved = true;
    } else if (*q == "false") {
      resolved = false;
    } else {
      return ErrorResponse(core::InvalidArgumentError(
                               "query parameter 'resolved' must be true or "
                               "false"),
                           req, ErrorStage::kDecoding);
    }
  }
  auto keep = [resolved](const AlertState& a) {
    return a.exists && (!resolved || a.resolved == *resolved);
  };
  int64_t next = 0;
  std::vector<AlertState> page =
      api.alert_list->Newest(req.caller().tenant, *before, *limit, keep, &next);
  boost::json::array items;
  for (const AlertState& a : page) items.push_back(a.ToJson());
  return PageResponse(std::move(items), next);
}

Response ResolveAlert(const NotificationsApi& api, const Request& req) {
  auto alert = api.alerts->Resolve(CommandContextOf(req), req.PathParam("id"));
  if (!alert.ok()) return ErrorResponse(alert.status(), req);
  return Response::Json(200, boost::json::serialize(alert->ToJson()));
}

core::Result<domain::notifications::WebhookRequest> ParseWebhook(
    const boost::json::object& body) {
  domain::notifications::WebhookRequest r;
  ASSIGN_OR_RETURN(r.url, RequiredString(body, "url"));
  ASSIGN_OR_RETURN(r.secret, RequiredString(body, "secret"));
  const boost::json::value* events = body.if_contains("events");
  if (events == nullptr || !events->is_array()) {
    return core::InvalidArgumentError(
        "'events' must be an array of event type patterns, e.g. "
        "[\"order.*\"]");
  }
  for (const boost::json::value& p : events->as_array()) {
    if (!p.is_string()) {
      return core::InvalidArgumentError("'events' must hold strings");
    }
    r.events.emplace_back(p.as_string());
  }
  return r;
}

Response CreateWebhook(const NotificationsApi& api, const Request& req) {
  auto body = ParseJsonObjectBody(req);
  if (!body.ok()) {
    return ErrorResponse(body.status(), req, ErrorStage::kDecoding);
  }
  auto request = ParseWebhook(*body);
  if (!request.ok()) return ErrorResponse(request.status(), req);
  auto webhook =
      api.webhooks->Register(CommandContextOf(req), std::move(*request));
  if (!webhook.ok()) return ErrorResponse(webhook.status(), req);
  return std::move(
             Response::Json(201, boost::json::serialize(webhook->ToJson())))
      .WithHeader("Location", "/api/v1/webhooks/" + webhook->id);
}

Response ListWebhooks(const NotificationsApi& api, const Request& req) {
  std::string next;
  std::vector<WebhookState> hooks = api.webhook_list->ByKey(
      req.caller().tenant, "", 1000,
      [](const WebhookState& w) { return w.active(); }, &next);
  boost::json::array items;
  for (const WebhookState& w : hooks) items.push_back(w.ToJson());
  return PageResponse(std::move(items), std::string());
}

Response DeleteWebhook(const NotificationsApi& api, const Request& req) {
  core::Status s =
      api.webhooks->Delete(CommandContextOf(req), req.PathParam("id"));
  if (!s.ok()) return ErrorResponse(s, req);
  return Response::NoContent();
}

}  // namespace

void AddNotificationRoutes(Router& router, NotificationsApi api) {
  router.Add("GET", "/api/v1/alerts", Permission::kRead,
             [api](const Request& req) { return ListAlerts(api, req); });
  router.Add("POST", "/api/v1/alerts/{id}/resolve", Permission::kBusinessWrite,
             [api](const Request& req) { return ResolveAlert(api, req); });
  router.Add("POST", "/api/v1/webhooks", Permission::kOperations,
             [api](const Request& req) { return CreateWebhook(api, req); });
  router.Add("GET", "/api/v1/webhooks", Permission::kOperations,
             [api](const Request& req) { return ListWebhooks(api, req); });
  router.Add("DELETE", "/api/v1/webhooks/{id}", Permission::kOperations,
             [api](const Request& req) { return DeleteWebhook(api, req); });
}

}  // namespace stockpile::api
