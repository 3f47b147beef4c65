#include "transport/rabbitmq_subscription.h"

#include <utility>

namespace stockpile::transport {
namespace {

using std::chrono::milliseconds;

// A Delivery's tag is (connection generation << 48) | broker delivery tag,
// so a tag from a lost connection is recognised as stale.
constexpr int kGenerationShift = 48;
constexpr uint64_t kDeliveryTagMask = (uint64_t{1} << kGenerationShift) - 1;

}  // namespace

RabbitMqSubscription::RabbitMqSubscription(RabbitMqShared& shared,
                                           std::string queue, uint32_t prefetch)
    : shared_(shared),
      queue_(std::move(queue)),
      prefetch_(prefetch),
      thread_([this] { Run(); }) {}

RabbitMqSubscription::~RabbitMqSubscription() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

core::Result<std::vector<Delivery>> RabbitMqSubscription::Poll(
    size_t max_events, milliseconds timeout) {
  std::unique_lock lock(mu_);
  cv_.wait_for(lock, timeout, [&] { return stopping_ || !ready_.empty(); });
  if (stopping_) return core::UnavailableError("subscription is closed");
  std::vector<Delivery> out;
  while (out.size() < max_events && !ready_.empty()) {
    outstanding_.insert(ready_.front().tag);
    out.push_back(std::move(ready_.front()));
    ready_.pop_front();
  }
  return out;
}

core::Status RabbitMqSubscription::Ack(uint64_t tag) {
  return Settle(tag, Action::kAck);
}

core::Status RabbitMqSubscription::Nack(uint64_t tag, NackAction action) {
  return Settle(tag, action == NackAction::kRequeue ? Action::kRequeue
                                                    : Action::kDeadLetter);
}

core::Status RabbitMqSubscription::Settle(uint64_t tag, Action action) {
  std::lock_guard lock(mu_);
  if (outstanding_.erase(tag) == 0) {
    return core::FailedPreconditionError(
        "delivery tag " + std::to_string(tag) +
        " is not outstanding (already settled, or its connection was lost "
        "and the broker delivers it again)");
  }
  settlements_.push_back({tag & kDeliveryTagMask, action});
  return core::Status::Ok();
}

void RabbitMqSubscription::Run() {
  ReconnectBackoff backoff(shared_.backoff());
  std::unique_ptr<AmqpConnection> conn;
  bool ever_connected = false;
  while (true) {
    {
      std::lock_guard lock(mu_);
      if (stopping_) break;
    }
    if (conn == nullptr) {
      if (!Connect(conn)) {
        std::unique_lock lock(mu_);
        cv_.wait_for(lock, backoff.Next(), [&] { return stopping_; });
        continue;
      }
      backoff.Reset();
      if (ever_connected) {
        shared_.reconnects.fetch_add(1);
        shared_.log().Info("consumer reconnected", {{"queue", queue_}});
      }
      ever_connected = true;
    }
    core::Status s = SendSettlements(*conn);
    if (s.ok()) s = Receive(*conn);
    if (!s.ok()) {
      conn.reset();
      Forget();
      shared_.log().Warn("consumer connection lost",
                         {{"queue", queue_}, {"error", s}});
    }
  }
  // Acks already made must reach the broker before the connection closes.
  if (conn != nullptr) SendSettlements(*conn).IgnoreError();
}

bool RabbitMqSubscription::Connect(std::unique_ptr<AmqpConnection>& conn) {
  auto c = shared_.Connect("consumer " + queue_);
  core::Status s = c.ok() ? (*c)->Consume(queue_, prefetch_) : c.status();
  if (!s.ok()) return false;
  conn = std::move(c).value();
  return true;
}

void RabbitMqSubscription::Forget() {
  std::lock_guard lock(mu_);
  ++generation_;
  ready_.clear();
  outstanding_.clear();
  settlements_.clear();
}

core::Status RabbitMqSubscription::SendSettlements(AmqpConnection& conn) {
  std::vector<Settlement> todo;
  {
    std::lock_guard lock(mu_);
    todo.swap(settlements_);
  }
  for (const Settlement& s : todo) {
    core::Status sent =
        s.action == Action::kAck
            ? conn.Ack(s.delivery_tag)
            : conn.Reject(s.delivery_tag, s.action == Action::kRequeue);
    if (!sent.ok()) return sent;
  }
  return core::Status::Ok();
}

core::Status RabbitMqSubscription::Receive(AmqpConnection& conn) {
  milliseconds wait(20);
  for (int frames = 0; frames < 1024; ++frames) {
    core::Result<AmqpIncoming> in = conn.Next(wait);
    if (!in.ok()) return in.status();
    if (in->kind == AmqpIncoming::Kind::kNothing) break;
    wait = milliseconds(0);
    if (in->kind != AmqpIncoming::Kind::kDelivery) continue;
    core::Result<core::EventPtr> event = decoder_.Decode(in->body);
    if (!event.ok()) {
      // A poison message: park it rather than loop on it forever.
      shared_.undecodable.fetch_add(1, std::memory_order_relaxed);
      shared_.log().Error("undecodable message dead-lettered",
                          {{"queue", queue_},
                           {"routingKey", in->routing_key},
                           {"error", event.status()}});
      core::Status s = conn.Reject(in->tag, /*requeue=*/false);
      if (!s.ok()) return s;
      continue;
    }
    {
      std::lock_guard lock(mu_);
      ready_.push_back({std::move(event).value(),
                        (generation_ << kGenerationShift) | in->tag,
                        in->redelivered});
    }
    cv_.notify_all();
  }
  return core::Status::Ok();
}

}  // namespace stockpile::transport
