#include "core/uuid.h"

#include <gtest/gtest.h>

#include <set>
#include <thread>
#include <vector>

namespace stockpile::core {
namespace {

TEST(UuidTest, ParsesAndFormatsCanonically) {
  Result<Uuid> u = Uuid::Parse("0193A5C2-7B1E-7C3D-8E4F-5A6B7C8D9E0F");
  ASSERT_TRUE(u.ok()) << u.status();
  EXPECT_EQ(u->ToString(), "0193a5c2-7b1e-7c3d-8e4f-5a6b7c8d9e0f");
  EXPECT_EQ(u->version(), 7);
}

TEST(UuidTest, RejectsMalformedText) {
  for (const char* bad :
       {"", "event-uuid", "0193a5c2-7b1e-7c3d-8e4f-5a6b7c8d9e0",
        "0193a5c2_7b1e-7c3d-8e4f-5a6b7c8d9e0f",
        "0193a5c2-7b1e-7c3d-8e4f-5a6b7c8d9e0g"}) {
    EXPECT_FALSE(Uuid::Parse(bad).ok()) << bad;
    EXPECT_FALSE(IsUuid(bad)) << bad;
  }
}

TEST(UuidTest, NameBasedIsStable) {
  Uuid a = Uuid::FromName("pos", "sale-1");
  EXPECT_EQ(a, Uuid::FromName("pos", "sale-1"));
  EXPECT_NE(a, Uuid::FromName("pos", "sale-2"));
  EXPECT_NE(a, Uuid::FromName("wms", "sale-1"));
  EXPECT_EQ(a.version(), 8);
}

TEST(UuidV7GeneratorTest, EmbedsTimestampAndVersion) {
  ManualClock clock;
  UuidV7Generator gen(clock);
  Uuid u = gen.Next();
  EXPECT_EQ(u.version(), 7);
  EXPECT_EQ(u.bytes[8] >> 6, 0b10);  // RFC variant
  uint64_t ms = 0;
  for (int i = 0; i < 6; ++i) ms = ms << 8 | u.bytes[static_cast<size_t>(i)];
  EXPECT_EQ(static_cast<int64_t>(ms), clock.NowMillis());
}

TEST(UuidV7GeneratorTest, MonotonicWithinOneMillisecondAndBackwardsClock) {
  ManualClock clock;
  UuidV7Generator gen(clock);
  std::string prev = gen.NextString();
  for (int i = 0; i < 100000; ++i) {
    if (i == 50000) clock.Advance(std::chrono::milliseconds(-5));
    std::string next = gen.NextString();
    ASSERT_LT(prev, next) << "at " << i;
    prev = next;
  }
}

TEST(UuidV7GeneratorTest, UniqueAcrossThreads) {
  SystemClock clock;
  UuidV7Generator gen(clock);
  std::vector<std::vector<std::string>> per_thread(4);
  std::vector<std::thread> threads;
  for (auto& out : per_thread) {
    threads.emplace_back([&gen, &out] {
      for (int i = 0; i < 20000; ++i) out.push_back(gen.NextString());
    });
  }
  for (auto& t : threads) t.join();
  std::set<std::string> all;
  for (auto& v : per_thread) {
    for (size_t i = 1; i < v.size(); ++i) ASSERT_LT(v[i - 1], v[i]);
    all.insert(v.begin(), v.end());
  }
  EXPECT_EQ(all.size(), 80000u);
}

}  // namespace
}  // namespace stockpile::core
