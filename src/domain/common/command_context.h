// CommandContext: who asked for a command and on whose behalf, and
// DomainDeps: what every service's command handlers are built from.
//
//   CommandContext ctx{.tenant = "acme", .user_id = "u-1"};
//   core::Event e = NewEvent(deps, ctx, "order.created", "order", id, payload);
//
// Events built with NewEvent carry the tenant, metadata.source (the
// service), userId, and either continue `correlation_id` or, when `cause`
// is set, are caused by that event (causationId = its eventId). Their
// eventId is a UUIDv7, or derived from `event_id_seed` when that is set.
// Then `deps.enricher`, when set, adds its metadata (event_enricher.h; in
// the app: metadata.businessContext from the tenant's calendar).
//
// Ownership: DomainDeps borrows everything; all of it must outlive the
// services built from it. `cause` must outlive the command call.
// Thread-safety: plain values; the borrowed objects are thread-safe.
#ifndef STOCKPILE_DOMAIN_COMMON_COMMAND_CONTEXT_H_
#define STOCKPILE_DOMAIN_COMMON_COMMAND_CONTEXT_H_

#include <boost/json/object.hpp>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/event.h"
#include "core/uuid.h"
#include "domain/common/aggregate_repository.h"
#include "domain/common/event_enricher.h"
#include "store/event_store.h"

namespace stockpile::domain::common {

struct DomainDeps {
  store::EventStore* store = nullptr;
  core::UuidV7Generator* ids = nullptr;
  const core::Clock* clock = nullptr;
  RepositoryOptions repository;
  const EventEnricher* enricher = nullptr;  // optional
};

struct CommandContext {
  std::string tenant;
  std::string user_id;         // "" when a service acts on an event
  std::string correlation_id;  // e.g. the HTTP request's; "" = start one
  const core::Event* cause = nullptr;  // the event being reacted to
  // When set, the events a command emits get ids derived from it (and
  // their type and aggregate) instead of fresh UUIDv7s, so running the
  // same command again after a crash appends the same eventIds, which the
  // store answers as an idempotent re-append. Consumers acting on an event
  // set it to that event's id.
  std::string event_id_seed;
};

// A new event of `type` about (aggregate_type, aggregate_id), from `source`.
core::Event NewEvent(const DomainDeps& deps, const CommandContext& ctx,
                     std::string_view source, std::string type,
                     std::string aggregate_type, std::string aggregate_id,
                     boost::json::object payload);

}  // namespace stockpile::domain::common

#endif  // STOCKPILE_DOMAIN_COMMON_COMMAND_CONTEXT_H_
