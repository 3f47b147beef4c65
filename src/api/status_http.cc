#include "api/status_http.h"

#include <string>

#include "api/problem.h"
#include "api/request.h"
#include "core/check.h"

namespace stockpile::api {

int HttpStatusFor(core::StatusCode code, ErrorStage stage) {
  using core::StatusCode;
  const bool decoding = stage == ErrorStage::kDecoding;
  switch (code) {
    case StatusCode::kOk:
      return 200;
    case StatusCode::kInvalidArgument:
      return decoding ? 400 : 422;
    case StatusCode::kNotFound:
      return 404;
    case StatusCode::kConflict:
    case StatusCode::kAlreadyExists:
    case StatusCode::kFailedPrecondition:
      return 409;
    case StatusCode::kUnauthenticated:
      return 401;
    case StatusCode::kPermissionDenied:
      return 403;
    case StatusCode::kResourceExhausted:
      return decoding ? 413 : 429;
    case StatusCode::kUnavailable:
    case StatusCode::kCancelled:
      return 503;
    case StatusCode::kDeadlineExceeded:
      return 504;
    case StatusCode::kInternal:
      return 500;
  }
  CHECK(false) << "unmapped StatusCode " << static_cast<int>(code);
  return 500;
}

Response ErrorResponse(const core::Status& status, std::string_view instance,
                       ErrorStage stage) {
  CHECK(!status.ok()) << "ErrorResponse of an ok Status";
  const int http = HttpStatusFor(status.code(), stage);
  std::string detail = http == 500
                           ? "the server failed to handle the request; it "
                             "has been logged"
                           : status.message();
  if (detail.empty()) detail = std::string(core::StatusCodeName(status.code()));
  Response r = ProblemResponse(
      MakeProblem(http, std::move(detail), std::string(instance)));
  if (http == 401) r.headers.Add("WWW-Authenticate", "Bearer");
  if (http == 503) r.headers.Add("Retry-After", "1");
  return r;
}

Response ErrorResponse(const core::Status& status, const Request& request,
                       ErrorStage stage) {
  return ErrorResponse(status, request.path, stage);
}

}  // namespace stockpile::api
