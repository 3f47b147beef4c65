// Transport: how events cross process boundaries (DESIGN.md §1, §6).
//
//   EventStore -> outbox relay -> Transport::Publish -> broker queue
//     -> Transport::Consume -> consumer runtime -> handler, then Ack
//
//   ASSIGN_OR_RETURN(auto transport, MakeRabbitMqTransport(options));
//   RETURN_IF_ERROR(transport->DeclareTopology(
//       {.queues = {{"inventory", {"order.*", "sales.#"}}}}));
//   PublishResult r = transport->Publish(batch);   // blocks until confirmed
//   ASSIGN_OR_RETURN(auto sub, transport->Consume("inventory", {}));
//   ASSIGN_OR_RETURN(std::vector<Delivery> ds, sub->Poll(64, 100ms));
//   for (const Delivery& d : ds) {
//     ... handle d.event, commit effect + inbox ...
//     RETURN_IF_ERROR(sub->Ack(d.tag));
//   }
//
// Semantics every implementation gives (transport_conformance.h tests them):
// - An event is routed by its eventType to every queue with a binding
//   pattern that matches it (AMQP topic rules, core/topic_pattern.h).
//   An event no queue matches is "returned": counted, not an error.
// - Publish returns only when every event of the batch is confirmed durable
//   by the broker, or with an error that lists the ones that were not.
// - Delivery is at-least-once: a delivery not acked before its subscription
//   closes (or its connection is lost) is delivered again, with
//   `redelivered` set. Nack either requeues the event on its queue or moves
//   it to the queue's dead-letter queue, DeadLetterQueue(queue); a
//   dead-letter queue has none, so there kDeadLetter discards the event.
// - Events published by one producer to one queue are delivered in publish
//   order (redeliveries excepted).
//
// Queue names are logical ("inventory"); backends map them to their own
// (RabbitMQ: "stockpile.inventory"). A name is one or more words of
// [a-z0-9_-] separated by '.'; a last word "dlq" is reserved for
// dead-letter queues.
//
// Ownership: the caller owns the Transport and every Subscription; each
// Subscription must be destroyed before its Transport.
// Thread-safety: Transport and Subscription are safe for concurrent use.
#ifndef STOCKPILE_TRANSPORT_TRANSPORT_H_
#define STOCKPILE_TRANSPORT_TRANSPORT_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/event.h"
#include "core/result.h"
#include "core/status.h"

namespace stockpile::transport {

// One queue of the topology and the eventType patterns routed to it.
struct QueueSpec {
  std::string name;                   // logical name, e.g. "inventory"
  std::vector<std::string> bindings;  // topic patterns, e.g. "order.*"
};

struct Topology {
  std::vector<QueueSpec> queues;
};

// The outcome of Publish. When `status` is ok every event was confirmed;
// otherwise `unconfirmed` lists (ascending) the indices into the batch that
// were not, and every other event was confirmed.
struct PublishResult {
  core::Status status;
  std::vector<size_t> unconfirmed;

  bool ok() const { return status.ok(); }
};

struct Delivery {
  core::EventPtr event;
  uint64_t tag = 0;          // pass to Ack / Nack of the same Subscription
  bool redelivered = false;  // delivered before and not acked
};

enum class NackAction {
  kRequeue,     // back on its queue, delivered again
  kDeadLetter,  // moved to DeadLetterQueue(queue)
};

struct ConsumeOptions {
  // Most deliveries handed out and not yet acked/nacked; Poll returns
  // nothing more until some are settled. >= 1.
  uint32_t prefetch = 256;
};

enum class ConnectionState {
  kConnecting,    // first connection not yet up
  kConnected,     // working
  kReconnecting,  // lost; retrying with backoff
  kClosed,        // shut down
};

// "connecting", "connected", "reconnecting", "closed".
std::string_view ConnectionStateName(ConnectionState state);

struct TransportStats {
  ConnectionState state = ConnectionState::kConnecting;
  uint64_t reconnects = 0;   // connections re-established after a loss
  uint64_t unconfirmed = 0;  // accepted by Publish, not yet confirmed
  uint64_t returned = 0;     // published events that matched no queue
  uint64_t published = 0;    // events confirmed
};

// One consumer of one queue.
class Subscription {
 public:
  virtual ~Subscription() = default;

  // Waits up to `timeout` for deliveries and returns at most `max_events`
  // (possibly none). Unavailable when the transport is closed.
  virtual core::Result<std::vector<Delivery>> Poll(
      size_t max_events, std::chrono::milliseconds timeout) = 0;

  // Settles a delivery. FailedPrecondition for a tag that is unknown,
  // already settled, or from a connection that has since been lost (the
  // broker delivers that event again).
  virtual core::Status Ack(uint64_t tag) = 0;
  virtual core::Status Nack(uint64_t tag, NackAction action) = 0;
};

class Transport {
 public:
  virtual ~Transport() = default;

  // Creates (idempotently) every queue, its bindings and its dead-letter
  // queue. Bindings are added, never removed. InvalidArgument for a bad
  // queue name or pattern.
  virtual core::Status DeclareTopology(const Topology& topology) = 0;

  // Publishes `events`, routed by eventType, and waits for confirmation.
  // An empty batch is ok.
  virtual PublishResult Publish(std::span<const core::EventPtr> events) = 0;

  // Starts a consumer of a declared queue (or of a dead-letter queue).
  // NotFound for a queue that was never declared.
  virtual core::Result<std::unique_ptr<Subscription>> Consume(
      std::string_view queue, const ConsumeOptions& options) = 0;

  virtual TransportStats Stats() const = 0;
};

// The dead-letter queue of `queue`: "<queue>.dlq".
std::string DeadLetterQueue(std::string_view queue);

// True for a name DeadLetterQueue returns.
bool IsDeadLetterQueue(std::string_view queue);

// OK, or InvalidArgument saying what is wrong with `name`.
core::Status ValidateQueueName(std::string_view name);

}  // namespace stockpile::transport

#endif  // STOCKPILE_TRANSPORT_TRANSPORT_H_
