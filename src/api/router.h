// Router: maps a method and a path to a handler. Paths are templates whose
// segments are literals or `{name}` parameters:
//
//   Router router;
//   router.Add("GET", "/api/v1/orders/{id}", Permission::kRead, GetOrder);
//   router.AddPublic("GET", "/health", Health);
//
// A path segment matches a literal exactly (still percent-encoded) or any
// non-empty segment for a parameter, whose value is percent-decoded. When
// several templates of the request's method match, the one with a literal
// at the first differing segment wins ("/events/stream" over
// "/events/{id}"). A path matching no template is NotFound; one matching
// only templates of other methods is MethodNotAllowed with those methods
// (both answered as problem+json by the Dispatcher).
//
// Every handler is one thin function per resource operation: parse ->
// domain call -> map Status (api/status_http.h).
//
// Thread-safety: build the router (Add*) before serving; afterwards Match
// and Routes may be called from any number of threads.
#ifndef STOCKPILE_API_ROUTER_H_
#define STOCKPILE_API_ROUTER_H_

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/permission.h"
#include "api/request.h"
#include "api/response.h"
#include "core/result.h"

namespace stockpile::api {

// Runs on a server I/O thread. It may block briefly (a store commit); it
// must not wait for other requests.
using Handler = std::function<Response(const Request&)>;

struct RouteInfo {
  std::string method;         // "GET", "POST", ...
  std::string path_template;  // "/api/v1/orders/{id}"
  // nullopt for unauthenticated routes (health, metrics, openapi).
  std::optional<Permission> permission;
};

struct RouteMatch {
  enum class Outcome { kFound, kNotFound, kMethodNotAllowed };
  Outcome outcome = Outcome::kNotFound;
  const RouteInfo* route = nullptr;          // kFound; owned by the Router
  const Handler* handler = nullptr;          // kFound; owned by the Router
  Params path_params;                        // kFound; percent-decoded
  std::vector<std::string> allowed_methods;  // kMethodNotAllowed, sorted
};

class Router {
 public:
  Router() = default;
  Router(const Router&) = delete;
  Router& operator=(const Router&) = delete;

  // Registers an authenticated route. A duplicate method + template or a
  // malformed template (not starting with '/', empty segment, bad `{}`) is
  // a programming error (CHECK).
  void Add(std::string_view method, std::string_view path_template,
           Permission permission, Handler handler);
  // Registers a route that needs no token.
  void AddPublic(std::string_view method, std::string_view path_template,
                 Handler handler);

  // `path` is the request path without the query, still percent-encoded.
  // InvalidArgument when a parameter segment has a bad escape.
  core::Result<RouteMatch> Match(std::string_view method,
                                 std::string_view path) const;

  // Every route, in registration order.
  std::vector<RouteInfo> Routes() const;

 private:
  struct Segment {
    bool is_param;
    std::string text;  // the literal, or the parameter name
  };
  struct Route {
    RouteInfo info;
    std::vector<Segment> segments;
    Handler handler;
  };

  void AddRoute(std::string_view method, std::string_view path_template,
                std::optional<Permission> permission, Handler handler);
  static bool Matches(const Route& route,
                      const std::vector<std::string_view>& segments);
  static bool MoreSpecific(const Route& a, const Route& b);

  std::vector<Route> routes_;  // immutable once serving starts
};

}  // namespace stockpile::api

#endif  // STOCKPILE_API_ROUTER_H_
