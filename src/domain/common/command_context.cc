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
  return b.BuildValue(*deps.ids, *deps.clock);
}

}  // namespace stockpile::domain::common
