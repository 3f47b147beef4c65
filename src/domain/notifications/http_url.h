// HttpUrl: an http:// URL split for a client: host, port and request
// target. Only plain http is supported (no TLS client yet): https:// and
// every other scheme are refused, as are user info, fragments, spaces and
// control characters.
//
//   ASSIGN_OR_RETURN(HttpUrl url, ParseHttpUrl("http://127.0.0.1:9000/hook"));
//   // url.host "127.0.0.1", url.port 9000, url.target "/hook"
//
// Thread-safety: a plain value; pure functions.
#ifndef STOCKPILE_DOMAIN_NOTIFICATIONS_HTTP_URL_H_
#define STOCKPILE_DOMAIN_NOTIFICATIONS_HTTP_URL_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace stockpile::domain::notifications {

inline constexpr size_t kMaxUrlLength = 2048;

struct HttpUrl {
  std::string host;  // a name, an IPv4 address or a bracketed IPv6 address
  uint16_t port = 80;
  std::string target;  // path and query, "/" when empty
};

// InvalidArgument saying what is wrong with `text`.
core::Result<HttpUrl> ParseHttpUrl(std::string_view text);

}  // namespace stockpile::domain::notifications

#endif  // STOCKPILE_DOMAIN_NOTIFICATIONS_HTTP_URL_H_
