#include "api/operations_routes.h"

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <string>

#include "api/query_params.h"
#include "api/status_http.h"
#include "core/time_format.h"

namespace stockpile::api {
namespace {

boost::json::object StatsToJson(const runtime::ConsumerStats& s) {
  boost::json::object o{{"name", s.name},
                        {"state", runtime::ConsumerStateName(s.state)},
                        {"position", s.position},
                        {"head", s.head},
                        {"lag", s.lag_events},
                        {"processed", s.processed},
                        {"duplicates", s.duplicates},
                        {"retried", s.retried},
                        {"parked", s.parked},
                        {"inFlight", s.in_flight}};
  o["lastError"] = s.last_error.empty() ? boost::json::value(nullptr)
                                        : boost::json::value(s.last_error);
  o["lastProgressAt"] = s.last_progress_at_ms == 0
                            ? boost::json::value(nullptr)
                            : boost::json::value(core::FormatRfc3339Millis(
                                  s.last_progress_at_ms));
  return o;
}

boost::json::object DeadLetterToJson(const runtime::DeadLetter& d) {
  return boost::json::object{
      {"id", d.id},
      {"subscription", d.subscription},
      {"eventId", d.event_id},
      {"eventType", d.event_type},
      {"aggregateId", d.aggregate_id},
      {"position", d.position},
      {"error", d.error},
      {"attempts", d.attempts},
      {"firstFailedAt", core::FormatRfc3339Millis(d.first_failed_at_ms)},
      {"lastFailedAt", core::FormatRfc3339Millis(d.last_failed_at_ms)},
      {"state", runtime::DeadLetterStateName(d.state)}};
}

runtime::Consumer* FindConsumer(const OperationsApi& api,
                                std::string_view name) {
  for (runtime::Consumer* c : api.consumers) {
    if (c->name() == name) return c;
  }
  return nullptr;
}

// The caller's dead letter `id`, or NotFound (also for another tenant's).
core::Result<runtime::DeadLetter> OwnDeadLetter(const OperationsApi& api,
                                                const Request& req) {
  const std::string_view id = req.PathParam("id");
  core::Result<runtime::DeadLetter> d = api.dead_letters->Get(id);
  if (!d.ok() || d->tenant_id != req.caller().tenant) {
    if (d.ok() || d.status().code() == core::StatusCode::kNotFound) {
      return core::NotFoundError("no dead letter '" + std::string(id) + "'");
    }
  }
  return d;
}

Response ListSubscriptions(const OperationsApi& api, const Request&) {
  boost::json::array items;
  for (runtime::Consumer* c : api.consumers) {
    boost::json::object o = StatsToJson(c->Stats());
    boost::json::array patterns;
    for (const std::string& p : c->type_patterns()) patterns.emplace_back(p);
    o["patterns"] = std::move(patterns);
    items.push_back(std::move(o));
  }
  return PageResponse(std::move(items), std::string());
}

Response ListDeadLetters(const OperationsApi& api, const Request& req) {
  std::optional<std::string_view> only = req.Query("subscription");
  if (only && FindConsumer(api, *only) == nullptr) {
    return ErrorResponse(
        core::NotFoundError("no subscription '" + std::string(*only) + "'"),
        req);
  }
  std::vector<runtime::DeadLetter> all;
  for (runtime::Consumer* c : api.consumers) {
    if (only && c->name() != *only) continue;
    auto listed = api.dead_letters->List(c->name());
    if (!listed.ok()) return ErrorResponse(listed.status(), req);
    for (runtime::DeadLetter& d : *listed) {
      if (d.tenant_id == req.caller().tenant) all.push_back(std::move(d));
    }
  }
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) {
    return a.first_failed_at_ms < b.first_failed_at_ms;
  });
  boost::json::array items;
  for (const runtime::DeadLetter& d : all) {
    items.push_back(DeadLetterToJson(d));
  }
  return PageResponse(std::move(items), std::string());
}

Response RedriveDeadLetter(const OperationsApi& api, const Request& req) {
  auto d = OwnDeadLetter(api, req);
  if (!d.ok()) return ErrorResponse(d.status(), req);
  runtime::Consumer* consumer = FindConsumer(api, d->subscription);
  core::Status s = consumer != nullptr
                       ? consumer->Redrive(d->id)
                       : api.dead_letters->RequestRedrive(d->id);
  if (!s.ok()) return ErrorResponse(s, req);
  boost::json::object out{{"id", d->id}, {"state", "redrive_requested"}};
  return Response::Json(200, boost::json::serialize(out));
}

Response DiscardDeadLetter(const OperationsApi& api, const Request& req) {
  auto d = OwnDeadLetter(api, req);
  if (!d.ok()) return ErrorResponse(d.status(), req);
  runtime::Consumer* consumer = FindConsumer(api, d->subscription);
  core::Status s = consumer != nullptr ? consumer->Discard(d->id)
                                       : api.dead_letters->Discard(d->id);
  if (!s.ok()) return ErrorResponse(s, req);
  return Response::NoContent();
}

}  // namespace

void AddOperationsRoutes(Router& router, const OperationsApi& api) {
  using P = Permission;
  auto bind = [api](Response (*f)(const OperationsApi&, const Request&)) {
    return [api, f](const Request& req) { return f(api, req); };
  };
  router.Add("GET", "/api/v1/subscriptions", P::kRead, bind(ListSubscriptions));
  router.Add("GET", "/api/v1/dlq", P::kRead, bind(ListDeadLetters));
  router.Add("POST", "/api/v1/dlq/{id}/redrive", P::kOperations,
             bind(RedriveDeadLetter));
  router.Add("POST", "/api/v1/dlq/{id}/discard", P::kOperations,
             bind(DiscardDeadLetter));
}

}  // namespace stockpile::api
