#include "core/time_format.h"

#include <gtest/gtest.h>

namespace stockpile::core {
namespace {

TEST(TimeFormatTest, FormatsUtcWithMilliseconds) {
  EXPECT_EQ(FormatRfc3339Millis(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatRfc3339Millis(1'770'638'400'123), "2026-02-09T12:00:00.123Z");
  EXPECT_EQ(FormatRfc3339Millis(951'782'400'000),  // leap day
            "2000-02-29T00:00:00.000Z");
  EXPECT_EQ(FormatRfc3339Millis(-1), "1969-12-31T23:59:59.999Z");
}

TEST(TimeFormatTest, ParsesWhatItFormats) {
  for (int64_t ms : {int64_t{0}, int64_t{1'770'638'400'123},
                     int64_t{951'782'400'000}, int64_t{253'402'300'799'999}}) {
    Result<int64_t> back = ParseRfc3339Millis(FormatRfc3339Millis(ms));
    ASSERT_TRUE(back.ok()) << back.status();
    EXPECT_EQ(*back, ms);
  }
}

TEST(TimeFormatTest, ParsesOffsetsAndFractions) {
  EXPECT_EQ(*ParseRfc3339Millis("2026-02-09T12:00:00Z"), 1'770'638'400'000);
  EXPECT_EQ(*ParseRfc3339Millis("2026-02-09T19:00:00+07:00"),
            1'770'638'400'000);
  EXPECT_EQ(*ParseRfc3339Millis("2026-02-09T12:00:00.1Z"), 1'770'638'400'100);
  EXPECT_EQ(*ParseRfc3339Millis("2026-02-09t12:00:00.123456z"),
            1'770'638'400'123);
}

TEST(TimeFormatTest, RejectsMalformedTimestamps) {
  for (const char* bad :
       {"", "2026-02-09", "2026-02-09 12:00:00Z", "2026-13-01T00:00:00Z",
        "2026-02-30T00:00:00Z", "2026-02-09T24:00:00Z", "2026-02-09T12:00:00",
        "2026-02-09T12:00:00.Z", "2026-02-09T12:00:00+7:00",
        "2026-02-09T12:00:00Zjunk", "abcd-02-09T12:00:00Z"}) {
    Result<int64_t> r = ParseRfc3339Millis(bad);
    EXPECT_FALSE(r.ok()) << bad;
    if (!r.ok()) {
      EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
      EXPECT_NE(r.status().message().find("bad timestamp"), std::string::npos);
    }
  }
}

}  // namespace
}  // namespace stockpile::core
