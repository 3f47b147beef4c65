#include "transport/kafka_topics.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <regex>

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

TEST(KafkaTopicsTest, AllTopicsRegexMatchesContextsNotDeadLetters) {
  std::regex all{std::string(kKafkaAllContextTopics)};
  for (const std::string& t : KafkaContextTopics()) {
    EXPECT_TRUE(std::regex_match(t, all)) << t;
  }
  EXPECT_FALSE(std::regex_match(KafkaDeadLetterTopic("inventory"), all));
  EXPECT_EQ(KafkaDeadLetterTopic("inventory"), "stockpile.inventory.dlq");
  EXPECT_EQ(KafkaGroupId("inventory"), "stockpile.inventory");
}

}  // namespace
}  // namespace stockpile::transport
