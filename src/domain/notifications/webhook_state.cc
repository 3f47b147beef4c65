#include "domain/notifications/webhook_state.h"

#include <boost/json/array.hpp>

#include "core/time_format.h"
#include "domain/common/json_fields.h"

namespace stockpile::domain::notifications {
namespace {

std::vector<std::string> Strings(const boost::json::object& o,
                                 std::string_view key) {
  std::vector<std::string> out;
  const boost::json::value* v = o.if_contains(key);
  if (v == nullptr || !v->is_array()) return out;
  for (const boost::json::value& s : v->as_array()) {
    if (s.is_string()) out.emplace_back(s.as_string());
  }
  return out;
}

boost::json::array ToArray(const std::vector<std::string>& strings) {
  boost::json::array out;
  for (const std::string& s : strings) out.emplace_back(s);
  return out;
}

}  // namespace

std::string WebhookStream(std::string_view webhook_id) {
  return "webhook-" + std::string(webhook_id);
}

boost::json::object WebhookState::ToJson() const {
  return {{"id", id},
          {"url", url},
          {"events", ToArray(events)},
          {"createdAt", core::FormatRfc3339Millis(created_at_ms)}};
}

void WebhookState::Apply(const core::Event& e) {
  if (e.event_type == kWebhookRegistered) {
    exists = true;
    id = common::JsonString(e.payload, "webhookId");
    url = common::JsonString(e.payload, "url");
    events = Strings(e.payload, "events");
    secret_sealed = common::JsonString(e.payload, "secretSealed");
    created_at_ms = e.timestamp_ms;
    since_position = e.position;
  } else if (e.event_type == kWebhookDeleted) {
    deleted = true;
  }
}

boost::json::object WebhookState::ToSnapshot() const {
  return {{"id", id},
          {"url", url},
          {"events", ToArray(events)},
          {"secretSealed", secret_sealed},
          {"deleted", deleted},
          {"createdAtMs", created_at_ms},
          {"sincePosition", since_position}};
}

core::Result<WebhookState> WebhookState::FromSnapshot(
    const boost::json::object& o) {
  WebhookState s;
  s.exists = true;
  s.id = common::JsonString(o, "id");
  s.url = common::JsonString(o, "url");
  s.events = Strings(o, "events");
  s.secret_sealed = common::JsonString(o, "secretSealed");
  s.deleted = common::JsonBool(o, "deleted");
  s.created_at_ms = common::JsonInt(o, "createdAtMs");
  s.since_position = common::JsonInt(o, "sincePosition");
  return s;
}

}  // namespace stockpile::domain::notifications
