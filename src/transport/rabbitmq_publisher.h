// RabbitMqPublisher: publishes batches to RabbitMQ with publisher confirms,
// on its own connection driven by one I/O thread.
//
//   caller: Publish(batch) -> queue -> I/O thread: basic.publish (at most
//   max_in_flight unconfirmed) -> broker ack/nack -> caller wakes
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

class RabbitMqPublisher {
 public:
  // Starts the I/O thread, which connects in the background.
  RabbitMqPublisher(RabbitMqShared& shared, size_t max_in_flight,
                    std::chrono::milliseconds publish_timeout);
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

  struct Batch {
    // Immutable after construction.
    std::vector<core::EventPtr> events;
    std::vector<std::string> bodies;
    // Guarded by mu_.
    std::vector<uint8_t> settled;  // Settled, per event
    size_t remaining = 0;          // events still kPending
    size_t next_to_send = 0;
    bool abandoned = false;  // its caller gave up waiting
  };
  struct Message {
    std::shared_ptr<Batch> batch;
    size_t index = 0;
  };

  void Run();
  bool Connect();
  void Drop(const core::Status& why);
  core::Status SendSome();
  bool HasWork();
  void Settle(uint64_t tag, bool multiple, bool confirmed);
  void SetState(ConnectionState state);

  // Immutable after construction.
  RabbitMqShared& shared_;
  const size_t max_in_flight_;
  const std::chrono::milliseconds publish_timeout_;

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
