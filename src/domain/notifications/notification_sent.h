// NotificationSent: the notification.sent event that records one delivery
// of a notification on a channel (DESIGN.md §4 flow 7): {notificationId,
// channel: log|webhook|email, recipient, sourceEventId?, status:
// "delivered", attempts?}.
//
// Thread-safety: a pure function.
#ifndef STOCKPILE_DOMAIN_NOTIFICATIONS_NOTIFICATION_SENT_H_
#define STOCKPILE_DOMAIN_NOTIFICATIONS_NOTIFICATION_SENT_H_

#include <string>
#include <string_view>

#include "core/event.h"
#include "domain/common/command_context.h"

namespace stockpile::domain::notifications {

inline constexpr std::string_view kNotificationSent = "notification.sent";

// `attempts` 0 leaves the field out.
core::Event NotificationSent(const common::DomainDeps& deps,
                             const common::CommandContext& ctx,
                             const std::string& notification_id,
                             std::string_view channel,
                             std::string_view recipient,
                             std::string_view source_event_id,
                             int attempts = 0);

}  // namespace stockpile::domain::notifications

#endif  // STOCKPILE_DOMAIN_NOTIFICATIONS_NOTIFICATION_SENT_H_
