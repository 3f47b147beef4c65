#include "domain/common/money.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace stockpile::domain::common {
namespace {

core::Result<int64_t> Money(std::string_view json) {
  return ParseMoney(boost::json::parse(json), "price");
}

TEST(MoneyTest, ParsesAtMostTwoDecimalsExactly) {
  EXPECT_EQ(*Money("0.29"), 29);
  EXPECT_EQ(*Money("12.5"), 1250);
  EXPECT_EQ(*Money("12"), 1200);
  EXPECT_EQ(*Money("1.10"), 110);
  EXPECT_EQ(*Money("-3.07"), -307);
  EXPECT_EQ(*Money("19.99"), 1999);
  EXPECT_EQ(*Money("0"), 0);
}

TEST(MoneyTest, RefusesMoreDecimalsAndNonNumbers) {
  EXPECT_EQ(Money("12.345").status().code(),
            core::StatusCode::kInvalidArgument);
  EXPECT_EQ(Money("0.001").status().code(), core::StatusCode::kInvalidArgument);
  EXPECT_EQ(Money("\"12.00\"").status().code(),
            core::StatusCode::kInvalidArgument);
  EXPECT_EQ(Money("1e300").status().code(), core::StatusCode::kInvalidArgument);
  EXPECT_NE(Money("12.345").status().message().find("price"),
            std::string::npos);
}

TEST(MoneyTest, RoundTripsThroughJsonNumbers) {
  for (int64_t minor :
       {0LL, 1LL, 29LL, 1999LL, 100LL, 123456789LL, -5LL, 99999999999999LL}) {
    core::Result<int64_t> back = ParseMoney(MoneyToJson(minor), "x");
    ASSERT_TRUE(back.ok()) << minor << " " << back.status();
    EXPECT_EQ(*back, minor);
  }
  EXPECT_TRUE(MoneyToJson(1200).is_int64());
}

TEST(MoneyTest, QuantitiesAreIntegersOnly) {
  EXPECT_EQ(*ParseQuantity(boost::json::parse("7"), "quantity"), 7);
  EXPECT_EQ(*ParseQuantity(boost::json::parse("-2"), "quantity"), -2);
  EXPECT_FALSE(ParseQuantity(boost::json::parse("2.0"), "quantity").ok());
  EXPECT_FALSE(ParseQuantity(boost::json::parse("\"2\""), "quantity").ok());
  EXPECT_FALSE(
      ParseQuantity(boost::json::parse("18446744073709551615"), "q").ok());
}

TEST(MoneyTest, KnowsIso4217Codes) {
  EXPECT_TRUE(IsIso4217("USD"));
  EXPECT_TRUE(IsIso4217("EUR"));
  EXPECT_TRUE(IsIso4217("JPY"));
  EXPECT_FALSE(IsIso4217("usd"));
  EXPECT_FALSE(IsIso4217("XXX"));
  EXPECT_FALSE(IsIso4217("EURO"));
  EXPECT_FALSE(IsIso4217("SD "));
  EXPECT_FALSE(IsIso4217(""));
}

}  // namespace
}  // namespace stockpile::domain::common
