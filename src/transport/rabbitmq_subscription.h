// RabbitMqSubscription: one consumer of one RabbitMQ queue, on its own
// connection driven by one I/O thread.
//
//   broker -> I/O thread (basic.deliver, decode) -> ready queue -> Poll
//   Ack/Nack -> settlement queue -> I/O thread (basic.ack / basic.reject)
//
// A message may carry several events (rabbitmq_publisher.h); each is a
// Delivery of its own, settled on its own. The message is settled with the
// broker once all its events are: all acked -> basic.ack; all requeued or
// all dead-lettered -> basic.reject; mixed -> the events to requeue and
// those to dead-letter are republished (confirmed, marked redelivered)
// straight to the queue and to its dead-letter queue, then the message is
// acked. On a dead-letter queue, dead-lettering discards.
//
// `prefetch` bounds the events handed out and not yet settled; the broker
// holds at most `prefetch` unsettled messages for it (so up to prefetch x
// events-per-message decoded events wait here).
//
// When the connection is lost the I/O thread reconnects with backoff,
// redeclares and resubscribes; the broker redelivers every message not
// settled, whole (events already acked from a partly settled message
// included: at-least-once, inboxes absorb them), so deliveries handed out
// on the lost connection can no longer be settled (FailedPrecondition) and
// undelivered ones are dropped locally. A body that is not valid envelopes
// is dead-lettered whole and counted, never handed out. Destruction splits
// every partly settled message as above (its unsettled events requeued, so
// acked ones are not delivered again), sends the settlements made, then
// closes the connection (the broker requeues the rest).
//
// Ownership: `shared` must outlive the subscription.
// Thread-safety: Poll, Ack and Nack are safe for concurrent use.
#ifndef STOCKPILE_TRANSPORT_RABBITMQ_SUBSCRIPTION_H_
#define STOCKPILE_TRANSPORT_RABBITMQ_SUBSCRIPTION_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <utility>
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
  enum class Action : uint8_t { kPending, kAck, kRequeue, kDeadLetter };
  // A message of the current connection whose events are not all settled.
  struct Inbound {
    std::vector<Action> actions;  // per event
    size_t unsettled = 0;
    // Multi-event messages: the body and each event's [begin, end) in it,
    // to republish a part of them.
    std::string body;
    std::vector<std::pair<size_t, size_t>> lines;
  };
  struct Ready {
    Delivery delivery;
    uint64_t delivery_tag;  // the broker's, on the current connection
    uint32_t index;         // of the event in its message
  };
  struct HandedOut {
    uint64_t delivery_tag;
    uint32_t index;
  };
  // What the I/O thread does for one message.
  struct Settlement {
    uint64_t delivery_tag;
    Action action;  // kAck, kRequeue, kDeadLetter; kPending: split
    std::string requeue, dead_letter;  // split: event lines to republish
    size_t requeue_count = 0, dead_letter_count = 0;
  };
  // A split waiting for the confirms of its republished parts.
  struct Split {
    int confirms_left = 0;
    bool refused = false;
  };

  void Run();
  bool Connect(std::unique_ptr<AmqpConnection>& conn);
  void Forget();  // after the connection was lost
  core::Status SendSettlements(AmqpConnection& conn);
  core::Status Receive(AmqpConnection& conn);
  // The broker's answers to republished parts of split messages.
  core::Status OnConfirm(AmqpConnection& conn, const AmqpIncoming& in);
  core::Status Confirmed(AmqpConnection& conn, uint64_t tag, bool multiple,
                         bool ok);
  // Splits the partly settled messages and waits (bounded) for their parts
  // to be confirmed, before the connection closes.
  void SettleForClose(AmqpConnection& conn);
  core::Status Settle(uint64_t tag, Action action);
  // What to do with `m`, every event of which is settled (kPending counts
  // as requeued).
  Settlement Resolve(uint64_t delivery_tag, const Inbound& m) const;

  // Immutable after construction.
  RabbitMqShared& shared_;
  const std::string queue_;
  const std::string dead_letter_queue_;  // empty for a dead-letter queue
  const uint32_t prefetch_;

  std::mutex mu_;
  std::condition_variable cv_;  // deliveries ready or handed back, stop
  // Guarded by mu_.
  std::deque<Ready> ready_;
  std::unordered_map<uint64_t, HandedOut> handed_out_;  // by Delivery tag
  std::unordered_map<uint64_t, Inbound> inbound_;       // by delivery tag
  std::vector<Settlement> settlements_;
  uint64_t generation_ = 1;  // bumps on every new connection
  uint64_t next_tag_ = 0;    // of the next Delivery on this connection
  bool stopping_ = false;

  // Owned by the I/O thread, for the current connection.
  std::map<uint64_t, uint64_t> split_parts_;    // confirm tag -> delivery tag
  std::unordered_map<uint64_t, Split> splits_;  // by delivery tag
  uint64_t next_confirm_ = 1;
  core::EventDecoder decoder_;  // used by the I/O thread only

  std::thread thread_;  // last: starts after everything above exists
};

}  // namespace stockpile::transport

#endif  // STOCKPILE_TRANSPORT_RABBITMQ_SUBSCRIPTION_H_
