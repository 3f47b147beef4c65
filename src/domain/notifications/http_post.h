// HttpPost: one blocking HTTP/1.1 POST to an http:// URL (Boost.Beast),
// with a deadline on connecting and one on the whole exchange. The
// connection is closed afterwards.
//
//   ASSIGN_OR_RETURN(HttpUrl url, ParseHttpUrl("http://127.0.0.1:9000/hook"));
//   ASSIGN_OR_RETURN(int status, HttpPost(url, body, {{"X-Sig", "..."}}, {}));
//
// Errors: Unavailable for a failed name lookup, a refused connection, a
// timeout or a broken exchange (the message says which). Any HTTP status
// is a successful result: the caller decides what a non-2xx means.
//
// Thread-safety: a free function; concurrent calls are independent.
#ifndef STOCKPILE_DOMAIN_NOTIFICATIONS_HTTP_POST_H_
#define STOCKPILE_DOMAIN_NOTIFICATIONS_HTTP_POST_H_

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "core/result.h"
#include "domain/notifications/http_url.h"

namespace stockpile::domain::notifications {

struct HttpPostOptions {
  std::chrono::milliseconds connect_timeout{5000};
  // From the start of the request until the response is read completely.
  std::chrono::milliseconds response_timeout{10000};
  std::string content_type = "application/json";
};

using HttpHeaderList = std::vector<std::pair<std::string, std::string>>;

// The response's status code.
core::Result<int> HttpPost(const HttpUrl& url, const std::string& body,
                           const HttpHeaderList& headers,
                           const HttpPostOptions& options);

}  // namespace stockpile::domain::notifications

#endif  // STOCKPILE_DOMAIN_NOTIFICATIONS_HTTP_POST_H_
