// Helpers shared by the bus tests: building small events and recording what
// handlers received.
#ifndef STOCKPILE_BUS_BUS_TEST_UTIL_H_
#define STOCKPILE_BUS_BUS_TEST_UTIL_H_

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "bus/event_ref.h"
#include "core/event.h"
#include "core/status.h"

namespace stockpile::bus::testing {

inline core::EventPtr MakeEvent(std::string type, std::string aggregate = "a-1",
                                int64_t seq = 0) {
  auto e = std::make_shared<core::Event>();
  e->event_type = std::move(type);
  e->aggregate_id = std::move(aggregate);
  e->payload["seq"] = seq;
  return e;
}

// Thread-safe list of "<label>:<eventType>" lines.
class Recorder {
 public:
  auto Handler(std::string label) {
    return [this, label](const EventRef& e) {
      std::lock_guard<std::mutex> lock(mu_);
      lines_.push_back(label + ":" + e->event_type);
      return core::Status::Ok();
    };
  }
  std::vector<std::string> lines() const {
    std::lock_guard<std::mutex> lock(mu_);
    return lines_;
  }

 private:
  mutable std::mutex mu_;
  std::vector<std::string> lines_;  // GUARDED_BY(mu_)
};

}  // namespace stockpile::bus::testing

#endif  // STOCKPILE_BUS_BUS_TEST_UTIL_H_
