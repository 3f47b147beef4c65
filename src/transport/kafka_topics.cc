#include "transport/kafka_topics.h"

#include <array>
#include <utility>

#include "transport/transport.h"

namespace stockpile::transport {
namespace {

// First word of an eventType -> its topic, where the topic is not simply
// "<word>-events".
constexpr std::array<std::pair<std::string_view, std::string_view>, 8>
    kContextTopics = {{
        {"purchasing", "purchase-order-events"},
        {"replenishment", "purchase-order-events"},
        {"sales", "integration-events"},
        {"integration", "integration-events"},
        {"payment", "billing-events"},
        {"bill", "billing-events"},
        {"inventory", "inventory-events"},
        {"order", "order-events"},
    }};

std::string_view FirstWord(std::string_view key) {
  return key.substr(0, key.find('.'));
}

std::string TopicForWord(std::string_view word) {
  for (const auto& [w, topic] : kContextTopics) {
    if (w == word) return std::string(topic);
  }
  return std::string(word) + "-events";
}

}  // namespace

std::string KafkaTopicForEventType(std::string_view event_type) {
  return TopicForWord(FirstWord(event_type));
}

std::optional<std::string> KafkaTopicForPattern(std::string_view pattern) {
  std::string_view word = FirstWord(pattern);
  if (word == "*" || word == "#") return std::nullopt;
  return TopicForWord(word);
}

std::vector<std::string> KafkaContextTopics() {
  return {"inventory-events", "order-events",       "purchase-order-events",
          "forecast-events",  "integration-events", "catalog-events",
          "billing-events",   "user-events",        "notification-events",
          "document-events"};
}

std::string KafkaGroupId(std::string_view queue) {
  return "stockpile." + std::string(queue);
}

std::string KafkaDeadLetterTopic(std::string_view queue) {
  return "stockpile." + DeadLetterQueue(queue);
}

}  // namespace stockpile::transport
