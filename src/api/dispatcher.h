// Dispatcher: the front door every request goes through between the wire
// (HttpServer) and a handler (Router):
//
//   request -> correlation id -> route match (404/405) -> bearer token
//   (401) -> permission (403) -> [Idempotency-Key replay] -> handler
//   -> X-Correlation-Id -> observer
//
// A handler that throws is answered with a 500 problem, never a crash.
// HttpServer also calls Refuse() for requests it answers itself (413 body
// too large, 400 unparseable HTTP, 503 while stopping) so those carry a
// correlation id and are counted too.
//
// Thread-safety: after construction Dispatch and Refuse may be called from
// any number of threads. The Router, JwtVerifier, Clock and observer must
// outlive the Dispatcher; the verifier may be null when the router has no
// authenticated routes (every such route then answers 401).
#ifndef STOCKPILE_API_DISPATCHER_H_
#define STOCKPILE_API_DISPATCHER_H_

#include <optional>
#include <string>

#include "api/idempotency_cache.h"
#include "api/jwt_verifier.h"
#include "api/request.h"
#include "api/request_observer.h"
#include "api/response.h"
#include "api/router.h"
#include "core/clock.h"
#include "core/uuid.h"

namespace stockpile::api {

class Dispatcher {
 public:
  // `idempotency`, when set, makes authenticated POSTs with an
  // Idempotency-Key header replay their first answer (idempotency_cache.h).
  Dispatcher(const Router& router, const JwtVerifier* verifier,
             const core::Clock& clock, RequestObserver* observer = nullptr,
             IdempotencyCache* idempotency = nullptr);
  Dispatcher(const Dispatcher&) = delete;
  Dispatcher& operator=(const Dispatcher&) = delete;

  // `request` holds the wire fields (method, target, headers, body); the
  // rest is filled in here before the handler sees it.
  Response Dispatch(Request& request);

  // Answers `request` with a problem of `http_status` without routing it.
  Response Refuse(Request& request, int http_status, std::string detail);

 private:
  Response Route(Request& request, std::string& internal_error);
  // The 401/403 answer, or nullopt when the caller may proceed (then
  // request.principal is set).
  std::optional<Response> Deny(Request& request, const RouteInfo& route);
  // Runs the handler, through the idempotency cache when the request
  // carries a key.
  Response Handle(Request& request, const Handler& handler);
  void Finish(const Request& request, Response& response,
              std::chrono::steady_clock::time_point start,
              std::string_view internal_error);

  // Immutable after construction.
  const Router& router_;
  const JwtVerifier* const verifier_;    // may be null
  RequestObserver* const observer_;      // may be null
  IdempotencyCache* const idempotency_;  // may be null
  core::UuidV7Generator ids_;            // internally synchronized
};

}  // namespace stockpile::api

#endif  // STOCKPILE_API_DISPATCHER_H_
