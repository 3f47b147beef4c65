// SendMail: hands one plain-text message to an SMTP relay (RFC 5321:
// EHLO, MAIL FROM, RCPT TO per recipient, DATA, QUIT) over a plain TCP
// connection, with one deadline for the whole conversation. No TLS and no
// authentication: the relay is one the operator configured on a trusted
// network (a local MTA or a mail sink).
//
//   SmtpRelay relay{.host = "127.0.0.1", .port = 2525};
//   RETURN_IF_ERROR(SendMail(relay, {.from = "stockpile@localhost",
//                                    .to = {"ops@example.com"},
//                                    .subject = "Low stock",
//                                    .body = "p1 at main: 2 left"}));
//
// Errors: Unavailable for a refused connection, a timeout, a broken
// conversation or a 4xx reply (try again later); FailedPrecondition for a
// 5xx reply (the relay refuses: retrying cannot help); InvalidArgument for
// an address with CR, LF, '<' or '>' or no recipient.
//
// Thread-safety: a free function; concurrent calls are independent.
#ifndef STOCKPILE_DOMAIN_NOTIFICATIONS_SMTP_CLIENT_H_
#define STOCKPILE_DOMAIN_NOTIFICATIONS_SMTP_CLIENT_H_

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"

namespace stockpile::domain::notifications {

struct SmtpRelay {
  std::string host;
  uint16_t port = 25;
  std::chrono::milliseconds timeout{15000};  // the whole conversation
};

struct MailMessage {
  std::string from;
  std::vector<std::string> to;
  std::string subject;     // CR and LF are replaced by spaces
  std::string body;        // lines are sent with CRLF, dot-stuffed
  std::string message_id;  // "" = none
};

core::Status SendMail(const SmtpRelay& relay, const MailMessage& message);

}  // namespace stockpile::domain::notifications

#endif  // STOCKPILE_DOMAIN_NOTIFICATIONS_SMTP_CLIENT_H_
