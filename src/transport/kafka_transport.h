// KafkaTransport: the Transport of the distributed mode over Kafka
// (librdkafka), `--transport kafka://host:9092[,host2]`.
//
//   ASSIGN_OR_RETURN(std::unique_ptr<Transport> t,
//                    MakeKafkaTransport({.url = "kafka://k1:9092,k2:9092"}));
//
// Topology (kafka_topics.h): an event goes to the topic of its context
// ("order.created" -> "order-events"), keyed by its aggregateId so that
// one aggregate's events stay in one partition, in order; value = the
// envelope JSON (core/event_codec.h); headers eventType, tenantId,
// correlationId. A queue Q is the consumer group "stockpile.Q" over the
// topics its patterns can match, filtering by pattern; its dead letters go
// to the topic "stockpile.Q.dlq". DeclareTopology makes sure the topics of
// Q's literal patterns and its dead-letter topic exist (creating them
// where the cluster auto-creates topics, as Kafka does by default) and
// remembers Q's patterns in this process.
//
// Publish uses an idempotent producer (enable.idempotence, acks=all) and
// returns once the cluster acknowledged every event, or after
// KafkaOptions::publish_timeout with DeadlineExceeded for the ones it did
// not (librdkafka retries across broker outages within that time).
// Consumers commit offsets only for settled events (kafka_subscription.h).
//
// Differences from a broker that routes (RabbitMQ), by design of Kafka:
// - Order is per partition: events of one aggregate are delivered in
//   publish order; events of different aggregates only when the topic has
//   a single partition.
// - `returned` counts events that match no queue declared through this
//   transport object (Kafka keeps them in their topic regardless; a group
//   declared later reads them from the start of the topic).
//
// Ownership: subscriptions must be destroyed before the transport.
// Thread-safety: safe for concurrent use.
#ifndef STOCKPILE_TRANSPORT_KAFKA_TRANSPORT_H_
#define STOCKPILE_TRANSPORT_KAFKA_TRANSPORT_H_

#include <memory>

#include "core/result.h"
#include "transport/kafka_options.h"
#include "transport/transport.h"

namespace stockpile::transport {

// InvalidArgument for a bad URL (naming what is wrong). Does not wait for
// the cluster: Stats().state says when it answered; DeclareTopology fails
// with Unavailable while no broker answers.
core::Result<std::unique_ptr<Transport>> MakeKafkaTransport(
    const KafkaOptions& options);

}  // namespace stockpile::transport

#endif  // STOCKPILE_TRANSPORT_KAFKA_TRANSPORT_H_
