#include "domain/integrations/inbound_event.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace stockpile::domain::integrations {
namespace {

constexpr int64_t kNow = 1'770'638'400'000;  // 2026-02-09T12:00:00Z

core::Result<InboundEvent> Parse(std::string_view text,
                                 std::string_view tenant = "acme") {
  return ParseInboundEvent(boost::json::parse(text).as_object(), tenant, kNow);
}

TEST(InboundEventTest, SeedSaleBecomesCanonicalWithStableId) {
  constexpr std::string_view kSale =
      R"({"eventId":"pos-1","eventType":"SALE_COMPLETED","version":"1.0",
          "timestamp":"2026-02-09T11:00:00Z","metadata":{"source":"pos"},
          "payload":{"saleId":"s-1","itemId":"p-1","locationId":"shop",
                     "quantity":5.0,"amount":52.5}})";
  auto in = Parse(kSale);
  ASSERT_TRUE(in.ok()) << in.status();
  EXPECT_EQ(in->canonical_type, "sales.sale.completed");
  EXPECT_EQ(in->original_type, "SALE_COMPLETED");
  EXPECT_EQ(in->format, "envelope");
  EXPECT_EQ(in->source, "pos");
  EXPECT_EQ(in->external_id, "pos-1");
  EXPECT_EQ(in->occurred_at_ms, kNow - 3'600'000);
  const auto& line = in->payload.at("lines").at(0).as_object();
  EXPECT_EQ(line.at("productId"), "p-1");
  EXPECT_EQ(line.at("quantity").as_int64(), 5);
  EXPECT_EQ(in->payload.at("locationId"), "shop");
  // The same sender id maps to the same UUID; another id to another.
  auto again = Parse(kSale);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->event_id, in->event_id);
  auto other = Parse(R"({"eventId":"pos-2","eventType":"SALE_COMPLETED",
      "metadata":{"source":"pos"},
      "payload":{"saleId":"s-2","itemId":"p-1","quantity":1}})");
  ASSERT_TRUE(other.ok()) << other.status();
  EXPECT_NE(other->event_id, in->event_id);
  EXPECT_EQ(other->occurred_at_ms, kNow);  // no timestamp: received time
  EXPECT_EQ(other->payload.at("locationId"), "main");
}

TEST(InboundEventTest, CloudEventWithSeedTypeAndNoTime) {
  auto in = Parse(R"({"specversion":"1.0","id":"wms-7","source":"wms",
      "type":"RECEIPT_COMPLETED","data":{"itemId":"p-1","quantity":20,
      "lotNumber":"LOT-1","expiryDate":"2026-03-09"}})");
  ASSERT_TRUE(in.ok()) << in.status();
  EXPECT_EQ(in->canonical_type, "inventory.stock.received");
  EXPECT_EQ(in->format, "cloudevents");
  EXPECT_EQ(in->source, "wms");
  EXPECT_EQ(in->payload.at("productId"), "p-1");
  EXPECT_EQ(in->payload.at("locationId"), "main");
  EXPECT_EQ(in->payload.at("lotNumber"), "LOT-1");
  EXPECT_EQ(in->occurred_at_ms, kNow);
}

TEST(InboundEventTest, UuidIdsAreKeptAndCountsAreAdjustments) {
  auto in = Parse(R"({"eventId":"0193a5c2-7d3e-7000-8000-000000000001",
      "eventType":"INVENTORY_UPDATED","payload":{"itemId":"p-1",
      "onHand":100.0,"available":85.0}})");
  ASSERT_TRUE(in.ok()) << in.status();
  EXPECT_EQ(in->event_id, "0193a5c2-7d3e-7000-8000-000000000001");
  EXPECT_EQ(in->external_id, "");
  EXPECT_EQ(in->canonical_type, "inventory.stock.adjusted");
  EXPECT_EQ(in->payload.at("onHand").as_int64(), 100);
  EXPECT_EQ(in->payload.at("reason"), "cycle_count");
  EXPECT_FALSE(in->payload.contains("delta"));
}

TEST(InboundEventTest, RefusesWhatStockpileCannotActOn) {
  struct Case {
    const char* body;
    const char* mentions;
  };
  const Case cases[] = {
      {R"({"eventType":"SALE_COMPLETED","payload":{}})", "eventId"},
      {R"({"eventId":"a","eventType":"NOPE","payload":{}})", "NOPE"},
      {R"({"eventId":"a","eventType":"OrderCreated","payload":{}})",
       "not accepted"},
      {R"({"eventId":"a","eventType":"SALE_COMPLETED","tenantId":"globex",
           "payload":{"saleId":"s","itemId":"p","quantity":1}})",
       "tenantId"},
      {R"({"eventId":"a","eventType":"SALE_COMPLETED","payload":[]})",
       "payload"},
      {R"({"eventId":"a","eventType":"SALE_COMPLETED",
           "payload":{"saleId":"s","itemId":"p","quantity":2.5}})",
       "quantity"},
      {R"({"eventId":"a","eventType":"SALE_COMPLETED",
           "payload":{"saleId":"s","itemId":"p","quantity":0}})",
       "quantity"},
      {R"({"eventId":"a","eventType":"SALE_COMPLETED",
           "payload":{"saleId":"s","lines":[{"quantity":1}]}})",
       "lines[0].productId"},
      {R"({"eventId":"a","eventType":"StockAdjusted",
           "payload":{"productId":"p","delta":1,"onHand":3}})",
       "exactly one"},
      {R"({"eventId":"a","eventType":"payment.success",
           "payload":{"orderId":"o-1","amount":1.005}})",
       "amount"},
      {R"({"eventId":"a","eventType":"SALE_COMPLETED",
           "timestamp":"yesterday",
           "payload":{"saleId":"s","itemId":"p","quantity":1}})",
       "timestamp"},
      {R"({"specversion":"1.0","id":"x","source":"s","type":"TRANSFER_INITIATED",
           "tenantid":"globex","data":{}})",
       "tenantid"},
      {R"({"specversion":"1.0","id":"x","source":"s",
           "type":"TRANSFER_INITIATED","data":{"productId":"p",
           "fromLocationId":"a","quantity":1}})",
       "toLocationId"},
  };
  for (const Case& c : cases) {
    auto in = Parse(c.body);
    ASSERT_FALSE(in.ok()) << c.body;
    EXPECT_EQ(in.status().code(), core::StatusCode::kInvalidArgument) << c.body;
    EXPECT_NE(in.status().message().find(c.mentions), std::string::npos)
        << c.body << " -> " << in.status();
  }
}

}  // namespace
}  // namespace stockpile::domain::integrations
