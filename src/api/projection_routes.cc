#include "api/projection_routes.h"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include "api/status_http.h"
#include "core/time_format.h"

namespace stockpile::api {

boost::json::object ProjectionStatusToJson(const runtime::ProjectionStatus& s) {
  boost::json::object rebuild{
      {"running", s.rebuild.running},
      {"done", s.rebuild.done},
      {"total", s.rebuild.total},
      {"percent", s.rebuild.total > 0
                      ? 100.0 * static_cast<double>(s.rebuild.done) /
                            static_cast<double>(s.rebuild.total)
                      : (s.rebuild.running ? 0.0 : 100.0)},
      {"positionsPerSecond", s.rebuild.positions_per_second},
      {"etaMs", s.rebuild.eta_ms}};
  boost::json::object o{
      {"name", s.name},
      {"state", runtime::ProjectionStateName(s.state)},
      {"position", s.position},
      {"head", s.head},
      {"lag", s.lag_events},
      {"generation", s.generation},
      {"lastRebuildAt",
       s.last_rebuild_at_ms > 0
           ? boost::json::value(core::FormatRfc3339Millis(s.last_rebuild_at_ms))
           : boost::json::value(nullptr)},
      {"lastRebuildDurationMs", s.last_rebuild_duration_ms},
      {"rebuild", std::move(rebuild)}};
  if (!s.last_error.empty()) o["lastError"] = s.last_error;
  return o;
}

void AddProjectionRoutes(Router& router, runtime::ReadModelRegistry& registry) {
  runtime::ReadModelRegistry* r = &registry;
  router.Add(
      "GET", "/api/v1/projections", Permission::kRead, [r](const Request&) {
        boost::json::array items;
        for (const runtime::ProjectionStatus& s : r->List()) {
          items.push_back(ProjectionStatusToJson(s));
        }
        return Response::Json(200, boost::json::serialize(boost::json::object{
                                       {"items", std::move(items)}}));
      });
  router.Add("GET", "/api/v1/projections/{name}", Permission::kRead,
             [r](const Request& req) {
               auto s = r->Get(req.PathParam("name"));
               if (!s.ok()) return ErrorResponse(s.status(), req);
               return Response::Json(
                   200, boost::json::serialize(ProjectionStatusToJson(*s)));
             });
  router.Add("POST", "/api/v1/projections/{name}/rebuild",
             Permission::kOperations, [r](const Request& req) {
               auto s = r->StartRebuild(req.PathParam("name"));
               if (!s.ok()) return ErrorResponse(s.status(), req);
               return Response::Json(
                   202, boost::json::serialize(ProjectionStatusToJson(*s)));
             });
}

}  // namespace stockpile::api
