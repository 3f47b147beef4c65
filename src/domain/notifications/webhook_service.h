// WebhookService: webhooks — HMAC-signed HTTP POSTs of a tenant's events to
// URLs it registered (DESIGN.md §4 flow 7, §7) — in two hops, so that each
// delivery is one event the runtime retries and dead-letters on its own:
//
//   any event (not notification.*) -> Dispatch (subscription
//     notifications.webhooks.dispatch): for every active webhook of the
//     tenant registered before it whose patterns match ->
//     notification.delivery.requested (stream "notification-<id>", the id
//     derived from webhook and event, so a redelivery adds nothing)
//   notification.delivery.requested -> Deliver (subscription
//     notifications.webhooks): POST the event as a CloudEvent (structured
//     mode, application/cloudevents+json) with
//     X-Stockpile-Signature: sha256=<hex HMAC-SHA256 of the body, keyed with
//     the webhook's secret>; 2xx -> notification.sent; a non-2xx answer,
//     a refused connection or a timeout is retryable (the subscription's
//     retry policy, then the dead letters; a redrive POSTs it once more).
//     A webhook deleted meanwhile is skipped.
//
// Errors: InvalidArgument (bad url — only http:// —, patterns or secret),
// NotFound (an unknown or deleted webhook of the tenant).
//
// Ownership: borrows DomainDeps and the webhook list, which must outlive
// it. Thread-safety: safe for concurrent use.
#ifndef STOCKPILE_DOMAIN_NOTIFICATIONS_WEBHOOK_SERVICE_H_
#define STOCKPILE_DOMAIN_NOTIFICATIONS_WEBHOOK_SERVICE_H_

#include <string>
#include <string_view>
#include <vector>

#include "core/event.h"
#include "core/result.h"
#include "domain/common/aggregate_repository.h"
#include "domain/common/command_context.h"
#include "domain/common/keyed_view.h"
#include "domain/notifications/http_post.h"
#include "domain/notifications/secret_box.h"
#include "domain/notifications/webhook_state.h"
#include "runtime/consumer_options.h"
#include "runtime/handler_outcome.h"

namespace stockpile::domain::notifications {

inline constexpr std::string_view kDeliveryRequested =
    "notification.delivery.requested";
inline constexpr size_t kMaxWebhookPatterns = 32;
inline constexpr size_t kMaxSecretLength = 256;

struct WebhookRequest {
  std::string url;
  std::vector<std::string> events;  // topic patterns, e.g. "order.*"
  std::string secret;
};

struct WebhookOptions {
  // Key material of the SecretBox that seals the secrets in the log.
  std::string key_material;
  HttpPostOptions http;
};

class WebhookService {
 public:
  // `webhooks` is the list Dispatch consults (fed from the log).
  WebhookService(const common::DomainDeps& deps,
                 const common::KeyedView<WebhookState>& webhooks,
                 WebhookOptions options);

  core::Result<WebhookState> Register(const common::CommandContext& ctx,
                                      WebhookRequest request);
  core::Status Delete(const common::CommandContext& ctx,
                      std::string_view webhook_id);
  core::Result<WebhookState> Get(std::string_view tenant,
                                 std::string_view webhook_id) const;

  core::Status Dispatch(const core::Event& e);
  runtime::HandlerOutcome Deliver(const core::Event& requested, int attempt);

 private:
  // Immutable after construction.
  const common::DomainDeps deps_;
  const common::KeyedView<WebhookState>& webhooks_;
  const WebhookOptions options_;
  const SecretBox box_;
  common::AggregateRepository<WebhookState> repository_;
};

inline constexpr std::string_view kWebhookDispatchSubscription =
    "notifications.webhooks.dispatch";
inline constexpr std::string_view kWebhookDeliverySubscription =
    "notifications.webhooks";

// Every event -> Dispatch, in batches. `webhooks` must outlive the consumer.
runtime::ConsumerOptions WebhookDispatchSubscription(WebhookService& webhooks);
// notification.delivery.requested -> Deliver.
runtime::ConsumerOptions WebhookDeliverySubscription(WebhookService& webhooks);

}  // namespace stockpile::domain::notifications

#endif  // STOCKPILE_DOMAIN_NOTIFICATIONS_WEBHOOK_SERVICE_H_
