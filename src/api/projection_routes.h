// The projection routes (DESIGN.md §7 "operations"): the read models this
// process keeps and their rebuild.
//
//   GET  /api/v1/projections                 read        {items: [status]}
//   GET  /api/v1/projections/{name}          read        status
//   POST /api/v1/projections/{name}/rebuild  operations  202 status
//
// A status: {name, state (running|rebuilding), position, head, lag,
// generation, lastRebuildAt, lastRebuildDurationMs, lastError?, rebuild:
// {running, done, total, percent, positionsPerSecond, etaMs}}. A rebuild
// runs in the background; poll GET /projections/{name} for its progress.
// Read models serve every tenant, so these are operational figures without
// tenant data.
#ifndef STOCKPILE_API_PROJECTION_ROUTES_H_
#define STOCKPILE_API_PROJECTION_ROUTES_H_

#include <boost/json/object.hpp>

#include "api/router.h"
#include "runtime/projection_status.h"
#include "runtime/read_model_registry.h"

namespace stockpile::api {

// `registry` must outlive the router.
void AddProjectionRoutes(Router& router, runtime::ReadModelRegistry& registry);

boost::json::object ProjectionStatusToJson(const runtime::ProjectionStatus& s);

}  // namespace stockpile::api

#endif  // STOCKPILE_API_PROJECTION_ROUTES_H_
