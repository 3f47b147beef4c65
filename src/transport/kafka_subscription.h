// KafkaSubscription: a Subscription backed by one Kafka consumer (its own
// librdkafka handle) in the group "stockpile.<queue>" (kafka_topics.h).
//
//   topic partitions -> consumer (offsets from the group) -> pattern filter
//     -> Poll -> handler -> Ack: the group's offset moves past it
//
// At-least-once: the group's committed offset of a partition is the lowest
// offset handed out and not yet settled (or the next unread one), so a
// consumer that restarts or takes over the partition in a rebalance reads
// every unsettled event again. Each commit also stores, as commit metadata,
// the highest offset handed out so far; a later consumer marks anything at
// or below it `redelivered`. Events whose eventType matches none of the
// queue's patterns (a topic carries a whole context) are skipped: settled
// without being delivered.
//
// Nack(kRequeue) hands the event out again from this consumer (its offset
// stays uncommitted). Nack(kDeadLetter) produces it, byte for byte, to the
// queue's dead-letter topic and waits for the acknowledgement before
// settling; on a dead-letter queue it just settles (discards). On a
// rebalance the revoked partitions' deliveries can no longer be settled
// (FailedPrecondition); the partition's next owner delivers them again.
// Poll is also what keeps the consumer in its group: a consumer not
// polled for max.poll.interval.ms (librdkafka's default, 5 minutes), e.g.
// because it sits at its prefetch limit, is dropped from the group and
// its partitions go to another member.
//
// Ownership: `producer` (for dead letters) must outlive the subscription.
// Thread-safety: safe for concurrent use; concurrent Polls are serialized.
#ifndef STOCKPILE_TRANSPORT_KAFKA_SUBSCRIPTION_H_
#define STOCKPILE_TRANSPORT_KAFKA_SUBSCRIPTION_H_

#include <memory>
#include <string>
#include <vector>

#include "core/result.h"
#include "core/topic_pattern.h"
#include "transport/kafka_options.h"
#include "transport/kafka_producer.h"
#include "transport/kafka_url.h"
#include "transport/transport.h"

namespace stockpile::transport {

struct KafkaSubscriptionSpec {
  std::string group_id;
  // Topic names, or librdkafka regexes ("^..."), to subscribe to.
  std::vector<std::string> topics;
  // Deliver only events matching one of these; empty: deliver everything.
  std::vector<core::TopicPattern> filter;
  // Where Nack(kDeadLetter) sends; empty: it discards.
  std::string dead_letter_topic;
  uint32_t prefetch = 256;
};

// InvalidArgument when librdkafka rejects the configuration or the
// subscription. The group is joined in the background during Poll.
core::Result<std::unique_ptr<Subscription>> OpenKafkaSubscription(
    const KafkaEndpoint& endpoint, const KafkaOptions& options,
    KafkaProducer& producer, KafkaSubscriptionSpec spec);

}  // namespace stockpile::transport

#endif  // STOCKPILE_TRANSPORT_KAFKA_SUBSCRIPTION_H_
