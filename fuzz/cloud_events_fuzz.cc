// libFuzzer target: the CloudEvents 1.0 mapping (core/cloud_events.h).
//
// Properties checked on every input, beyond "no crash, no sanitizer report":
//   - a CloudEvent that decodes maps back (EncodeCloudEvent) to one that
//     decodes to an equal Event, as the header promises;
//   - its envelope form (EncodeEvent) decodes too: whatever ingest accepts,
//     the store can write and read back.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/check.h"
#include "core/cloud_events.h"
#include "core/event_codec.h"

using stockpile::core::CloudEventOptions;
using stockpile::core::DecodeCloudEvent;
using stockpile::core::DecodeEvent;
using stockpile::core::EncodeCloudEvent;
using stockpile::core::EncodeEvent;
using stockpile::core::EventPtr;
using stockpile::core::Result;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  CloudEventOptions options;
  // Half the inputs may rely on the default tenant, half must name one.
  options.default_tenant = size % 2 == 0 ? "fuzz-tenant" : "";

  Result<EventPtr> event = DecodeCloudEvent(text, options);
  if (!event.ok()) return 0;

  const std::string cloud = EncodeCloudEvent(**event);
  Result<EventPtr> again = DecodeCloudEvent(cloud);
  CHECK(again.ok()) << "re-encoded CloudEvent does not decode: "
                    << again.status() << "\n"
                    << cloud;
  CHECK(**again == **event) << "CloudEvent round trip changed the event:\n"
                            << cloud;

  const std::string envelope = EncodeEvent(**event);
  Result<EventPtr> stored = DecodeEvent(envelope);
  CHECK(stored.ok()) << "an ingested CloudEvent has no valid envelope: "
                     << stored.status() << "\n"
                     << envelope;
  return 0;
}
