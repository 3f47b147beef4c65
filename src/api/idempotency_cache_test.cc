#include "api/idempotency_cache.h"

#include <gtest/gtest.h>

namespace stockpile::api {
namespace {

using Outcome = IdempotencyCache::Outcome;

TEST(IdempotencyCacheTest, ReplaysTheStoredAnswerForTheSameRequest) {
  core::ManualClock clock;
  IdempotencyCache cache(clock);
  const std::string fp = RequestFingerprint("POST", "/api/v1/orders", "{}");
  EXPECT_EQ(cache.Begin("acme", "k", fp).outcome, Outcome::kNew);
  EXPECT_EQ(cache.Begin("acme", "k", fp).outcome, Outcome::kInProgress);
  cache.Finish("acme", "k", Response::Json(201, "{\"id\":1}"));
  IdempotencyCache::Lookup again = cache.Begin("acme", "k", fp);
  EXPECT_EQ(again.outcome, Outcome::kReplay);
  EXPECT_EQ(again.stored.status, 201);
  EXPECT_EQ(again.stored.body, "{\"id\":1}");
}

TEST(IdempotencyCacheTest, AnotherBodyWithTheSameKeyIsAMismatch) {
  core::ManualClock clock;
  IdempotencyCache cache(clock);
  ASSERT_EQ(
      cache.Begin("acme", "k", RequestFingerprint("POST", "/a", "1")).outcome,
      Outcome::kNew);
  cache.Finish("acme", "k", Response::NoContent());
  EXPECT_EQ(
      cache.Begin("acme", "k", RequestFingerprint("POST", "/a", "2")).outcome,
      Outcome::kMismatch);
  EXPECT_EQ(
      cache.Begin("acme", "k", RequestFingerprint("POST", "/b", "1")).outcome,
      Outcome::kMismatch);
}

TEST(IdempotencyCacheTest, KeysArePerTenant) {
  core::ManualClock clock;
  IdempotencyCache cache(clock);
  const std::string fp = RequestFingerprint("POST", "/a", "");
  ASSERT_EQ(cache.Begin("acme", "k", fp).outcome, Outcome::kNew);
  cache.Finish("acme", "k", Response::NoContent());
  EXPECT_EQ(cache.Begin("globex", "k", fp).outcome, Outcome::kNew);
}

TEST(IdempotencyCacheTest, AbandonedKeysRunAgain) {
  core::ManualClock clock;
  IdempotencyCache cache(clock);
  const std::string fp = RequestFingerprint("POST", "/a", "");
  ASSERT_EQ(cache.Begin("acme", "k", fp).outcome, Outcome::kNew);
  cache.Abandon("acme", "k");  // e.g. the handler answered 503
  EXPECT_EQ(cache.Begin("acme", "k", fp).outcome, Outcome::kNew);
}

TEST(IdempotencyCacheTest, KeysExpireAfterTheTtlAndTheOldestGoFirst) {
  core::ManualClock clock;
  IdempotencyCache cache(clock,
                         {.ttl = std::chrono::hours(24), .max_entries = 2});
  const std::string fp = RequestFingerprint("POST", "/a", "");
  for (const char* key : {"a", "b", "c"}) {
    ASSERT_EQ(cache.Begin("acme", key, fp).outcome, Outcome::kNew);
    cache.Finish("acme", key, Response::NoContent());
  }
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_EQ(cache.Begin("acme", "a", fp).outcome, Outcome::kNew);  // evicted
  cache.Abandon("acme", "a");
  EXPECT_EQ(cache.Begin("acme", "c", fp).outcome, Outcome::kReplay);
  clock.Advance(std::chrono::hours(25));
  EXPECT_EQ(cache.Begin("acme", "c", fp).outcome, Outcome::kNew);
}

// Large answers are bounded by bytes, not only by count: the oldest go
// first, the newest are still replayed.
TEST(IdempotencyCacheTest, StoredAnswersAreBoundedByBytes) {
  core::ManualClock clock;
  IdempotencyOptions options;
  options.max_bytes = 64 << 10;
  IdempotencyCache cache(clock, options);
  const std::string body(10 << 10, 'x');
  for (int i = 0; i < 100; ++i) {
    const std::string key = "k" + std::to_string(i);
    ASSERT_EQ(cache.Begin("acme", key, "fp").outcome, Outcome::kNew);
    cache.Finish("acme", key, Response::Json(201, body));
    EXPECT_LE(cache.bytes(), options.max_bytes);
  }
  EXPECT_LT(cache.size(), 7u);
  EXPECT_GT(cache.size(), 0u);
  EXPECT_EQ(cache.Begin("acme", "k99", "fp").outcome, Outcome::kReplay);
  EXPECT_EQ(cache.Begin("acme", "k0", "fp").outcome, Outcome::kNew);
  cache.Abandon("acme", "k0");
  EXPECT_LE(cache.bytes(), options.max_bytes);
}

}  // namespace
}  // namespace stockpile::api
