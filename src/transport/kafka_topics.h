// KafkaTopics: where Stockpile's events live in Kafka (DESIGN.md §6, "a
// topic per context, key = aggregateId").
//
//   eventType's first word         topic
//   inventory                      inventory-events
//   order                          order-events
//   purchasing, replenishment      purchase-order-events
//   forecast                       forecast-events
//   sales, integration             integration-events
//   catalog                        catalog-events
//   payment, bill                  billing-events
//   user                           user-events
//   notification                   notification-events
//   any other word W               W-events
//
// A transport queue Q is the consumer group "stockpile.Q", subscribed to
// the topics its binding patterns can match (every "*-events" topic when a
// pattern starts with a wildcard) and filtering by pattern; its dead
// letters go to the topic "stockpile.Q.dlq" (read by the group
// "stockpile.Q.dlq").
//
//   KafkaTopicForEventType("purchasing.order.created")  //
//   purchase-order-events KafkaTopicForPattern("order.*") // "order-events"
//   KafkaTopicForPattern("#")                           // nullopt: all topics
//
// Thread-safety: pure functions.
#ifndef STOCKPILE_TRANSPORT_KAFKA_TOPICS_H_
#define STOCKPILE_TRANSPORT_KAFKA_TOPICS_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stockpile::transport {

// librdkafka's regex subscription to every context topic (not the DLQs).
inline constexpr std::string_view kKafkaAllContextTopics =
    "^[a-z0-9_-]+-events$";

// `event_type` is a valid routing key.
std::string KafkaTopicForEventType(std::string_view event_type);

// The one topic a valid binding pattern can match, or nullopt when its
// first word is a wildcard (it may match events of any context).
std::optional<std::string> KafkaTopicForPattern(std::string_view pattern);

// The topics of the table above, for operators who create them ahead.
std::vector<std::string> KafkaContextTopics();

// "stockpile.<queue>" for a logical queue name (also for "<q>.dlq").
std::string KafkaGroupId(std::string_view queue);

// "stockpile.<queue>.dlq": the dead-letter topic of a (non-DLQ) queue.
std::string KafkaDeadLetterTopic(std::string_view queue);

}  // namespace stockpile::transport

#endif  // STOCKPILE_TRANSPORT_KAFKA_TOPICS_H_
