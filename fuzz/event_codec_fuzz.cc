// libFuzzer target: the envelope JSON decoder (core/event_codec.h).
//
// Properties checked on every input, beyond "no crash, no sanitizer report":
//   - DecodeEvent and a reused EventDecoder agree on accept/reject;
//   - an accepted envelope re-encodes to text that decodes to an equal Event.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/check.h"
#include "core/event_codec.h"

using stockpile::core::DecodeEvent;
using stockpile::core::EncodeEvent;
using stockpile::core::EventDecoder;
using stockpile::core::EventPtr;
using stockpile::core::ParseJson;
using stockpile::core::Result;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  // One decoder for the whole run, as the store's read path keeps one.
  static EventDecoder* const decoder = new EventDecoder();

  Result<EventPtr> event = DecodeEvent(text);
  Result<EventPtr> reused = decoder->Decode(text);
  CHECK(event.ok() == reused.ok()) << "DecodeEvent and EventDecoder disagree";
  (void)ParseJson(text);
  if (!event.ok()) return 0;
  CHECK(**event == **reused) << "EventDecoder decoded a different event";

  const std::string encoded = EncodeEvent(**event);
  Result<EventPtr> again = DecodeEvent(encoded);
  CHECK(again.ok()) << "re-encoded event does not decode: "
                    << again.status().ToString() << "\n"
                    << encoded;
  CHECK(**again == **event) << "round trip changed the event:\n" << encoded;
  return 0;
}
