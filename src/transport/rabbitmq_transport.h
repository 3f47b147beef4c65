// RabbitMqTransport: the Transport of the distributed mode, over RabbitMQ
// (rabbitmq-c). Topology, as declared by DeclareTopology (see amqp_names.h):
// durable topic exchange "<prefix>.events" that every event is published to
// with its eventType as routing key; per logical queue Q a durable queue
// "<prefix>.Q" bound with Q's patterns, dead-lettering through the direct
// exchange "<prefix>.dlx" into "<prefix>.Q.dlq".
//
//   ASSIGN_OR_RETURN(std::unique_ptr<Transport> t,
//                    MakeRabbitMqTransport({.url = "amqp://u:p@host:5672/"}));
//
// Messages are persistent, published mandatory (unroutable ones are
// counted as `returned`), and confirmed: Publish returns once the broker
// acked every event. A message carries one event or a run of consecutive
// events of one eventType and tenant (rabbitmq_publisher.h). Body = the
// envelope JSON, content-type application/json, headers eventType,
// tenantId, correlationId; or, for a run, one envelope per line,
// content-type application/x-ndjson, headers eventType, tenantId,
// eventCount. message-id = the (first) eventId, type = eventType.
// Consumers use manual acks and a prefetch; each event of a message is a
// Delivery of its own, settled on its own (rabbitmq_subscription.h).
//
// Connections: the publisher and each subscription have their own
// connection and I/O thread (rabbitmq-c connections are not thread-safe).
// Each sends heartbeats; when one is lost it reconnects with exponential
// backoff and full jitter, redeclares the topology, resubscribes, and the
// publisher resends everything unconfirmed. Stats() reports the
// publisher's connection state and the counters of all connections.
//
// Ownership: subscriptions must be destroyed before the transport.
// Thread-safety: safe for concurrent use.
#ifndef STOCKPILE_TRANSPORT_RABBITMQ_TRANSPORT_H_
#define STOCKPILE_TRANSPORT_RABBITMQ_TRANSPORT_H_

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "core/result.h"
#include "obs/logger.h"
#include "transport/amqp_connection.h"
#include "transport/reconnect_backoff.h"
#include "transport/transport.h"

namespace stockpile::transport {

struct RabbitMqOptions {
  std::string url;                   // amqp://user:pass@host:5672/vhost
  std::string prefix = "stockpile";  // of every exchange and queue name
  AmqpSettings amqp;                 // heartbeat, connect and RPC timeouts
  BackoffOptions reconnect;          // between reconnection attempts
  size_t max_in_flight = 1000;       // messages published, not confirmed
  // Consecutive events of one eventType and tenant in a Publish share a
  // message, up to this many (1: one event per message, for consumers
  // that are not Stockpile and expect one envelope per body) and about
  // max_message_bytes.
  size_t max_events_per_message = 128;
  size_t max_message_bytes = 256 * 1024;
  // How long Publish waits for confirms (across reconnects) before it gives
  // up with DeadlineExceeded.
  std::chrono::milliseconds publish_timeout{60000};
  // Connection losses and recoveries (warn / info), returned events (warn)
  // and undecodable messages (error).
  obs::Logger logger = obs::Logger::Discard();
};

// InvalidArgument for a bad URL or prefix. Does not wait for the broker:
// the connection is made in the background (Stats().state), and
// DeclareTopology fails with Unavailable while the broker is unreachable.
// Applies the query of options.url ("?events_per_message=N" sets
// max_events_per_message) and strips it from the URL. InvalidArgument for
// an unknown parameter or a bad value.
core::Status ApplyAmqpUrlQuery(RabbitMqOptions& options);

// The URL may end in a query (ApplyAmqpUrlQuery).
core::Result<std::unique_ptr<Transport>> MakeRabbitMqTransport(
    RabbitMqOptions options);

}  // namespace stockpile::transport

#endif  // STOCKPILE_TRANSPORT_RABBITMQ_TRANSPORT_H_
