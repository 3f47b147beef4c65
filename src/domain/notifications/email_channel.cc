#include "domain/notifications/email_channel.h"

#include <utility>

#include "core/status_macros.h"
#include "core/uuid.h"
#include "domain/notifications/alert_state.h"
#include "domain/notifications/notification_sent.h"
#include "runtime/handler_outcome.h"

namespace stockpile::domain::notifications {

EmailChannel::EmailChannel(const common::DomainDeps& deps, EmailOptions options)
    : deps_(deps), options_(std::move(options)) {}

core::Status EmailChannel::HandleAlertRaised(const core::Event& raised) {
  const std::string alert_id(raised.PayloadString("alertId"));
  if (alert_id.empty()) {
    return core::InvalidArgumentError(
        "notification.alert.raised without "
        "alertId");
  }
  const std::string id =
      "ntf-" + core::Uuid::FromName("email", alert_id).ToString();
  std::string recipients;
  for (const std::string& r : options_.to) {
    recipients += (recipients.empty() ? "" : ", ") + r;
  }
  const std::string severity(raised.PayloadString("severity"));
  const std::string type(raised.PayloadString("alertType"));
  const std::string message(raised.PayloadString("message"));
  MailMessage mail{
      .from = options_.from,
      .to = options_.to,
      .subject = "[Stockpile] " + severity + " " + type + ": " + message,
      .body = message + "\n\nTenant: " + raised.tenant_id + "\nAlert: " +
              alert_id + "\nSeverity: " + severity + "\nRaised by event: " +
              std::string(raised.PayloadString("sourceEventId")) + "\n",
      .message_id = id + "@stockpile"};
  RETURN_IF_ERROR(SendMail(options_.relay, mail));
  const common::CommandContext ctx{.tenant = raised.tenant_id,
                                   .cause = &raised};
  std::vector<core::Event> sent;
  sent.push_back(
      NotificationSent(deps_, ctx, id, "email", recipients, raised.event_id));
  auto appended =
      deps_.store->Append(raised.tenant_id, "notification-" + id,
                          store::ExpectedVersion::NoStream(), std::move(sent));
  // A Conflict: recorded by an earlier delivery of the same alert.
  if (!appended.ok() &&
      appended.status().code() != core::StatusCode::kConflict) {
    return appended.status();
  }
  return core::Status::Ok();
}

runtime::ConsumerOptions EmailSubscription(EmailChannel& email) {
  runtime::ConsumerOptions options;
  options.name = std::string(kEmailSubscription);
  options.type_patterns = {std::string(kAlertRaised)};
  options.handler = [&email](const core::EventPtr& e,
                             runtime::HandlerContext&) {
    return runtime::HandlerOutcome::FromStatus(email.HandleAlertRaised(*e));
  };
  return options;
}

}  // namespace stockpile::domain::notifications
