// RequestObserver: told about every answered request, after the handler (or
// the refusal) produced its response — the seam for request metrics
// (stockpile_http_request_duration_seconds{route,method,status}, a request
// counter) and access/error logs, so the HTTP code does not depend on how
// they are recorded.
//
// Thread-safety: OnRequest is called concurrently from every server I/O
// thread, with no server lock held; implementations synchronize themselves
// and must not block.
#ifndef STOCKPILE_API_REQUEST_OBSERVER_H_
#define STOCKPILE_API_REQUEST_OBSERVER_H_

#include <chrono>
#include <string_view>

namespace stockpile::api {

// The route label of requests that matched no route (404, 405, refusals
// before routing). Keeps label cardinality bounded by the route table.
inline constexpr std::string_view kUnmatchedRoute = "unmatched";

struct RequestRecord {
  std::string_view method;
  std::string_view route;  // the template, or kUnmatchedRoute
  int status = 0;
  // From the request being complete to the response being built (for a
  // stream: to the headers being ready).
  std::chrono::nanoseconds duration{0};
  std::string_view correlation_id;
  // Why a 5xx happened, for the log (never sent to the client); else empty.
  std::string_view internal_error;
};

class RequestObserver {
 public:
  virtual ~RequestObserver() = default;
  virtual void OnRequest(const RequestRecord& record) = 0;
};

}  // namespace stockpile::api

#endif  // STOCKPILE_API_REQUEST_OBSERVER_H_
