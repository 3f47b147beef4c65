#include "transport/kafka_url.h"

#include <gtest/gtest.h>

namespace stockpile::transport {
namespace {

TEST(KafkaUrlTest, ParsesBrokerListWithDefaultPort) {
  auto e = ParseKafkaUrl("kafka://k1.local:9093,k2,[::1]:9094");
  ASSERT_TRUE(e.ok()) << e.status();
  ASSERT_EQ(e->brokers.size(), 3u);
  EXPECT_EQ(e->brokers[0].host, "k1.local");
  EXPECT_EQ(e->brokers[0].port, 9093);
  EXPECT_EQ(e->brokers[1].host, "k2");
  EXPECT_EQ(e->brokers[1].port, kKafkaDefaultPort);
  EXPECT_EQ(e->brokers[2].host, "::1");
  EXPECT_EQ(e->bootstrap_servers(), "k1.local:9093,k2:9092,[::1]:9094");
}

TEST(KafkaUrlTest, RejectsWhatItCannotHonourWithAReason) {
  for (const char* bad :
       {"amqp://host:5672", "kafka://", "kafka://host:", "kafka://host:0",
        "kafka://host:70000", "kafka://host:9x", "kafka://a,,b",
        "kafka://user:pw@host:9092", "kafka://host:9092/topic",
        "kafka://host?acks=1", "kafka://::1:9092", "kafka://ho st"}) {
    auto e = ParseKafkaUrl(bad);
    EXPECT_EQ(e.status().code(), core::StatusCode::kInvalidArgument) << bad;
    EXPECT_NE(e.status().message().find("kafka://host[:port]"),
              std::string::npos)
        << e.status();
  }
}

}  // namespace
}  // namespace stockpile::transport
