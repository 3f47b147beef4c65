#include "bus/subscription.h"

#include <utility>

#include "bus/bus_core.h"
#include "bus/subscriber.h"

namespace stockpile::bus {

Subscription::Subscription(std::weak_ptr<internal::BusCore> bus,
                           std::shared_ptr<internal::Subscriber> subscriber)
    : bus_(std::move(bus)), subscriber_(std::move(subscriber)) {}

Subscription::~Subscription() { Unsubscribe(); }

Subscription& Subscription::operator=(Subscription&& other) noexcept {
  if (this != &other) {
    Unsubscribe();
    bus_ = std::move(other.bus_);
    subscriber_ = std::move(other.subscriber_);
    unsubscribed_ = std::exchange(other.unsubscribed_, false);
  }
  return *this;
}

void Subscription::Unsubscribe() {
  if (subscriber_ == nullptr || unsubscribed_) return;
  unsubscribed_ = true;
  if (std::shared_ptr<internal::BusCore> bus = bus_.lock()) {
    bus->Unsubscribe(subscriber_);
  }
  // Otherwise the bus is gone and closed every subscription when it went.
}

const std::string& Subscription::name() const {
  static const std::string kEmpty;  // a constant, not state
  return subscriber_ != nullptr ? subscriber_->name() : kEmpty;
}

SubscriptionStats Subscription::Stats() const {
  return subscriber_ != nullptr ? subscriber_->Stats() : SubscriptionStats{};
}

}  // namespace stockpile::bus
