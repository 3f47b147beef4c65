// WebhookState: one registered webhook (stream "webhook-<id>"): where
// events of the tenant that match its patterns are POSTed, and the sealed
// secret their signature is keyed with (DESIGN.md §7 webhooks {url,
// events: [patterns], secret}). Folded from notification.webhook.registered
// and notification.webhook.deleted.
//
// `since_position` is the log position of the registration: only events
// after it are delivered, so a consumer catching up after a restart never
// sends a new webhook what happened before it existed.
//
// Thread-safety: a plain value.
#ifndef STOCKPILE_DOMAIN_NOTIFICATIONS_WEBHOOK_STATE_H_
#define STOCKPILE_DOMAIN_NOTIFICATIONS_WEBHOOK_STATE_H_

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/event.h"
#include "core/result.h"

namespace stockpile::domain::notifications {

inline constexpr std::string_view kWebhookRegistered =
    "notification.webhook.registered";
inline constexpr std::string_view kWebhookDeleted =
    "notification.webhook.deleted";

std::string WebhookStream(std::string_view webhook_id);

struct WebhookState {
  static constexpr int kSnapshotSchema = 1;

  bool exists = false;
  bool deleted = false;
  std::string id;
  std::string url;
  std::vector<std::string> events;  // topic patterns
  std::string secret_sealed;        // SecretBox::Seal of the secret
  int64_t created_at_ms = 0;
  int64_t since_position = 0;

  bool active() const { return exists && !deleted; }

  // {id, url, events, createdAt} — never the secret.
  boost::json::object ToJson() const;

  void Apply(const core::Event& e);
  boost::json::object ToSnapshot() const;
  static core::Result<WebhookState> FromSnapshot(const boost::json::object& o);
};

}  // namespace stockpile::domain::notifications

#endif  // STOCKPILE_DOMAIN_NOTIFICATIONS_WEBHOOK_STATE_H_
