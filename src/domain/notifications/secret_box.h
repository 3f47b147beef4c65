// SecretBox: seals short secrets (webhook signing secrets) so that they can
// be kept in the event log, which every reader of the tenant may see,
// without being readable there. AES-256-GCM (OpenSSL) with a random 96-bit
// nonce; the key is derived from the process's key material (the JWT
// signing secret) with HMAC-SHA256 and a fixed label, so a box opens what
// any process with the same secret sealed.
//
//   SecretBox box(jwt_secret);
//   std::string sealed = box.Seal("s3cret");      // "v1:<hex>"
//   ASSIGN_OR_RETURN(std::string plain, box.Open(sealed));
//
// Errors: Open gives FailedPrecondition when the text was sealed with other
// key material (or altered), InvalidArgument when it is not a sealed text.
//
// Thread-safety: immutable after construction; safe for concurrent use.
#ifndef STOCKPILE_DOMAIN_NOTIFICATIONS_SECRET_BOX_H_
#define STOCKPILE_DOMAIN_NOTIFICATIONS_SECRET_BOX_H_

#include <array>
#include <string>
#include <string_view>

#include "core/result.h"

namespace stockpile::domain::notifications {

class SecretBox {
 public:
  explicit SecretBox(std::string_view key_material);

  std::string Seal(std::string_view plaintext) const;
  core::Result<std::string> Open(std::string_view sealed) const;

 private:
  std::array<unsigned char, 32> key_{};
};

// "sha256=<lowercase hex HMAC-SHA256 of body keyed with secret>", the value
// of the X-Stockpile-Signature header (DESIGN.md §7).
std::string WebhookSignature(std::string_view secret, std::string_view body);

}  // namespace stockpile::domain::notifications

#endif  // STOCKPILE_DOMAIN_NOTIFICATIONS_SECRET_BOX_H_
