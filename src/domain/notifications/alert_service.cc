#include "domain/notifications/alert_service.h"

#include <vector>

#include "core/status_macros.h"
#include "core/uuid.h"
#include "domain/common/ids.h"
#include "domain/common/money.h"
#include "domain/notifications/notification_sent.h"
#include "runtime/handler_outcome.h"

namespace stockpile::domain::notifications {
namespace {

constexpr std::string_view kSource = "notifications";
using Events = std::vector<core::Event>;

std::string_view LowStockSeverity(int64_t available, int64_t reorder_point) {
  if (available <= 0) return "critical";
  if (available * 2 <= reorder_point) return "warning";
  return "info";
}

// 12550 -> "125.50".
std::string MoneyText(int64_t minor) {
  const std::string sign = minor < 0 ? "-" : "";
  const int64_t abs = minor < 0 ? -minor : minor;
  const int64_t cents = abs % 100;
  return sign + std::to_string(abs / 100) + (cents < 10 ? ".0" : ".") +
         std::to_string(cents);
}

}  // namespace

AlertService::AlertService(const common::DomainDeps& deps, obs::Logger log)
    : deps_(deps),
      log_(std::move(log)),
      alerts_(*deps.store, deps.repository) {}

core::Status AlertService::HandleEvent(const core::Event& e) {
  const std::string_view type = e.event_type;
  if (type == "inventory.stock.low" || type == "inventory.stock.restored") {
    const std::string product(e.PayloadString("productId"));
    const std::string location(e.PayloadString("locationId"));
    RETURN_IF_ERROR(common::ValidateId(product, "productId"));
    RETURN_IF_ERROR(common::ValidateId(location, "locationId"));
    const std::string key = common::PositionId(product, location);
    if (type == "inventory.stock.restored") {
      return ResolveCondition(e, kLowStock, key);
    }
    int64_t available = 0;
    int64_t reorder_point = 0;
    e.PayloadInt("available", available);
    e.PayloadInt("reorderPoint", reorder_point);
    return Raise(
        e, {.alert_type = kLowStock,
            .key = key,
            .product_id = product,
            .location_id = location,
            .message =
                product + " at " + location + ": " + std::to_string(available) +
                " available, reorder point " + std::to_string(reorder_point),
            .severity = LowStockSeverity(available, reorder_point)});
  }
  if (type.starts_with("purchasing.order.")) {
    const std::string po(e.PayloadString("purchaseOrderId"));
    RETURN_IF_ERROR(common::ValidateId(po, "purchaseOrderId"));
    if (type != "purchasing.order.created") {
      return ResolveCondition(e, kPurchaseOrderApproval, po);
    }
    if (e.PayloadString("status") != "pending") return core::Status::Ok();
    std::string number(e.PayloadString("poNumber"));
    if (number.empty()) number = po;
    std::string total;
    if (const boost::json::value* v = e.payload.if_contains("totalAmount")) {
      core::Result<int64_t> minor = common::ParseMoney(*v, "totalAmount");
      if (minor.ok()) total = " (" + MoneyText(*minor) + ")";
    }
    return Raise(
        e, {.alert_type = kPurchaseOrderApproval,
            .key = po,
            .location_id = std::string(e.PayloadString("locationId")),
            .subject_id = po,
            .message = "Purchase order " + number + total + " awaits approval",
            .severity = "info"});
  }
  if (type == "payment.failed" || type == "payment.succeeded") {
    const std::string order(e.PayloadString("orderId"));
    RETURN_IF_ERROR(common::ValidateId(order, "orderId"));
    if (type == "payment.succeeded") {
      return ResolveCondition(e, kPaymentFailedAlert, order);
    }
    std::string reason(e.PayloadString("reason"));
    if (reason.empty()) reason = "declined";
    return Raise(
        e, {.alert_type = kPaymentFailedAlert,
            .key = order,
            .subject_id = order,
            .message = "Payment for order " + order + " failed: " + reason,
            .severity = "warning"});
  }
  return core::Status::Ok();
}

core::Status AlertService::Raise(const core::Event& cause, const Condition& c) {
  const common::CommandContext ctx{.tenant = cause.tenant_id, .cause = &cause};
  std::string raised_id;
  auto committed = alerts_.Execute(
      cause.tenant_id, AlertStream(c.alert_type, c.key),
      [&](const AlertState& current, int64_t) -> core::Result<Events> {
        if (current.open()) return Events{};
        raised_id = AlertId(c.alert_type, c.key, current.raised + 1);
        boost::json::object payload{{"alertId", raised_id},
                                    {"alertType", c.alert_type},
                                    {"message", c.message},
                                    {"severity", c.severity},
                                    {"sourceEventId", cause.event_id}};
        if (!c.product_id.empty()) payload["productId"] = c.product_id;
        if (!c.location_id.empty()) payload["locationId"] = c.location_id;
        if (!c.subject_id.empty()) payload["subjectId"] = c.subject_id;
        Events out;
        out.push_back(common::NewEvent(deps_, ctx, kSource,
                                       std::string(kAlertRaised), "alert",
                                       raised_id, std::move(payload)));
        // The log channel's delivery, recorded with the alert itself.
        const std::string notification =
            "ntf-" + core::Uuid::FromName("log", raised_id).ToString();
        out.push_back(NotificationSent(deps_, ctx, notification, "log",
                                       "stockpile log", cause.event_id));
        return out;
      });
  if (!committed.ok()) return committed.status();
  if (!committed->events.empty()) {
    log_.Warn("alert raised", {{"tenant", cause.tenant_id},
                               {"alertId", raised_id},
                               {"alertType", c.alert_type},
                               {"severity", c.severity},
                               {"message", c.message}});
  }
  return core::Status::Ok();
}

core::Status AlertService::ResolveCondition(const core::Event& cause,
                                            std::string_view alert_type,
                                            std::string_view key) {
  const common::CommandContext ctx{.tenant = cause.tenant_id, .cause = &cause};
  auto committed = alerts_.Execute(
      cause.tenant_id, AlertStream(alert_type, key),
      [&](const AlertState& current, int64_t) -> core::Result<Events> {
        if (!current.open()) return Events{};
        Events out;
        out.push_back(common::NewEvent(deps_, ctx, kSource,
                                       std::string(kAlertResolved), "alert",
                                       current.id,
                                       {{"alertId", current.id},
                                        {"resolvedBy", "auto"},
                                        {"reason", cause.event_type}}));
        return out;
      });
  return committed.status();
}

core::Result<AlertState> AlertService::Resolve(
    const common::CommandContext& ctx, std::string_view alert_id) {
  ASSIGN_OR_RETURN(AlertRef ref, ParseAlertId(alert_id));
  AlertState result;
  auto committed = alerts_.Execute(
      ctx.tenant, ref.stream,
      [&](const AlertState& current, int64_t) -> core::Result<Events> {
        if (!current.exists || current.id != alert_id) {
          // An older alert of the condition is resolved by construction.
          if (ref.sequence < current.raised) {
            return core::ConflictError("alert '" + std::string(alert_id) +
                                       "' is already resolved");
          }
          return core::NotFoundError("no alert '" + std::string(alert_id) +
                                     "'");
        }
        if (current.resolved) {
          return core::ConflictError("alert '" + std::string(alert_id) +
                                     "' is already resolved");
        }
        Events out;
        out.push_back(common::NewEvent(
            deps_, ctx, kSource, std::string(kAlertResolved), "alert",
            current.id,
            {{"alertId", current.id},
             {"resolvedBy", ctx.user_id.empty() ? "user" : ctx.user_id},
             {"reason", "by hand"}}));
        result = current;
        for (const core::Event& e : out) result.Apply(e);
        return out;
      });
  if (!committed.ok()) return committed.status();
  return result;
}

core::Result<AlertState> AlertService::GetAlert(
    std::string_view tenant, std::string_view alert_id) const {
  ASSIGN_OR_RETURN(AlertRef ref, ParseAlertId(alert_id));
  ASSIGN_OR_RETURN(auto loaded, alerts_.Load(tenant, ref.stream));
  if (!loaded.state.exists || loaded.state.id != alert_id) {
    return core::NotFoundError("no alert '" + std::string(alert_id) + "'");
  }
  return loaded.state;
}

runtime::ConsumerOptions AlertSubscription(AlertService& alerts) {
  runtime::ConsumerOptions options;
  options.name = std::string(kAlertsSubscription);
  options.type_patterns = {"inventory.stock.low", "inventory.stock.restored",
                           "purchasing.order.*", "payment.failed",
                           "payment.succeeded"};
  options.handler = [&alerts](const core::EventPtr& e,
                              runtime::HandlerContext&) {
    return runtime::HandlerOutcome::FromStatus(alerts.HandleEvent(*e));
  };
  return options;
}

}  // namespace stockpile::domain::notifications
