// InboundEvent: an event another system sends to Stockpile's integration
// ingest (POST /api/v1/integrations/events), read from either of the two
// formats DESIGN.md §2 names and reduced to what Stockpile acts on.
//
//   Standard envelope (Composerp):  {"eventId", "eventType", "payload",
//                                    "timestamp"?, "tenantId"?, "version"?,
//                                    "aggregateType"?, "aggregateId"?,
//                                    "metadata"?: {"source", "correlationId"}}
//   CloudEvents 1.0 structured:     {"specversion": "1.0", "id", "source",
//                                    "type", "time"?, "data", "tenantid"?}
//
//   ASSIGN_OR_RETURN(InboundEvent in, ParseInboundEvent(body, "acme", now));
//   // in.canonical_type == "sales.sale.completed" for "SALE_COMPLETED"
//
// The event type may be a canonical name or a seed alias
// (CanonicalEventType); only the types Stockpile accepts from outside
// (AcceptedIngestTypes) parse. The payload is normalised per type into the
// canonical field names (itemId -> productId, integral numbers -> integers,
// one-line seed sales -> lines[]), so the services that react to it see one
// shape whatever the sender's format.
//
// eventId: a UUID is kept; any other id becomes a stable name-based UUID of
// (source, id), the original kept as external_id, so re-sending the same
// event is recognised as the same event.
//
// Thread-safety: pure functions.
#ifndef STOCKPILE_DOMAIN_INTEGRATIONS_INBOUND_EVENT_H_
#define STOCKPILE_DOMAIN_INTEGRATIONS_INBOUND_EVENT_H_

#include <boost/json/object.hpp>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "core/result.h"

namespace stockpile::domain::integrations {

struct InboundEvent {
  std::string event_id;         // a UUID
  std::string external_id;      // the sender's id when it was not a UUID
  std::string original_type;    // as sent, e.g. "SALE_COMPLETED"
  std::string canonical_type;   // e.g. "sales.sale.completed"
  std::string format;           // "envelope" or "cloudevents"
  std::string source;           // the sending system; "" when not said
  std::string correlation_id;   // the sender's, "" when not said
  int64_t occurred_at_ms = 0;   // when it happened (received time if unsaid)
  boost::json::object payload;  // normalised, see the header comment
};

// The canonical types ingest accepts, in the order the docs list them.
std::span<const std::string_view> AcceptedIngestTypes();

// InvalidArgument naming the field that is wrong: a missing or mistyped
// field, an unknown or not-accepted event type, a tenantId other than
// `tenant`, a bad quantity. `now_ms` stands in for an absent timestamp.
core::Result<InboundEvent> ParseInboundEvent(const boost::json::object& body,
                                             std::string_view tenant,
                                             int64_t now_ms);

}  // namespace stockpile::domain::integrations

#endif  // STOCKPILE_DOMAIN_INTEGRATIONS_INBOUND_EVENT_H_
