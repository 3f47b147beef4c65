#include "core/exact_double.h"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <string>

#include "core/event_codec.h"
#include "core/json_value_parser.h"

namespace stockpile::core::internal {
namespace {

// Numbers Boost.JSON 1.81 parses one unit in the last place off (found by
// fuzz/event_codec_fuzz.cc and fuzz/cloud_events_fuzz.cc).
constexpr const char* kHardNumbers[] = {
    "-2.2222222222322222E29",
    "3.3333333333333336E39",
    "5.555555555555556E59",
};

TEST(ExactDoubleTest, MatchesStrtod) {
  for (const char* text : kHardNumbers) {
    EXPECT_EQ(*ExactDouble(text, 0), std::strtod(text, nullptr)) << text;
  }
  EXPECT_EQ(*ExactDouble("1e+5", 0), 100000.0);
  EXPECT_EQ(*ExactDouble("-0.25", 0), -0.25);
}

TEST(ExactDoubleTest, TooLargeIsRefusedTooSmallKeepsTheParsersValue) {
  EXPECT_EQ(ExactDouble("1e400", HUGE_VAL), std::nullopt);
  EXPECT_EQ(ExactDouble("-1e400", -HUGE_VAL), std::nullopt);
  EXPECT_EQ(ExactDouble("1e-400", 0.0), 0.0);
}

// Found by both fuzzers: -1e999 parsed as -infinity, which serializes as
// "-Infinity", not JSON.
TEST(ExactDoubleTest, ParsersRefuseNumbersBeyondDouble) {
  Result<boost::json::value> v = ParseJson(R"({"n":-1e999})");
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.status().message(), "JSON number too large for a double");
  Result<EventPtr> e =
      DecodeEvent(R"({"eventId":"0190f3a2-7c4e-7b1a-9f00-2b3c4d5e6f70",)"
                  R"("eventType":"x.y","aggregateType":"a","aggregateId":"1",)"
                  R"("tenantId":"acme","timestamp":"2026-01-01T00:00:00.000Z",)"
                  R"("version":1,"payload":{"d":1e400},"metadata":{}})");
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().message(), "JSON number too large for a double");
}

TEST(ExactDoubleTest, NumberTextJoinsParts) {
  NumberText text;
  text.Append("-2.22222");
  text.Append("22222322");
  EXPECT_EQ(*text.Finish("222E29", 0), std::strtod(kHardNumbers[0], nullptr));
  // The parts are gone: the next number stands alone.
  EXPECT_EQ(*text.Finish("1.5", 0), 1.5);
  text.Append("12");
  text.Clear();
  EXPECT_EQ(*text.Finish("2.5", 0), 2.5);
}

// What the fuzzers check: a double read back from its own serialization is
// the same double, through both parsers.
TEST(ExactDoubleTest, ParsedDoublesSurviveSerialization) {
  for (const char* text : kHardNumbers) {
    std::string doc = std::string(R"({"n":)") + text + "}";
    Result<boost::json::value> first = ParseJson(doc);
    ASSERT_TRUE(first.ok()) << first.status();
    double want = std::strtod(text, nullptr);
    EXPECT_EQ(first->at("n").as_double(), want) << text;
    Result<boost::json::value> again =
        ParseJson(boost::json::serialize(*first));
    ASSERT_TRUE(again.ok()) << again.status();
    EXPECT_EQ(*again, *first) << text;
  }
}

TEST(ExactDoubleTest, EventPayloadDoublesAreExact) {
  for (const char* text : kHardNumbers) {
    std::string doc =
        std::string(
            R"({"eventId":"0190f3a2-7c4e-7b1a-9f00-2b3c4d5e6f70",)"
            R"("eventType":"inventory.stock.adjusted",)"
            R"("aggregateType":"stockItem","aggregateId":"sku-1@wh-1",)"
            R"("tenantId":"acme","timestamp":"2026-01-01T00:00:00.000Z",)"
            R"("version":1,"payload":{"delta":)") +
        text + R"(},"metadata":{}})";
    Result<EventPtr> first = DecodeEvent(doc);
    ASSERT_TRUE(first.ok()) << first.status();
    EXPECT_EQ((*first)->payload.at("delta").as_double(),
              std::strtod(text, nullptr))
        << text;
    Result<EventPtr> again = DecodeEvent(EncodeEvent(**first));
    ASSERT_TRUE(again.ok()) << again.status();
    EXPECT_EQ(**again, **first) << text;
  }
}

}  // namespace
}  // namespace stockpile::core::internal
