// Event: the envelope every business fact travels in (DESIGN.md §2).
//
// An Event is a plain value while it is being built; once handed out it is
// immutable and shared as EventPtr (std::shared_ptr<const Event>), so many
// subscribers can hold the same event without copying it.
//
//   EventPtr e = EventBuilder("inventory.stock.adjusted")
//                    .Aggregate("inventory_position", "product-001@main")
//                    .Tenant("acme")
//                    .Payload({{"productId", "product-001"}, {"delta", -2}})
//                    .CausedBy(*command_event)   // copies correlation id
//                    .Build(ids, clock);
//
// `stream_version` and `position` are assigned by the event store; they are 0
// for an event that has not been stored yet.
#ifndef STOCKPILE_CORE_EVENT_H_
#define STOCKPILE_CORE_EVENT_H_

#include <boost/json/object.hpp>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/uuid.h"

namespace stockpile::core {

struct Event {
  std::string event_id;        // UUID (v7 when created by Stockpile)
  std::string event_type;      // routing key, e.g. "order.created"
  std::string aggregate_type;  // e.g. "order"
  std::string aggregate_id;    // e.g. "ord-123"
  std::string tenant_id;
  int64_t timestamp_ms = 0;  // milliseconds since the Unix epoch, UTC
  int version = 1;           // payload schema version, >= 1
  int64_t stream_version =
      0;                 // 1-based version within its stream; 0 = unstored
  int64_t position = 0;  // 1-based global log position; 0 = unstored
  boost::json::object payload;
  boost::json::object
      metadata;  // source, userId, correlationId, causationId, ...

  // metadata.correlationId / causationId, or "" when absent.
  std::string_view correlation_id() const;
  std::string_view causation_id() const;
  // metadata.source, or "".
  std::string_view source() const;

  // payload[key] as a string view / integer, if present with that type.
  std::string_view PayloadString(std::string_view key) const;
  bool PayloadInt(std::string_view key, int64_t& out) const;

  friend bool operator==(const Event&, const Event&) = default;
};

using EventPtr = std::shared_ptr<const Event>;

// Metadata keys with a meaning to Stockpile.
inline constexpr std::string_view kMetaCorrelationId = "correlationId";
inline constexpr std::string_view kMetaCausationId = "causationId";
inline constexpr std::string_view kMetaSource = "source";
inline constexpr std::string_view kMetaUserId = "userId";

// Fills the envelope fields a producer should not have to think about:
// eventId (UUIDv7), timestamp, and correlation/causation ids. When neither
// CausedBy nor Correlation is given, the event starts its own correlation
// (correlationId = its eventId).
class EventBuilder {
 public:
  explicit EventBuilder(std::string event_type);

  EventBuilder& Aggregate(std::string type, std::string id);
  EventBuilder& Tenant(std::string tenant_id);
  EventBuilder& Version(int version);
  EventBuilder& Payload(boost::json::object payload);
  EventBuilder& Meta(std::string_view key, boost::json::value value);
  EventBuilder& Source(std::string_view source);
  EventBuilder& User(std::string_view user_id);
  // correlationId := cause's correlationId (or its eventId if it has none);
  // causationId := cause's eventId; tenant defaults to the cause's tenant.
  EventBuilder& CausedBy(const Event& cause);
  // Continues a correlation started outside the log (e.g. an HTTP request's
  // X-Correlation-Id). Ignored when empty.
  EventBuilder& Correlation(std::string_view correlation_id);
  // Overrides the generated id / timestamp (ingest of foreign events).
  EventBuilder& Id(std::string event_id);
  EventBuilder& Timestamp(int64_t unix_millis);

  // Completes the envelope. The builder is left empty.
  Event BuildValue(UuidV7Generator& ids, const Clock& clock);
  EventPtr Build(UuidV7Generator& ids, const Clock& clock);

 private:
  Event event_;
  bool has_timestamp_ = false;
};

}  // namespace stockpile::core

#endif  // STOCKPILE_CORE_EVENT_H_
