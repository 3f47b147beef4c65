#include "api/dispatcher.h"

#include <exception>
#include <utility>

#include "api/correlation_id.h"
#include "api/problem.h"
#include "api/status_http.h"
#include "api/uri.h"

namespace stockpile::api {
namespace {

// Methods outside this set are reported as "OTHER" (label cardinality).
std::string_view MethodLabel(std::string_view method) {
  for (std::string_view known :
       {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}) {
    if (method == known) return known;
  }
  return "OTHER";
}

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += ", ";
    out += item;
  }
  return out;
}

// Longer keys are refused (clients send UUIDs; this bounds the cache).
constexpr size_t kMaxIdempotencyKey = 255;

}  // namespace

Dispatcher::Dispatcher(const Router& router, const JwtVerifier* verifier,
                       const core::Clock& clock, RequestObserver* observer,
                       IdempotencyCache* idempotency)
    : router_(router),
      verifier_(verifier),
      observer_(observer),
      idempotency_(idempotency),
      ids_(clock) {}

Response Dispatcher::Dispatch(Request& request) {
  const auto start = std::chrono::steady_clock::now();
  request.correlation_id =
      ChooseCorrelationId(request.headers.Get(kCorrelationIdHeader), ids_);
  std::string internal_error;
  Response response;
  try {
    response = Route(request, internal_error);
  } catch (const std::exception& e) {
    internal_error = e.what();
    response = ErrorResponse(core::InternalError(e.what()), request.path);
  } catch (...) {
    internal_error = "unknown exception";
    response =
        ErrorResponse(core::InternalError("unknown exception"), request.path);
  }
  Finish(request, response, start, internal_error);
  return response;
}

Response Dispatcher::Refuse(Request& request, int http_status,
                            std::string detail) {
  const auto start = std::chrono::steady_clock::now();
  request.correlation_id =
      ChooseCorrelationId(request.headers.Get(kCorrelationIdHeader), ids_);
  request.path = std::string(SplitRequestTarget(request.target).path);
  Response response = ProblemResponse(
      MakeProblem(http_status, std::move(detail), request.path));
  if (http_status == 503) response.headers.Add("Retry-After", "1");
  Finish(request, response, start, {});
  return response;
}

Response Dispatcher::Route(Request& request, std::string& internal_error) {
  const SplitTarget target = SplitRequestTarget(request.target);
  request.path = std::string(target.path);
  core::Result<RouteMatch> match = router_.Match(request.method, request.path);
  if (!match.ok()) {
    return ErrorResponse(match.status(), request, ErrorStage::kDecoding);
  }
  switch (match->outcome) {
    case RouteMatch::Outcome::kNotFound:
      return ProblemResponse(
          MakeProblem(404, "no resource at " + request.path, request.path));
    case RouteMatch::Outcome::kMethodNotAllowed: {
      const std::string allowed = Join(match->allowed_methods);
      return std::move(ProblemResponse(MakeProblem(
                           405,
                           request.method + " is not allowed on " +
                               request.path + "; allowed: " + allowed,
                           request.path)))
          .WithHeader("Allow", allowed);
    }
    case RouteMatch::Outcome::kFound:
      break;
  }
  request.route = match->route->path_template;
  request.path_params = std::move(match->path_params);
  core::Result<Params> query = ParseQueryString(target.query);
  if (!query.ok()) {
    return ErrorResponse(query.status().WithContext("query string"), request,
                         ErrorStage::kDecoding);
  }
  request.query_params = std::move(*query);
  if (match->route->permission.has_value()) {
    std::optional<Response> denied = Deny(request, *match->route);
    if (denied.has_value()) return std::move(*denied);
  }
  Response response = Handle(request, *match->handler);
  if (response.status >= 500) internal_error = "handler answered with 5xx";
  return response;
}

std::optional<Response> Dispatcher::Deny(Request& request,
                                         const RouteInfo& route) {
  std::optional<std::string_view> header = request.headers.Get("Authorization");
  if (!header.has_value()) {
    Response r = ErrorResponse(
        core::UnauthenticatedError("this endpoint needs an Authorization: "
                                   "Bearer <token> header"),
        request);
    r.headers.Set("WWW-Authenticate", "Bearer realm=\"stockpile\"");
    return r;
  }
  core::Result<Principal> principal =
      core::UnauthenticatedError("token verification is not configured");
  core::Result<std::string_view> token = JwtVerifier::BearerToken(*header);
  if (!token.ok()) {
    principal = token.status();
  } else if (verifier_ != nullptr) {
    principal = verifier_->Verify(*token);
  }
  if (!principal.ok()) {
    Response r = ErrorResponse(principal.status(), request);
    r.headers.Set("WWW-Authenticate",
                  "Bearer realm=\"stockpile\", error=\"invalid_token\"");
    return r;
  }
  if (!RoleHasPermission(principal->role, *route.permission)) {
    return ErrorResponse(
        core::PermissionDeniedError(
            "role '" + std::string(RoleName(principal->role)) +
            "' lacks the '" + std::string(PermissionName(*route.permission)) +
            "' permission needed for " + route.method + " " +
            route.path_template),
        request);
  }
  request.principal = std::move(*principal);
  return std::nullopt;
}

Response Dispatcher::Handle(Request& request, const Handler& handler) {
  std::optional<std::string_view> key;
  if (idempotency_ != nullptr && request.method == "POST" &&
      request.principal.has_value()) {
    key = request.headers.Get(kIdempotencyKeyHeader);
  }
  if (!key.has_value()) return handler(request);
  if (key->empty() || key->size() > kMaxIdempotencyKey) {
    return ErrorResponse(
        core::InvalidArgumentError(
            "the Idempotency-Key header must hold 1 to " +
            std::to_string(kMaxIdempotencyKey) + " characters"),
        request, ErrorStage::kDecoding);
  }
  const std::string& tenant = request.principal->tenant;
  IdempotencyCache::Lookup lookup = idempotency_->Begin(
      tenant, *key,
      RequestFingerprint(request.method, request.path, request.body));
  switch (lookup.outcome) {
    case IdempotencyCache::Outcome::kReplay:
      return std::move(lookup.stored).WithHeader("Idempotent-Replayed", "true");
    case IdempotencyCache::Outcome::kMismatch:
      return ErrorResponse(
          core::InvalidArgumentError(
              "this Idempotency-Key was already used with a different "
              "request; use a new key for a new request"),
          request);
    case IdempotencyCache::Outcome::kInProgress:
      return ErrorResponse(
          core::ConflictError("a request with this Idempotency-Key is still "
                              "being processed; retry in a moment"),
          request);
    case IdempotencyCache::Outcome::kNew:
      break;
  }
  Response response;
  try {
    response = handler(request);
  } catch (...) {
    idempotency_->Abandon(tenant, *key);
    throw;
  }
  if (response.status >= 500 || response.stream) {
    idempotency_->Abandon(tenant, *key);
  } else {
    idempotency_->Finish(tenant, *key, response);
  }
  return response;
}

void Dispatcher::Finish(const Request& request, Response& response,
                        std::chrono::steady_clock::time_point start,
                        std::string_view internal_error) {
  response.headers.Set(kCorrelationIdHeader, request.correlation_id);
  if (observer_ == nullptr) return;
  RequestRecord record;
  record.method = MethodLabel(request.method);
  record.route =
      request.route.empty() ? kUnmatchedRoute : std::string_view(request.route);
  record.status = response.status;
  record.duration = std::chrono::steady_clock::now() - start;
  record.correlation_id = request.correlation_id;
  record.internal_error = internal_error;
  observer_->OnRequest(record);
}

}  // namespace stockpile::api
