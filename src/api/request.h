// Request: one HTTP request as a handler sees it — no Beast types. The
// server fills the wire fields; the Dispatcher fills the rest (path and
// query parameters decoded, the matched route, the verified Principal and
// the correlation id) before the handler runs.
//
//   Response GetOrder(const Request& req) {
//     std::string_view id = req.PathParam("id");
//     const Principal& who = req.caller();   // tenant comes from here only
//     ...
//   }
//
// Thread-safety: a value type; not synchronized.
#ifndef STOCKPILE_API_REQUEST_H_
#define STOCKPILE_API_REQUEST_H_

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/headers.h"
#include "api/principal.h"

namespace stockpile::api {

using Params = std::vector<std::pair<std::string, std::string>>;

struct Request {
  // From the wire.
  std::string method;  // as sent, e.g. "GET"
  std::string target;  // as sent, e.g. "/api/v1/orders?limit=10"
  Headers headers;
  std::string body;

  // Set by the Dispatcher.
  std::string path;            // target before '?', still percent-encoded
  std::string route;           // matched template, "/api/v1/orders/{id}"
  Params path_params;          // percent-decoded, in template order
  Params query_params;         // percent-decoded ('+' is a space), in order
  std::string correlation_id;  // accepted from X-Correlation-Id or generated
  std::optional<Principal> principal;  // set on authenticated routes

  // The path parameter `name`. The route template guarantees it exists;
  // asking for a name the template lacks is a bug (CHECK).
  std::string_view PathParam(std::string_view name) const;
  // The first query parameter `name`, or nullopt.
  std::optional<std::string_view> Query(std::string_view name) const;
  // The authenticated caller. CHECK-fails on an unauthenticated route.
  const Principal& caller() const;
};

}  // namespace stockpile::api

#endif  // STOCKPILE_API_REQUEST_H_
