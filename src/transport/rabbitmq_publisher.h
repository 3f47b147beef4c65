// RabbitMqPublisher: publishes batches to RabbitMQ with publisher confirms,
// on its own connection driven by one I/O thread.
//
//   caller: Publish(batch) -> pack into messages -> queue -> I/O thread:
//   basic.publish (at most max_in_flight unconfirmed messages) -> broker
//   ack/nack -> caller wakes
//
// Packing: consecutive events of a batch with the same eventType and tenant
// travel in one message, one envelope per line (amqp_connection.h), up to
// max_events_per_message events and max_message_bytes. The broker's cost
// is per message, so this is what lifts throughput beyond one event per
// message. Routing is by the eventType, so each queue receives exactly the
// events it would have received one by one, in the same order.
//
// When the connection is lost the I/O thread reconnects with backoff,
// redeclares the topology and resends every message it had not seen
// confirmed, in the original order (so the broker may hold duplicates;
// consumers' inboxes absorb them).
//
// Ownership: `shared` must outlive the publisher.
// Thread-safety: Publish may be called from many threads at once; each
// call blocks until its own batch is settled or times out.
#ifndef STOCKPILE_TRANSPORT_RABBITMQ_PUBLISHER_H_
#define STOCKPILE_TRANSPORT_RABBITMQ_PUBLISHER_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "core/event.h"
#include "transport/amqp_connection.h"
#include "transport/rabbitmq_shared.h"
#include "transport/transport.h"

namespace stockpile::transport {

struct RabbitMqPublisherOptions {
  size_t max_in_flight = 1000;          // messages published, not yet confirmed
  size_t max_events_per_message = 128;  // 1: one event per message
  size_t max_message_bytes = 256 * 1024;  // a single larger event is sent alone
  std::chrono::milliseconds publish_timeout{60000};
};

class RabbitMqPublisher {
 public:
  // Starts the I/O thread, which connects in the background.
  RabbitMqPublisher(RabbitMqShared& shared,
                    const RabbitMqPublisherOptions& options);
  // Stops the I/O thread; pending Publish calls fail with Unavailable.
  ~RabbitMqPublisher();
  RabbitMqPublisher(const RabbitMqPublisher&) = delete;
  RabbitMqPublisher& operator=(const RabbitMqPublisher&) = delete;

  PublishResult Publish(std::span<const core::EventPtr> events);

  ConnectionState state() const;
  uint64_t unconfirmed() const;
  uint64_t published() const;

 private:
  enum Settled : uint8_t { kPending = 0, kConfirmed = 1, kRefused = 2 };

  // Events [first, first + count) of a batch, as one message.
  struct Part {
    size_t first = 0;
    size_t count = 0;
    std::string body;
  };
  struct Batch {
    // Immutable after construction.
    std::vector<core::EventPtr> events;
    std::vector<Part> parts;
    // Guarded by mu_.
    std::vector<uint8_t> settled;  // Settled, per event
    size_t remaining = 0;          // events still kPending
    size_t next_to_send = 0;       // index into parts
    bool abandoned = false;        // its caller gave up waiting
  };
  struct Message {
    std::shared_ptr<Batch> batch;
    size_t part = 0;
  };

  // The messages `events` travel in; InvalidArgument for a null event or a
  // bad eventType.
  core::Status Pack(Batch& batch) const;

  void Run();
  bool Connect();
  void Drop(const core::Status& why);
  core::Status SendSome();
  bool HasWork();
  void Settle(uint64_t tag, bool multiple, bool confirmed);
  void SetState(ConnectionState state);

  // Immutable after construction.
  RabbitMqShared& shared_;
  const RabbitMqPublisherOptions options_;

  mutable std::mutex mu_;
  std::condition_variable work_cv_;  // new batches, stop
  std::condition_variable done_cv_;  // a batch settled, stop
  // Guarded by mu_.
  std::deque<std::shared_ptr<Batch>> queue_;  // batches with unsent events
  bool stopping_ = false;
  ConnectionState state_ = ConnectionState::kConnecting;
  uint64_t unconfirmed_ = 0;
  uint64_t published_ = 0;
  std::string last_error_;

  // Owned by the I/O thread.
  std::unique_ptr<AmqpConnection> conn_;
  std::map<uint64_t, Message> in_flight_;  // by delivery tag
  std::deque<Message> resend_;             // sent on a lost connection
  uint64_t next_tag_ = 1;
  bool ever_connected_ = false;

  std::thread thread_;  // last: starts after everything above exists
};

}  // namespace stockpile::transport

#endif  // STOCKPILE_TRANSPORT_RABBITMQ_PUBLISHER_H_
