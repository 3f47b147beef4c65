#include "domain/notifications/webhook_service.h"

#include <boost/json/array.hpp>
#include <set>
#include <utility>

#include "core/cloud_events.h"
#include "core/event_codec.h"
#include "core/status_macros.h"
#include "core/topic_pattern.h"
#include "core/uuid.h"
#include "domain/common/ids.h"
#include "domain/common/json_fields.h"
#include "domain/notifications/notification_sent.h"
#include "domain/users/user_state.h"
#include "runtime/handler_outcome.h"

namespace stockpile::domain::notifications {
namespace {

constexpr std::string_view kSource = "notifications";
using Events = std::vector<core::Event>;

std::string NotificationStream(std::string_view notification_id) {
  return "notification-" + std::string(notification_id);
}

core::Status ValidateRequest(const WebhookRequest& r) {
  RETURN_IF_ERROR(ParseHttpUrl(r.url).status());
  if (r.events.empty()) {
    return core::InvalidArgumentError(
        "'events' must list at least one event type pattern, e.g. \"order.*\" "
        "or \"#\"");
  }
  if (r.events.size() > kMaxWebhookPatterns) {
    return core::InvalidArgumentError("'events' may list at most 32 patterns");
  }
  for (const std::string& p : r.events) {
    RETURN_IF_ERROR(core::ValidateTopicPattern(p).WithContext("'events'"));
  }
  if (r.secret.empty() || r.secret.size() > kMaxSecretLength) {
    return core::InvalidArgumentError(
        "'secret' must be 1 to 256 characters (the HMAC key of the "
        "signature)");
  }
  return core::Status::Ok();
}

bool Matches(const WebhookState& w, std::string_view type) {
  for (const std::string& p : w.events) {
    core::Result<core::TopicPattern> pattern = core::TopicPattern::Parse(p);
    if (pattern.ok() && pattern->Matches(type)) return true;
  }
  return false;
}

}  // namespace

WebhookService::WebhookService(const common::DomainDeps& deps,
                               const common::KeyedView<WebhookState>& webhooks,
                               WebhookOptions options)
    : deps_(deps),
      webhooks_(webhooks),
      options_(std::move(options)),
      box_(options_.key_material),
      repository_(*deps.store, deps.repository) {}

core::Result<WebhookState> WebhookService::Register(
    const common::CommandContext& ctx, WebhookRequest request) {
  RETURN_IF_ERROR(ValidateRequest(request));
  const std::string id = "wh-" + deps_.ids->NextString();
  boost::json::array patterns;
  for (const std::string& p : request.events) patterns.emplace_back(p);
  ASSIGN_OR_RETURN(
      common::Committed committed,
      repository_.Execute(
          ctx.tenant, WebhookStream(id),
          [&](const WebhookState& current, int64_t) -> core::Result<Events> {
            if (current.exists) return core::ConflictError("webhook exists");
            Events out;
            out.push_back(common::NewEvent(
                deps_, ctx, kSource, std::string(kWebhookRegistered), "webhook",
                id,
                {{"webhookId", id},
                 {"url", request.url},
                 {"events", patterns},
                 {"secretSealed", box_.Seal(request.secret)}}));
            return out;
          }));
  WebhookState state;
  for (const core::EventPtr& e : committed.events) state.Apply(*e);
  return state;
}

core::Status WebhookService::Delete(const common::CommandContext& ctx,
                                    std::string_view webhook_id) {
  RETURN_IF_ERROR(common::ValidateId(webhook_id, "webhook id"));
  auto committed = repository_.Execute(
      ctx.tenant, WebhookStream(webhook_id),
      [&](const WebhookState& current, int64_t) -> core::Result<Events> {
        if (!current.active()) {
          return core::NotFoundError("no webhook '" + std::string(webhook_id) +
                                     "'");
        }
        Events out;
        out.push_back(common::NewEvent(
            deps_, ctx, kSource, std::string(kWebhookDeleted), "webhook",
            current.id, {{"webhookId", current.id}}));
        return out;
      });
  return committed.status();
}

core::Result<WebhookState> WebhookService::Get(
    std::string_view tenant, std::string_view webhook_id) const {
  RETURN_IF_ERROR(common::ValidateId(webhook_id, "webhook id"));
  ASSIGN_OR_RETURN(auto loaded,
                   repository_.Load(tenant, WebhookStream(webhook_id)));
  if (!loaded.state.active()) {
    return core::NotFoundError("no webhook '" + std::string(webhook_id) + "'");
  }
  return loaded.state;
}

core::Status WebhookService::Dispatch(const core::Event& e) {
  // Notifications about notifications would feed themselves.
  if (e.event_type.starts_with("notification.")) return core::Status::Ok();
  // A password hash is a secret: it never leaves the process, and would
  // otherwise be copied into the delivery request on the log.
  if (e.event_type == users::kUserPasswordSet) return core::Status::Ok();
  std::string next;
  const std::vector<WebhookState> hooks = webhooks_.ByKey(
      e.tenant_id, "", 1000,
      [&](const WebhookState& w) {
        return w.active() && e.position > w.since_position &&
               Matches(w, e.event_type);
      },
      &next);
  const common::CommandContext ctx{.tenant = e.tenant_id, .cause = &e};
  for (const WebhookState& w : hooks) {
    const std::string id =
        "ntf-" + core::Uuid::FromName(w.id, e.event_id).ToString();
    Events out;
    out.push_back(common::NewEvent(deps_, ctx, kSource,
                                   std::string(kDeliveryRequested),
                                   "notification", id,
                                   {{"notificationId", id},
                                    {"channel", "webhook"},
                                    {"webhookId", w.id},
                                    {"recipient", w.url},
                                    {"sourceEventId", e.event_id},
                                    {"sourceEventType", e.event_type},
                                    {"event", core::EventToJson(e)}}));
    auto appended =
        deps_.store->Append(e.tenant_id, NotificationStream(id),
                            store::ExpectedVersion::NoStream(), std::move(out));
    // A Conflict: requested already (a redelivery of `e`).
    if (!appended.ok() &&
        appended.status().code() != core::StatusCode::kConflict) {
      return appended.status();
    }
  }
  return core::Status::Ok();
}

runtime::HandlerOutcome WebhookService::Deliver(const core::Event& requested,
                                                int attempt) {
  const std::string id(requested.PayloadString("notificationId"));
  const std::string webhook_id(requested.PayloadString("webhookId"));
  const boost::json::value* envelope = requested.payload.if_contains("event");
  if (id.empty() || webhook_id.empty() || envelope == nullptr ||
      !envelope->is_object()) {
    return runtime::HandlerOutcome::Permanent(
        "notification.delivery.requested without notificationId, webhookId "
        "or event");
  }
  auto webhook = Get(requested.tenant_id, webhook_id);
  if (!webhook.ok()) {
    if (webhook.status().code() == core::StatusCode::kNotFound) {
      return runtime::HandlerOutcome::Ok();  // deleted since: nothing to do
    }
    return runtime::HandlerOutcome::FromStatus(webhook.status());
  }
  auto url = ParseHttpUrl(webhook->url);
  if (!url.ok()) return runtime::HandlerOutcome::FromStatus(url.status());
  auto secret = box_.Open(webhook->secret_sealed);
  if (!secret.ok()) return runtime::HandlerOutcome::FromStatus(secret.status());
  auto event = core::EventFromJson(envelope->as_object());
  if (!event.ok()) return runtime::HandlerOutcome::FromStatus(event.status());

  const std::string body = core::EncodeCloudEvent(*event);
  HttpPostOptions http = options_.http;
  http.content_type = "application/cloudevents+json";
  auto status =
      HttpPost(*url, body,
               {{"X-Stockpile-Signature", WebhookSignature(*secret, body)},
                {"X-Stockpile-Event-Type", event->event_type},
                {"X-Stockpile-Delivery", id}},
               http);
  if (!status.ok()) {
    return runtime::HandlerOutcome::Retryable("webhook " + webhook->url + ": " +
                                              status.status().message());
  }
  if (*status < 200 || *status > 299) {
    return runtime::HandlerOutcome::Retryable("webhook " + webhook->url +
                                              " answered HTTP " +
                                              std::to_string(*status));
  }
  const common::CommandContext ctx{.tenant = requested.tenant_id,
                                   .cause = &requested};
  Events sent;
  sent.push_back(NotificationSent(deps_, ctx, id, "webhook", webhook->url,
                                  event->event_id, attempt));
  auto appended = deps_.store->Append(
      requested.tenant_id, NotificationStream(id),
      store::ExpectedVersion::Exact(requested.stream_version), std::move(sent));
  // A Conflict: recorded by an earlier delivery of the same request.
  if (!appended.ok() &&
      appended.status().code() != core::StatusCode::kConflict) {
    return runtime::HandlerOutcome::Retryable(appended.status().ToString());
  }
  return runtime::HandlerOutcome::Ok();
}

runtime::ConsumerOptions WebhookDispatchSubscription(WebhookService& webhooks) {
  runtime::ConsumerOptions options;
  options.name = std::string(kWebhookDispatchSubscription);
  options.batch_handler = [&webhooks](std::span<const core::EventPtr> events,
                                      runtime::HandlerContext&) {
    for (const core::EventPtr& e : events) {
      core::Status s = webhooks.Dispatch(*e);
      if (!s.ok()) return runtime::HandlerOutcome::FromStatus(s);
    }
    return runtime::HandlerOutcome::Ok();
  };
  return options;
}

runtime::ConsumerOptions WebhookDeliverySubscription(WebhookService& webhooks) {
  runtime::ConsumerOptions options;
  options.name = std::string(kWebhookDeliverySubscription);
  options.type_patterns = {std::string(kDeliveryRequested)};
  options.handler = [&webhooks](const core::EventPtr& e,
                                runtime::HandlerContext& ctx) {
    return webhooks.Deliver(*e, ctx.attempt());
  };
  return options;
}

}  // namespace stockpile::domain::notifications
