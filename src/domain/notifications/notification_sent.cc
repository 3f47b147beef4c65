#include "domain/notifications/notification_sent.h"

namespace stockpile::domain::notifications {

core::Event NotificationSent(const common::DomainDeps& deps,
                             const common::CommandContext& ctx,
                             const std::string& notification_id,
                             std::string_view channel,
                             std::string_view recipient,
                             std::string_view source_event_id, int attempts) {
  boost::json::object payload{{"notificationId", notification_id},
                              {"channel", channel},
                              {"recipient", recipient},
                              {"status", "delivered"}};
  if (!source_event_id.empty()) payload["sourceEventId"] = source_event_id;
  if (attempts > 0) payload["attempts"] = attempts;
  return common::NewEvent(deps, ctx, "notifications",
                          std::string(kNotificationSent), "notification",
                          notification_id, std::move(payload));
}

}  // namespace stockpile::domain::notifications
