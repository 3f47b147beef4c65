#include "transport/kafka_topics.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string_view>

namespace stockpile::transport {
namespace {

TEST(KafkaTopicsTest, EventTypeContextNamesTheTopic) {
  EXPECT_EQ(KafkaTopicForEventType("inventory.stock.adjusted"),
            "inventory-events");
  EXPECT_EQ(KafkaTopicForEventType("inventory"), "inventory-events");
  EXPECT_EQ(KafkaTopicForEventType("order.created"), "order-events");
  EXPECT_EQ(KafkaTopicForEventType("purchasing.order.created"),
            "purchase-order-events");
  EXPECT_EQ(KafkaTopicForEventType("replenishment.triggered"),
            "purchase-order-events");
  EXPECT_EQ(KafkaTopicForEventType("forecast.generated"), "forecast-events");
  EXPECT_EQ(KafkaTopicForEventType("sales.sale.completed"),
            "integration-events");
  EXPECT_EQ(KafkaTopicForEventType("catalog.product.created"),
            "catalog-events");
  EXPECT_EQ(KafkaTopicForEventType("payment.failed"), "billing-events");
  EXPECT_EQ(KafkaTopicForEventType("widget.spun"), "widget-events");
}

TEST(KafkaTopicsTest, PatternWithLiteralContextNeedsOneTopic) {
  EXPECT_EQ(KafkaTopicForPattern("order.*"), "order-events");
  EXPECT_EQ(KafkaTopicForPattern("sales.#"), "integration-events");
  EXPECT_EQ(KafkaTopicForPattern("#"), std::nullopt);
  EXPECT_EQ(KafkaTopicForPattern("*.created"), std::nullopt);
}

// kKafkaAllContextTopics is "^[a-z0-9_-]+-events$" (checked by hand here:
// std::regex trips GCC 12's -Wmaybe-uninitialized in the ASan build).
bool MatchesAllContextTopics(std::string_view topic) {
  std::string_view suffix = "-events";
  if (!topic.ends_with(suffix) || topic.size() == suffix.size()) return false;
  return std::all_of(topic.begin(), topic.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
  });
}

TEST(KafkaTopicsTest, AllTopicsRegexMatchesContextsNotDeadLetters) {
  EXPECT_EQ(kKafkaAllContextTopics, "^[a-z0-9_-]+-events$");
  for (const std::string& t : KafkaContextTopics()) {
    EXPECT_TRUE(MatchesAllContextTopics(t)) << t;
  }
  EXPECT_FALSE(MatchesAllContextTopics(KafkaDeadLetterTopic("inventory")));
  EXPECT_EQ(KafkaDeadLetterTopic("inventory"), "stockpile.inventory.dlq");
  EXPECT_EQ(KafkaGroupId("inventory"), "stockpile.inventory");
}

}  // namespace
}  // namespace stockpile::transport
