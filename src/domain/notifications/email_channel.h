// EmailChannel: mails every raised alert to the configured recipients
// through an SMTP relay (DESIGN.md §4 flow 7, the email channel):
//
//   notification.alert.raised -> SendMail (smtp_client.h) -> on success
//     notification.sent {channel: "email", recipient: "a@x, b@y"} in stream
//     "notification-<id>" (the id derived from the alert, so a redelivered
//     alert records no second delivery)
//
// A 4xx reply, a refused connection or a timeout is Unavailable (the
// subscription retries, then parks it); a 5xx reply is FailedPrecondition
// (parked at once; a redrive tries again).
//
// Ownership: borrows DomainDeps. Thread-safety: safe for concurrent use.
#ifndef STOCKPILE_DOMAIN_NOTIFICATIONS_EMAIL_CHANNEL_H_
#define STOCKPILE_DOMAIN_NOTIFICATIONS_EMAIL_CHANNEL_H_

#include <string>
#include <string_view>
#include <vector>

#include "core/event.h"
#include "core/status.h"
#include "domain/common/command_context.h"
#include "domain/notifications/smtp_client.h"
#include "runtime/consumer_options.h"

namespace stockpile::domain::notifications {

struct EmailOptions {
  SmtpRelay relay;
  std::string from = "stockpile@localhost";
  std::vector<std::string> to;  // at least one
};

class EmailChannel {
 public:
  EmailChannel(const common::DomainDeps& deps, EmailOptions options);

  // Mails the alert of a notification.alert.raised event.
  core::Status HandleAlertRaised(const core::Event& raised);

 private:
  // Immutable after construction.
  const common::DomainDeps deps_;
  const EmailOptions options_;
};

inline constexpr std::string_view kEmailSubscription = "notifications.email";

// notification.alert.raised -> HandleAlertRaised. `email` must outlive the
// consumer.
runtime::ConsumerOptions EmailSubscription(EmailChannel& email);

}  // namespace stockpile::domain::notifications

#endif  // STOCKPILE_DOMAIN_NOTIFICATIONS_EMAIL_CHANNEL_H_
