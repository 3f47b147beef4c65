// RabbitMqSubscription: one consumer of one RabbitMQ queue, on its own
// connection driven by one I/O thread.
//
//   broker -> I/O thread (basic.deliver, decode) -> ready queue -> Poll
//   Ack/Nack -> settlement queue -> I/O thread (basic.ack / basic.reject)
//
// The broker holds at most `prefetch` unsettled deliveries for it. When the
// connection is lost the I/O thread reconnects with backoff, redeclares and
// resubscribes; the broker redelivers everything that was not acked, so
// deliveries handed out on the lost connection can no longer be settled
// (FailedPrecondition) and undelivered ones are dropped locally. A body
// that is not a valid envelope is dead-lettered and counted, never handed
// out. Destruction sends the settlements already made, then closes the
// connection (the broker requeues the rest).
//
// Ownership: `shared` must outlive the subscription.
// Thread-safety: Poll, Ack and Nack are safe for concurrent use.
#ifndef STOCKPILE_TRANSPORT_RABBITMQ_SUBSCRIPTION_H_
#define STOCKPILE_TRANSPORT_RABBITMQ_SUBSCRIPTION_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/event_codec.h"
#include "transport/amqp_connection.h"
#include "transport/rabbitmq_shared.h"
#include "transport/transport.h"

namespace stockpile::transport {

class RabbitMqSubscription final : public Subscription {
 public:
  // `queue` is the broker's queue name. Starts the I/O thread.
  RabbitMqSubscription(RabbitMqShared& shared, std::string queue,
                       uint32_t prefetch);
  ~RabbitMqSubscription() override;
  RabbitMqSubscription(const RabbitMqSubscription&) = delete;
  RabbitMqSubscription& operator=(const RabbitMqSubscription&) = delete;

  core::Result<std::vector<Delivery>> Poll(
      size_t max_events, std::chrono::milliseconds timeout) override;
  core::Status Ack(uint64_t tag) override;
  core::Status Nack(uint64_t tag, NackAction action) override;

 private:
  enum class Action { kAck, kRequeue, kDeadLetter };
  struct Settlement {
    uint64_t delivery_tag;  // the broker's, on the current connection
    Action action;
  };

  void Run();
  bool Connect(std::unique_ptr<AmqpConnection>& conn);
  void Forget();  // after the connection was lost
  core::Status SendSettlements(AmqpConnection& conn);
  core::Status Receive(AmqpConnection& conn);
  core::Status Settle(uint64_t tag, Action action);

  // Immutable after construction.
  RabbitMqShared& shared_;
  const std::string queue_;
  const uint32_t prefetch_;

  std::mutex mu_;
  std::condition_variable cv_;  // deliveries ready, stop
  // Guarded by mu_.
  std::deque<Delivery> ready_;
  std::set<uint64_t> outstanding_;  // handed out, not yet settled
  std::vector<Settlement> settlements_;
  uint64_t generation_ = 1;  // bumps on every new connection
  bool stopping_ = false;

  core::EventDecoder decoder_;  // used by the I/O thread only

  std::thread thread_;  // last: starts after everything above exists
};

}  // namespace stockpile::transport

#endif  // STOCKPILE_TRANSPORT_RABBITMQ_SUBSCRIPTION_H_
