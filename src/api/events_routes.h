// The event log over HTTP (DESIGN.md §7 "events"), scoped to the caller's
// tenant:
//
//   GET /api/v1/events?after=&limit=&type=&stream=
//       {items: [envelope...], next: position | null}; ascending positions,
//       `after` exclusive, `type` an AMQP topic pattern, `next` the value to
//       pass as `after` (null once the page reached the head of the log).
//   GET /api/v1/streams/{name}?from=&limit=
//       {stream, version, items, next}: one stream from version `from`.
//   GET /api/v1/events/stream?type=   (Server-Sent Events)
//       New events as `id: <position>`, `event: <type>`, `data: <envelope>`;
//       a `Last-Event-ID` header (or `after`) resumes after that position
//       with no gap.
//
// All three need Permission::kRead.
#ifndef STOCKPILE_API_EVENTS_ROUTES_H_
#define STOCKPILE_API_EVENTS_ROUTES_H_

#include "api/router.h"
#include "store/event_store.h"

namespace stockpile::api {

inline constexpr size_t kDefaultEventPage = 100;
inline constexpr size_t kMaxEventPage = 1000;

// `store` must outlive the router and every SSE stream it opened.
void AddEventRoutes(Router& router, store::EventStore& store);

}  // namespace stockpile::api

#endif  // STOCKPILE_API_EVENTS_ROUTES_H_
