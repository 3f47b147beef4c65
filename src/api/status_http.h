// The ONE place where a core::Status becomes an HTTP status (STYLE.md
// "Errors"). Handlers never pick error codes themselves:
//
//   Result<Order> order = orders.Create(...);
//   if (!order.ok()) return ErrorResponse(order.status(), req);
//
// InvalidArgument splits by the stage it came from:
//   - kDecoding:   the request itself could not be read — malformed JSON,
//                  invalid UTF-8, nesting too deep, a bad query or path
//                  parameter syntax -> 400 Bad Request; a body over a size
//                  limit (ResourceExhausted) -> 413.
//   - kProcessing: the request was well-formed but its content is refused —
//                  a missing or wrong-typed field, an unknown product, a bad
//                  quantity -> 422 Unprocessable Content; ResourceExhausted
//                  (a rate or quota limit) -> 429.
// Every other code maps the same in both stages:
//   NotFound 404, Conflict/AlreadyExists/FailedPrecondition 409,
//   Unauthenticated 401 (with WWW-Authenticate: Bearer), PermissionDenied
//   403, Unavailable 503 (with Retry-After), DeadlineExceeded 504,
//   Cancelled 503 (the server is stopping), Internal 500, Ok 200.
// A 500 never shows the Status message (it may describe internals); the
// detail is a generic sentence.
#ifndef STOCKPILE_API_STATUS_HTTP_H_
#define STOCKPILE_API_STATUS_HTTP_H_

#include <string_view>

#include "api/response.h"
#include "core/status.h"

namespace stockpile::api {

struct Request;

enum class ErrorStage { kDecoding, kProcessing };

int HttpStatusFor(core::StatusCode code,
                  ErrorStage stage = ErrorStage::kProcessing);

// A problem+json response for a non-ok `status`; `instance` is the request
// path. Adds WWW-Authenticate for 401 and Retry-After for 503.
Response ErrorResponse(const core::Status& status, std::string_view instance,
                       ErrorStage stage = ErrorStage::kProcessing);
Response ErrorResponse(const core::Status& status, const Request& request,
                       ErrorStage stage = ErrorStage::kProcessing);

}  // namespace stockpile::api

#endif  // STOCKPILE_API_STATUS_HTTP_H_
