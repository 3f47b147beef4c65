#include "domain/common/command_context.h"

#include <utility>

namespace stockpile::domain::common {

core::Event NewEvent(const DomainDeps& deps, const CommandContext& ctx,
                     std::string_view source, std::string type,
                     std::string aggregate_type, std::string aggregate_id,
                     boost::json::object payload) {
  core::EventBuilder b(std::move(type));
  b.Aggregate(std::move(aggregate_type), std::move(aggregate_id))
      .Tenant(ctx.tenant)
      .Payload(std::move(payload))
      .Source(source);
  if (!ctx.user_id.empty()) b.User(ctx.user_id);
  if (ctx.cause != nullptr) {
    b.CausedBy(*ctx.cause);
  } else {
    b.Correlation(ctx.correlation_id);
  }
  core::Event e = b.BuildValue(*deps.ids, *deps.clock);
  if (!ctx.event_id_seed.empty()) {
    e.event_id = core::Uuid::FromName("stockpile.effect",
                                      ctx.event_id_seed + "\n" + e.event_type +
                                          "\n" + e.aggregate_id)
                     .ToString();
    // Without a cause the event started its own correlation under the
    // fresh id; keep that correlation on the derived id.
    if (ctx.cause == nullptr && ctx.correlation_id.empty()) {
      e.metadata[core::kMetaCorrelationId] = e.event_id;
    }
  }
  if (deps.enricher != nullptr) deps.enricher->Enrich(e);
  return e;
}

}  // namespace stockpile::domain::common
