#include "core/cloud_events.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace stockpile::core {
namespace {

Event SampleEvent() {
  ManualClock clock;
  UuidV7Generator ids(clock);
  Event e = EventBuilder("order.created")
                .Aggregate("order", "ord-1")
                .Tenant("acme")
                .Payload({{"orderId", "ord-1"}, {"total", 12.5}})
                .Source("orders")
                .User("u-1")
                .Meta("traceparent", "00-abc")
                .BuildValue(ids, clock);
  e.stream_version = 1;
  e.position = 77;
  return e;
}

boost::json::object BusinessContext() {
  return {{"timezone", "Asia/Jakarta"},
          {"localTime", "2026-02-18T10:00:00.000+07:00"},
          {"businessHours", true},
          {"region", "ID"},
          {"season", boost::json::array{"ramadan"}},
          {"seasonalFactor", 1.235}};
}

TEST(CloudEventsTest, RoundTripsTheEnvelope) {
  for (bool with_source : {true, false}) {
    Event e = SampleEvent();
    if (!with_source) e.metadata.erase("source");
    Result<EventPtr> back = DecodeCloudEvent(EncodeCloudEvent(e));
    ASSERT_TRUE(back.ok()) << back.status();
    EXPECT_EQ(**back, e);
  }
}

TEST(CloudEventsTest, CarriesTheBusinessContextInStockpileMeta) {
  Event e = SampleEvent();
  e.metadata["businessContext"] = BusinessContext();
  boost::json::object ce = EventToCloudEvent(e);
  ASSERT_TRUE(ce.contains("stockpilemeta"));
  Result<EventPtr> back = DecodeCloudEvent(EncodeCloudEvent(e));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ((*back)->metadata.at("businessContext"), BusinessContext());
  EXPECT_EQ(**back, e);
}

TEST(CloudEventsTest, MapsRequiredAttributes) {
  Event e = SampleEvent();
  boost::json::object ce = EventToCloudEvent(e);
  EXPECT_EQ(ce.at("specversion").as_string(), "1.0");
  EXPECT_EQ(ce.at("id").as_string(), e.event_id);
  EXPECT_EQ(ce.at("type").as_string(), "order.created");
  EXPECT_EQ(ce.at("source").as_string(), "orders");
  EXPECT_EQ(ce.at("subject").as_string(), "ord-1");
  EXPECT_EQ(ce.at("tenantid").as_string(), "acme");
  EXPECT_EQ(ce.at("correlationid").as_string(), e.event_id);
  EXPECT_EQ(ce.at("data").as_object(), e.payload);
}

TEST(CloudEventsTest, AcceptsForeignEventsWithDefaults) {
  const char* text = R"({"specversion":"1.0","id":"sale-991","source":"pos/7",
      "type":"sales.sale.completed","time":"2026-02-09T19:00:00+07:00",
      "data":{"sku":"A-1","quantity":2},"storeid":"s-7"})";
  Result<EventPtr> r = DecodeCloudEvent(text, {.default_tenant = "acme"});
  ASSERT_TRUE(r.ok()) << r.status();
  const Event& e = **r;
  EXPECT_TRUE(IsUuid(e.event_id));
  EXPECT_EQ(e.metadata.at("externalId").as_string(), "sale-991");
  EXPECT_EQ(e.metadata.at("storeid").as_string(), "s-7");
  EXPECT_EQ(e.tenant_id, "acme");
  EXPECT_EQ(e.aggregate_type, "sales");
  EXPECT_EQ(e.aggregate_id, "sale-991");
  EXPECT_EQ(e.timestamp_ms, 1'770'638'400'000);
  // The same foreign event maps to the same id: ingest stays idempotent.
  EXPECT_EQ((*DecodeCloudEvent(text, {.default_tenant = "acme"}))->event_id,
            e.event_id);
}

TEST(CloudEventsTest, RejectsWhatCannotBeMapped) {
  struct Case {
    const char* text;
    const char* message;
  };
  const Case cases[] = {
      {R"({"specversion":"0.3","id":"1","source":"s","type":"a.b","time":"2026-01-01T00:00:00Z"})",
       "CloudEvent attribute 'specversion' must be \"1.0\", got \"0.3\""},
      {R"({"specversion":"1.0","source":"s","type":"a.b","time":"2026-01-01T00:00:00Z"})",
       "CloudEvent attribute 'id' is missing"},
      {R"({"specversion":"1.0","id":"1","source":"s","type":"a.b"})",
       "CloudEvent attribute 'time' is missing"},
      {R"({"specversion":"1.0","id":"1","source":"s","type":"a.b","time":"2026-01-01T00:00:00Z","tenantid":"t","data":[1]})",
       "CloudEvent attribute 'data' must be a JSON object"},
      {R"({"specversion":"1.0","id":"1","source":"s","type":"a.b","time":"2026-01-01T00:00:00Z","tenantid":"t","data_base64":"AA=="})",
       "CloudEvent attribute 'data_base64' is not supported: send JSON data as "
       "an object"},
      {R"({"specversion":"1.0","id":"1","source":"s","type":"a.b","time":"2026-01-01T00:00:00Z"})",
       "CloudEvent attribute 'tenantid' is missing and no tenant is implied"},
  };
  for (const Case& c : cases) {
    Result<EventPtr> r = DecodeCloudEvent(c.text);
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_EQ(r.status().message(), c.message);
  }
  Result<EventPtr> r = DecodeCloudEvent(
      R"({"specversion":"1.0","id":"1","source":"s","type":"SALE_COMPLETED","time":"2026-01-01T00:00:00Z"})",
      {.default_tenant = "t"});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("CloudEvent 'type'"), std::string::npos);
}

// Found by fuzz/cloud_events_fuzz.cc: an empty causationId (here from
// stockpilemeta) decoded, but its re-encoding put the empty value into the
// "causationid" extension, which decoding refuses.
TEST(CloudEventsTest, EmptyMetadataValuesSurviveARoundTrip) {
  auto first = DecodeCloudEvent(
      R"({"specversion":"1.0","id":"0190f3a2-7c4e-7b1a-9f00-2b3c4d5e6f70",)"
      R"("source":"stockpile","type":"order.created","subject":"ord-1",)"
      R"("time":"2026-01-01T00:00:00.000Z","tenantid":"acme",)"
      R"("stockpilemeta":"{\"causationId\":\"\"}"})");
  ASSERT_TRUE(first.ok()) << first.status();
  auto again = DecodeCloudEvent(EncodeCloudEvent(**first));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ((*again)->metadata, (*first)->metadata);
}

// Also found by the fuzzer: extension attributes named like our metadata
// keys ("correlationId": 1) overwrote them with values the envelope refuses.
TEST(CloudEventsTest, RefusesInvalidExtensionNamesAndMistypedMetadata) {
  const std::string head =
      R"({"specversion":"1.0","id":"e-1","source":"pos","type":"order.created",)"
      R"("time":"2026-01-01T00:00:00.000Z","tenantid":"acme",)";
  auto upper = DecodeCloudEvent(head + R"("correlationId":1})");
  ASSERT_FALSE(upper.ok());
  EXPECT_NE(upper.status().message().find("'correlationId'"), std::string::npos)
      << upper.status();
  EXPECT_FALSE(DecodeCloudEvent(head + R"("a-b":1})").ok());
  auto meta =
      DecodeCloudEvent(head + R"("stockpilemeta":"{\"correlationId\":1}"})");
  ASSERT_FALSE(meta.ok());
  EXPECT_NE(meta.status().message().find("stockpilemeta"), std::string::npos);
  EXPECT_TRUE(DecodeCloudEvent(head + R"("shopid":"s-9"})").ok());
}

}  // namespace
}  // namespace stockpile::core
