#include "core/event_codec.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>
#include <vector>

#include "core/time_format.h"

namespace stockpile::core {
namespace {

Event SampleEvent() {
  ManualClock clock;
  UuidV7Generator ids(clock);
  Event e = EventBuilder("inventory.stock.adjusted")
                .Aggregate("inventory_position", "product-001@main")
                .Tenant("acme")
                .Payload({{"productId", "product-001"},
                          {"locationId", "main"},
                          {"delta", -2},
                          {"onHand", 98},
                          {"note", "line1\nline2 \"quoted\" \xc3\xa9"}})
                .Source("inventory")
                .User("u-1")
                .BuildValue(ids, clock);
  e.stream_version = 42;
  e.position = 1234567;
  return e;
}

std::string Replace(std::string text, std::string_view from,
                    std::string_view to) {
  size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

Status DecodeError(const std::string& text, const CodecLimits& limits = {}) {
  Result<EventPtr> r = DecodeEvent(text, limits);
  EXPECT_FALSE(r.ok()) << text;
  return r.ok() ? Status() : r.status();
}

boost::json::object BusinessContext() {
  return {{"timezone", "Asia/Jakarta"},
          {"localTime", "2026-02-18T10:00:00.000+07:00"},
          {"businessHours", true},
          {"region", "ID"},
          {"season", boost::json::array{"ramadan"}},
          {"seasonalFactor", 1.235}};
}

TEST(EventCodecTest, RoundTripsExactly) {
  Event e = SampleEvent();
  std::string text = EncodeEvent(e);
  Result<EventPtr> back = DecodeEvent(text);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(**back, e);
  EXPECT_EQ(EncodeEvent(**back), text);
}

// Metadata is an open object: a nested one (metadata.businessContext, issue
// 10) and keys Stockpile does not know survive both decoders.
TEST(EventCodecTest, KeepsNestedAndUnknownMetadata) {
  Event e = SampleEvent();
  e.metadata["businessContext"] = BusinessContext();
  e.metadata["vendorTrace"] =
      boost::json::object{{"a", boost::json::array{1, 2}}};
  const std::string text = EncodeEvent(e);
  Result<EventPtr> back = DecodeEvent(text);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ((*back)->metadata.at("businessContext"), BusinessContext());
  EXPECT_EQ(**back, e);
  Result<Event> from_dom = EventFromJson(EventToJson(e));
  ASSERT_TRUE(from_dom.ok()) << from_dom.status();
  EXPECT_EQ(*from_dom, e);
}

TEST(EventCodecTest, UsesTheStandardFieldNames) {
  Event e = SampleEvent();
  boost::json::value v = boost::json::parse(EncodeEvent(e));
  const auto& o = v.as_object();
  EXPECT_EQ(o.at("eventId").as_string(), e.event_id);
  EXPECT_EQ(o.at("eventType").as_string(), "inventory.stock.adjusted");
  EXPECT_EQ(o.at("aggregateType").as_string(), "inventory_position");
  EXPECT_EQ(o.at("aggregateId").as_string(), "product-001@main");
  EXPECT_EQ(o.at("tenantId").as_string(), "acme");
  EXPECT_EQ(o.at("timestamp").as_string(), FormatRfc3339Millis(e.timestamp_ms));
  EXPECT_EQ(o.at("version").as_int64(), 1);
  EXPECT_EQ(o.at("streamVersion").as_int64(), 42);
  EXPECT_EQ(o.at("position").as_int64(), 1234567);
  EXPECT_EQ(o.at("metadata").at("correlationId").as_string(), e.event_id);
  EXPECT_EQ(o.at("metadata").at("source").as_string(), "inventory");
  EXPECT_EQ(boost::json::value(EventToJson(e)), v);
}

TEST(EventCodecTest, LeavesOutUnassignedPositions) {
  Event e = SampleEvent();
  e.stream_version = 0;
  e.position = 0;
  std::string text = EncodeEvent(e);
  EXPECT_EQ(text.find("\"streamVersion\""), std::string::npos);
  EXPECT_EQ(text.find("\"position\""), std::string::npos);
}

TEST(EventCodecTest, RejectsMissingOrEmptyEventType) {
  std::string text = EncodeEvent(SampleEvent());
  Status s = DecodeError(
      Replace(text, "\"eventType\":\"inventory.stock.adjusted\",", ""));
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "field 'eventType' is missing");
  s = DecodeError(Replace(text, "\"inventory.stock.adjusted\"", "\"\""));
  EXPECT_EQ(s.message(), "field 'eventType' must not be empty");
  s = DecodeError(Replace(text, "\"inventory.stock.adjusted\"", "\"A..b\""));
  EXPECT_NE(s.message().find("field 'eventType'"), std::string::npos) << s;
}

TEST(EventCodecTest, RejectsBadUuidAndTimestamp) {
  Event e = SampleEvent();
  std::string text = EncodeEvent(e);
  Status s = DecodeError(Replace(text, e.event_id, "event-uuid"));
  EXPECT_NE(s.message().find("field 'eventId': bad UUID"), std::string::npos)
      << s;
  s = DecodeError(
      Replace(text, FormatRfc3339Millis(e.timestamp_ms), "yesterday"));
  EXPECT_NE(s.message().find("field 'timestamp': bad timestamp"),
            std::string::npos)
      << s;
}

TEST(EventCodecTest, RejectsWrongTypes) {
  std::string text = EncodeEvent(SampleEvent());
  EXPECT_EQ(
      DecodeError(Replace(text, "\"payload\":{", "\"payload\":[{")).message(),
      "malformed JSON: syntax error")
      << "sanity: a broken document is a parse error";
  std::string array_payload =
      Replace(text, "\"payload\":{\"productId\":\"product-001\",",
              "\"payload\":[1],\"x\":{");
  EXPECT_EQ(
      DecodeError(array_payload, {.allow_unknown_fields = true}).message(),
      "field 'payload' must be a JSON object");
  EXPECT_EQ(DecodeError(Replace(text, "\"version\":1", "\"version\":\"1.0\""))
                .message(),
            "field 'version' must be an integer");
  EXPECT_EQ(
      DecodeError(Replace(text, "\"version\":1", "\"version\":0")).message(),
      "field 'version' is out of range");
  EXPECT_EQ(
      DecodeError(Replace(text, "\"tenantId\":\"acme\"", "\"tenantId\":7"))
          .message(),
      "field 'tenantId' must be a string");
  EXPECT_EQ(DecodeError("[1,2]").message(), "an event must be a JSON object");
}

TEST(EventCodecTest, RejectsUnknownTopLevelFieldsUnlessAllowed) {
  std::string text = Replace(EncodeEvent(SampleEvent()), "{\"eventId\"",
                             "{\"eventtype\":\"x\",\"eventId\"");
  EXPECT_EQ(DecodeError(text).message(), "unknown top-level field 'eventtype'");
  EXPECT_TRUE(DecodeEvent(text, {.allow_unknown_fields = true}).ok());
}

TEST(EventCodecTest, EnforcesSizeAndDepthLimits) {
  std::string text = EncodeEvent(SampleEvent());
  Status s = DecodeError(text, {.max_bytes = 100});
  EXPECT_EQ(s.code(), StatusCode::kResourceExhausted);
  EXPECT_NE(s.message().find("exceeds the 100-byte limit"), std::string::npos);

  std::string deep =
      Replace(text, "\"delta\":-2",
              "\"delta\":" + std::string(40, '[') + std::string(40, ']'));
  s = DecodeError(deep);
  EXPECT_EQ(s.message(), "JSON nesting deeper than 32 levels");
  std::string very_deep(10000, '[');
  EXPECT_EQ(DecodeError(very_deep).message(),
            "JSON nesting deeper than 32 levels");
}

TEST(EventCodecTest, RejectsInvalidUtf8) {
  std::string text = EncodeEvent(SampleEvent());
  std::string bad = Replace(text, "product-001@main", "product-\xff@main");
  Status s = DecodeError(bad);
  EXPECT_NE(s.message().find("invalid UTF-8 at byte"), std::string::npos) << s;
  s = DecodeError(Replace(text, "\xc3\xa9", "\xc0\xaf"));  // overlong '/'
  EXPECT_NE(s.message().find("invalid UTF-8"), std::string::npos) << s;
}

TEST(EventCodecTest, EscapesControlCharactersInStrings) {
  Event e = SampleEvent();
  e.aggregate_id = std::string("a\x01\"b\\", 5);
  Result<EventPtr> back = DecodeEvent(EncodeEvent(e));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ((*back)->aggregate_id, e.aggregate_id);
}

TEST(EventCodecTest, DecoderIsReusable) {
  EventDecoder decoder;
  Event e = SampleEvent();
  for (int i = 0; i < 3; ++i) {
    e.position = i + 1;
    Result<EventPtr> back = decoder.Decode(EncodeEvent(e));
    ASSERT_TRUE(back.ok()) << back.status();
    EXPECT_EQ(**back, e);
  }
  EXPECT_FALSE(decoder.Decode("{").ok());
  EXPECT_TRUE(decoder.Decode(EncodeEvent(e)).ok());
}

// A JsonParser reuses its buffers: values it returned stay valid after it
// parsed other (larger, or broken) documents and is gone.
TEST(EventCodecTest, JsonParserIsReusableAndItsValuesOwnTheirMemory) {
  std::vector<boost::json::value> kept;
  {
    JsonParser parser(kStoredJsonLimits);
    for (int i = 0; i < 3; ++i) {
      const std::string big = "{\"blob\":\"" + std::string(20000, 'x') +
                              "\",\"n\":" + std::to_string(i) + "}";
      Result<boost::json::value> v = parser.Parse(big);
      ASSERT_TRUE(v.ok()) << v.status();
      kept.push_back(std::move(v).value());
      EXPECT_FALSE(parser.Parse(big.substr(0, 15000)).ok());
      Result<boost::json::value> small = parser.Parse("{\"a\":[1,2.5]}");
      ASSERT_TRUE(small.ok()) << small.status();
      kept.push_back(std::move(small).value());
    }
    EXPECT_FALSE(parser.Parse("{} x").ok());
  }
  ASSERT_EQ(kept.size(), 6u);
  EXPECT_EQ(kept[4].at("n").as_int64(), 2);
  EXPECT_EQ(kept[4].at("blob").as_string().size(), 20000u);
  EXPECT_EQ(kept[5], boost::json::parse("{\"a\":[1,2.5]}"));
}

// The decoder parses into memory it reuses; a decoded event must own all of
// its own, so it stays valid, copyable and comparable after the decoder has
// decoded other (larger) documents and is gone.
TEST(EventCodecTest, DecodedEventOutlivesItsDecoder) {
  Event e = SampleEvent();
  std::string text = EncodeEvent(e);
  EventPtr kept;
  {
    EventDecoder decoder;
    Result<EventPtr> first = decoder.Decode(text);
    ASSERT_TRUE(first.ok()) << first.status();
    kept = *first;
    Event big = SampleEvent();  // spills past the decoder's inline buffer
    big.payload["blob"] = std::string(20000, 'x');
    for (int i = 0; i < 3; ++i) {
      Result<EventPtr> other = decoder.Decode(EncodeEvent(big));
      ASSERT_TRUE(other.ok()) << other.status();
      EXPECT_EQ(**other, big);
      // A parse error part-way through a spilled document, then a good one.
      EXPECT_FALSE(decoder.Decode(EncodeEvent(big).substr(0, 15000)).ok());
    }
  }
  EXPECT_EQ(*kept, e);
  Event copy = *kept;
  EXPECT_EQ(copy, *kept);
  copy.payload["delta"] = -3;  // a copy is independent of the original
  EXPECT_NE(copy, *kept);
  EXPECT_EQ(kept->PayloadString("productId"), "product-001");
  boost::json::value sub = kept->payload.at("note");  // a sub-value copy
  kept.reset();
  EXPECT_EQ(sub.as_string(), "line1\nline2 \"quoted\" \xc3\xa9");
  EXPECT_EQ(EncodeEvent(copy), Replace(text, "\"delta\":-2", "\"delta\":-3"));
}

// The decoder reads JSON in one streaming pass; EventFromJson reads a parsed
// document. Both must accept and reject exactly the same documents, with
// the same message, including the awkward corners below.
TEST(EventCodecTest, DecoderAgreesWithEventFromJson) {
  std::string good = EncodeEvent(SampleEvent());
  std::string body = good.substr(1, good.size() - 2);  // without { }
  const std::vector<std::string> docs = {
      good,
      "[" + good + "]",
      "\"text\"",
      "42",
      "{}",
      "{" + body + ",\"payload\":[1,{\"a\":2}]}",  // last one wins
      "{" + body + ",\"payload\":{\"x\":{\"y\":[1,2.5,null]}}}",  // wins
      "{\"payload\":7," + body + "}",
      "{" + body + ",\"metadata\":null}",
      "{" + body + ",\"metadata\":[]}",
      "{" + body + ",\"metadata\":{\"correlationId\":5}}",
      "{" + body + ",\"eventId\":{\"nested\":[\"x\"]}}",
      "{" + body + ",\"version\":2.0}",
      "{" + body + ",\"version\":18446744073709551615}",
      "{" + body + ",\"position\":-1}",
      "{" + body + ",\"tenantId\":true}",
      "{" + body + ",\"tenantId\":\"\"}",
      "{" + body + ",\"tenantId\":\"a\\\"b\\u00e9c\"}",  // escapes
      "{" + body + ",\"ten\\u0061ntId\":\"escaped-key\"}",
      "{" + body + ",\"extra\":{\"deep\":[{}]},\"other\":1}",
      "{\"zzz\":1," + body + "}",
      "{" + body + ",\"eventType\":\"Bad Type\"}",
  };
  for (bool allow_unknown : {false, true}) {
    CodecLimits limits;
    limits.allow_unknown_fields = allow_unknown;
    for (const std::string& doc : docs) {
      Result<EventPtr> streamed = DecodeEvent(doc, limits);
      Result<boost::json::value> parsed = ParseJson(doc, limits);
      ASSERT_TRUE(parsed.ok()) << doc;
      Result<Event> built = parsed->is_object()
                                ? EventFromJson(parsed->get_object(), limits)
                                : Result<Event>(InvalidArgumentError(
                                      "an event must be a JSON object"));
      ASSERT_EQ(streamed.ok(), built.ok()) << doc;
      if (streamed.ok()) {
        EXPECT_EQ(**streamed, *built) << doc;
      } else {
        EXPECT_EQ(streamed.status().message(), built.status().message()) << doc;
      }
    }
  }
}

TEST(EventBuilderTest, FillsIdsTimestampsAndCausation) {
  ManualClock clock;
  UuidV7Generator ids(clock);
  EventPtr cause = EventBuilder("order.created")
                       .Aggregate("order", "o-1")
                       .Tenant("acme")
                       .User("u-7")
                       .Correlation("req-42")
                       .Build(ids, clock);
  EXPECT_TRUE(IsUuid(cause->event_id));
  EXPECT_EQ(cause->timestamp_ms, clock.NowMillis());
  EXPECT_EQ(cause->correlation_id(), "req-42");
  EXPECT_EQ(cause->causation_id(), "");

  EventPtr effect = EventBuilder("inventory.stock.reserved")
                        .Aggregate("inventory_position", "p@main")
                        .CausedBy(*cause)
                        .Build(ids, clock);
  EXPECT_EQ(effect->tenant_id, "acme");
  EXPECT_EQ(effect->correlation_id(), "req-42");
  EXPECT_EQ(effect->causation_id(), cause->event_id);
  EXPECT_EQ(effect->metadata.at("userId").as_string(), "u-7");
  EXPECT_LT(cause->event_id, effect->event_id);

  EventPtr root = EventBuilder("catalog.product.created")
                      .Aggregate("product", "p")
                      .Tenant("acme")
                      .Build(ids, clock);
  EXPECT_EQ(root->correlation_id(), root->event_id);
}

}  // namespace
}  // namespace stockpile::core
