#include "runtime/retry_policy.h"

#include <gtest/gtest.h>

#include <chrono>
#include <vector>

#include "runtime/handler_outcome.h"

namespace stockpile::runtime {
namespace {

using std::chrono::milliseconds;

TEST(RetryPolicyTest, DefaultsFollowTheDesign) {
  RetryPolicy policy;
  EXPECT_EQ(policy.max_attempts, 5);
  EXPECT_EQ(policy.base_delay, milliseconds(1000));
  EXPECT_EQ(policy.multiplier, 2.0);
  EXPECT_EQ(policy.max_delay, milliseconds(30000));
  EXPECT_TRUE(policy.Validate().ok());
}

TEST(RetryPolicyTest, CeilingGrowsExponentiallyUpToTheCap) {
  RetryPolicy policy;
  EXPECT_EQ(policy.Ceiling(2), milliseconds(1000));
  EXPECT_EQ(policy.Ceiling(3), milliseconds(2000));
  EXPECT_EQ(policy.Ceiling(4), milliseconds(4000));
  EXPECT_EQ(policy.Ceiling(6), milliseconds(16000));
  EXPECT_EQ(policy.Ceiling(7), milliseconds(30000));
  EXPECT_EQ(policy.Ceiling(500), milliseconds(30000));
}

TEST(RetryPolicyTest, FullJitterScalesTheCeiling) {
  RetryPolicy policy;
  FixedJitter half(0.5);
  EXPECT_EQ(policy.DelayBefore(2, half), milliseconds(500));
  EXPECT_EQ(policy.DelayBefore(4, half), milliseconds(2000));
  FixedJitter zero(0.0);
  EXPECT_EQ(policy.DelayBefore(4, zero), milliseconds(0));
}

TEST(RetryPolicyTest, SeededJitterIsReproducibleAndWithinBounds) {
  RetryPolicy policy;
  SeededJitter a(7);
  SeededJitter b(7);
  std::vector<milliseconds> first;
  for (int attempt = 2; attempt <= 20; ++attempt) {
    milliseconds d = policy.DelayBefore(attempt, a);
    EXPECT_GE(d.count(), 0);
    EXPECT_LE(d, policy.Ceiling(attempt));
    first.push_back(d);
  }
  for (int attempt = 2; attempt <= 20; ++attempt) {
    EXPECT_EQ(policy.DelayBefore(attempt, b), first[attempt - 2]);
  }
}

TEST(RetryPolicyTest, ShouldRetryCountsTheFirstAttempt) {
  RetryPolicy policy;
  policy.max_attempts = 3;
  EXPECT_TRUE(policy.ShouldRetry(1));
  EXPECT_TRUE(policy.ShouldRetry(2));
  EXPECT_FALSE(policy.ShouldRetry(3));
  policy.max_attempts = 1;
  EXPECT_FALSE(policy.ShouldRetry(1));
}

TEST(RetryPolicyTest, ValidateRejectsNonsense) {
  RetryPolicy p;
  p.max_attempts = 0;
  EXPECT_EQ(p.Validate().code(), core::StatusCode::kInvalidArgument);
  p = RetryPolicy{};
  p.multiplier = 0.5;
  EXPECT_EQ(p.Validate().code(), core::StatusCode::kInvalidArgument);
  p = RetryPolicy{};
  p.max_delay = milliseconds(10);
  EXPECT_EQ(p.Validate().code(), core::StatusCode::kInvalidArgument);
}

TEST(HandlerOutcomeTest, KindsCarryTheirError) {
  EXPECT_TRUE(HandlerOutcome::Ok().ok());
  HandlerOutcome r = HandlerOutcome::Retryable("503");
  EXPECT_EQ(r.kind(), HandlerOutcome::Kind::kRetryable);
  EXPECT_EQ(r.error(), "503");
  EXPECT_EQ(HandlerOutcome::Permanent("bad").kind(),
            HandlerOutcome::Kind::kPermanent);
}

}  // namespace
}  // namespace stockpile::runtime
