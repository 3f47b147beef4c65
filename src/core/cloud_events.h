// The CloudEvents 1.0 structured-JSON mapping of the envelope, both ways,
// used at the edges (integration ingest, webhooks).
//
//   CloudEvents attribute   envelope
//   id                      eventId
//   type                    eventType
//   source                  metadata.source ("stockpile" when absent)
//   subject                 aggregateId
//   time                    timestamp
//   data                    payload (datacontenttype application/json)
//   tenantid, aggregatetype, eventversion, correlationid, causationid,
//   userid, streamversion, position          extension attributes
//   stockpilemeta           the remaining metadata as a JSON string
//
// EncodeCloudEvent followed by DecodeCloudEvent gives back an equal Event.
#ifndef STOCKPILE_CORE_CLOUD_EVENTS_H_
#define STOCKPILE_CORE_CLOUD_EVENTS_H_

#include <boost/json/fwd.hpp>
#include <string>
#include <string_view>

#include "core/event.h"
#include "core/event_codec.h"
#include "core/result.h"

namespace stockpile::core {

boost::json::object EventToCloudEvent(const Event& event);
std::string EncodeCloudEvent(const Event& event);

struct CloudEventOptions {
  CodecLimits limits;
  // Used when the CloudEvent carries no `tenantid` extension. When both are
  // empty, decoding fails.
  std::string default_tenant;
};

// Maps a CloudEvent (already parsed) to an Event. A foreign `id` that is not
// a UUID is turned into a stable name-based UUID (Uuid::FromName of source
// and id), so re-ingesting the same CloudEvent stays idempotent; the original
// id is kept in metadata.externalId.
Result<Event> CloudEventToEvent(const boost::json::object& cloud_event,
                                const CloudEventOptions& options = {});
Result<EventPtr> DecodeCloudEvent(std::string_view text,
                                  const CloudEventOptions& options = {});

// True when `object` looks like a CloudEvent (has "specversion").
bool IsCloudEvent(const boost::json::object& object);

}  // namespace stockpile::core

#endif  // STOCKPILE_CORE_CLOUD_EVENTS_H_
