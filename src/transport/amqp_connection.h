// AmqpConnection: one RabbitMQ connection with one channel, wrapping
// rabbitmq-c (whose headers only amqp_connection.cc includes). It speaks the
// few AMQP operations the RabbitMqTransport needs and turns every failure
// into a Status; after any error other than a timeout the connection is
// unusable and must be dropped.
//
//   ASSIGN_OR_RETURN(auto conn, AmqpConnection::Open(endpoint, settings));
//   RETURN_IF_ERROR(conn->EnableConfirms());
//   RETURN_IF_ERROR(conn->Publish(names.events_exchange(), event, body));
//   ASSIGN_OR_RETURN(AmqpIncoming in, conn->Next(milliseconds(50)));
//
// Thread-safety: none (rabbitmq-c connections are not thread-safe). One
// thread uses a connection at a time; the transport gives each connection
// its own I/O thread.
#ifndef STOCKPILE_TRANSPORT_AMQP_CONNECTION_H_
#define STOCKPILE_TRANSPORT_AMQP_CONNECTION_H_

#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "core/event.h"
#include "core/result.h"
#include "transport/amqp_names.h"
#include "transport/transport.h"

namespace stockpile::transport {

// Where and how to connect; see ParseAmqpUrl.
struct AmqpEndpoint {
  std::string host;
  int port = 5672;
  std::string user = "guest";
  std::string password = "guest";
  std::string vhost = "/";
};

// Parses amqp://user:pass@host:port/vhost (percent-escapes allowed). An
// empty vhost ("amqp://host/") means "/". InvalidArgument when malformed;
// amqps:// is not supported.
core::Result<AmqpEndpoint> ParseAmqpUrl(std::string_view url);

struct AmqpSettings {
  int heartbeat_seconds = 10;                       // 0 disables heartbeats
  std::chrono::milliseconds connect_timeout{5000};  // TCP connect + login
  std::chrono::milliseconds rpc_timeout{10000};     // each synchronous call
};

// A message's body is one envelope (content-type application/json), or
// several envelopes of one eventType and tenant, one per line
// (content-type kEventLinesContentType, header eventCount). Encoded
// envelopes never contain a raw newline, so a line is one event.
inline constexpr std::string_view kEventLinesContentType =
    "application/x-ndjson";

// What Next() read from the broker.
struct AmqpIncoming {
  enum class Kind {
    kNothing,   // the timeout passed
    kAck,       // publisher confirm: tag (and all before it if multiple)
    kNack,      // the broker refused to take responsibility for tag(s)
    kReturned,  // a mandatory message matched no queue
    kDelivery,  // a consumed message
  };
  Kind kind = Kind::kNothing;
  uint64_t tag = 0;
  bool multiple = false;
  bool redelivered = false;  // by the broker, or republished (see Republish)
  bool event_lines = false;  // body is kEventLinesContentType
  std::string body;          // kDelivery, kReturned
  std::string routing_key;   // kReturned, kDelivery
  std::string reply_text;    // kReturned: why, e.g. "NO_ROUTE"
};

class AmqpConnection {
 public:
  // Connects, logs in and opens channel 1. `name` is shown by the broker
  // (client property connection_name). Unavailable when the broker cannot
  // be reached or refuses the login.
  static core::Result<std::unique_ptr<AmqpConnection>> Open(
      const AmqpEndpoint& endpoint, const AmqpSettings& settings,
      const std::string& name);

  ~AmqpConnection();  // closes politely when still open
  AmqpConnection(const AmqpConnection&) = delete;
  AmqpConnection& operator=(const AmqpConnection&) = delete;

  // Declares the exchanges, and for each queue: the queue (dead-lettering
  // to the DLX), its dead-letter queue and its bindings. Idempotent.
  core::Status Declare(const AmqpNames& names, const Topology& topology);

  // Puts the channel in publisher-confirm mode; delivery tags start at 1.
  core::Status EnableConfirms();

  // Sends `events` (one eventType and tenant; at least one) as one
  // persistent, mandatory message routed by their eventType. `body` is
  // their envelopes: one, or one per line.
  core::Status Publish(const AmqpNames& names,
                       std::span<const core::EventPtr> events,
                       const std::string& body);

  // Sends `body` (`count` envelopes, as Publish) persistent and mandatory
  // straight to the broker queue `queue`, marked as a redelivery.
  core::Status Republish(const std::string& queue, const std::string& body,
                         size_t count);

  // Starts consuming `queue` (a broker queue name) with manual acks and at
  // most `prefetch` unacked deliveries.
  core::Status Consume(const std::string& queue, uint32_t prefetch);

  core::Status Ack(uint64_t tag);
  // Requeue, or (requeue = false) dead-letter through the queue's DLX.
  core::Status Reject(uint64_t tag, bool requeue);

  // Waits up to `timeout` (0: only what is already buffered) for the next
  // confirm, return or delivery, serving heartbeats meanwhile.
  core::Result<AmqpIncoming> Next(std::chrono::milliseconds timeout);

 private:
  struct Impl;
  explicit AmqpConnection(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace stockpile::transport

#endif  // STOCKPILE_TRANSPORT_AMQP_CONNECTION_H_
