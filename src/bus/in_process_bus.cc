#include "bus/in_process_bus.h"

#include "bus/bus_core.h"
#include "core/status_macros.h"

namespace stockpile::bus {

InProcessBus::InProcessBus() : core_(std::make_shared<internal::BusCore>()) {}

// Closing here, not in ~BusCore, because a Subscription handle may be
// holding the core alive at this moment.
InProcessBus::~InProcessBus() { core_->Close(); }

core::Result<Subscription> InProcessBus::Subscribe(std::string_view pattern,
                                                   Handler handler,
                                                   SubscribeOptions options) {
  return Subscribe(std::vector<std::string>{std::string(pattern)},
                   std::move(handler), std::move(options));
}

core::Result<Subscription> InProcessBus::Subscribe(
    std::vector<std::string> patterns, Handler handler,
    SubscribeOptions options) {
  ASSIGN_OR_RETURN(std::shared_ptr<internal::Subscriber> subscriber,
                   core_->Subscribe(std::move(patterns), std::move(handler),
                                    std::move(options)));
  return Subscription(core_, std::move(subscriber));
}

core::Status InProcessBus::Publish(const core::EventPtr& event) {
  return core_->Publish(*event, &event);
}

core::Status InProcessBus::Publish(const core::Event& event) {
  return core_->Publish(event, nullptr);
}

core::Status InProcessBus::Flush() { return core_->Flush(); }

std::vector<std::pair<std::string, SubscriptionStats>> InProcessBus::Stats()
    const {
  return core_->Stats();
}

}  // namespace stockpile::bus
