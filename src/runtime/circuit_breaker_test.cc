#include "runtime/circuit_breaker.h"

#include <gtest/gtest.h>

namespace stockpile::runtime {
namespace {

using Permit = CircuitBreaker::Permit;

CircuitBreaker Breaker(int threshold, int cool_down_ms = 1000) {
  return CircuitBreaker({.failure_threshold = threshold,
                         .cool_down = std::chrono::milliseconds(cool_down_ms)});
}

TEST(CircuitBreakerTest, OpensAfterThresholdConsecutiveFailures) {
  CircuitBreaker breaker = Breaker(3);
  for (int i = 0; i < 2; ++i) breaker.Record(breaker.Acquire(0), false, 0);
  EXPECT_EQ(breaker.state(), CircuitState::kClosed);
  breaker.Record(breaker.Acquire(10), false, 10);
  EXPECT_EQ(breaker.state(), CircuitState::kOpen);
  EXPECT_EQ(breaker.opens(), 1);
  EXPECT_EQ(breaker.open_until_ms(), 1010);
  EXPECT_EQ(breaker.Acquire(1009), Permit::kDenied);
}

TEST(CircuitBreakerTest, ASuccessResetsTheCount) {
  CircuitBreaker breaker = Breaker(2);
  breaker.Record(breaker.Acquire(0), false, 0);
  breaker.Record(breaker.Acquire(0), true, 0);
  breaker.Record(breaker.Acquire(0), false, 0);
  EXPECT_EQ(breaker.state(), CircuitState::kClosed);
  breaker.Record(breaker.Acquire(0), false, 0);
  EXPECT_EQ(breaker.state(), CircuitState::kOpen);
}

TEST(CircuitBreakerTest, AfterTheCoolDownOneProbeDecides) {
  CircuitBreaker breaker = Breaker(1);
  breaker.Record(breaker.Acquire(0), false, 0);
  const Permit probe = breaker.Acquire(1000);
  EXPECT_EQ(probe, Permit::kProbe);
  EXPECT_EQ(breaker.state(), CircuitState::kHalfOpen);
  EXPECT_EQ(breaker.Acquire(1000), Permit::kDenied);  // one probe at a time
  breaker.Record(probe, false, 1500);
  EXPECT_EQ(breaker.state(), CircuitState::kOpen);
  EXPECT_EQ(breaker.opens(), 2);
  EXPECT_EQ(breaker.open_until_ms(), 2500);

  const Permit second = breaker.Acquire(2500);
  ASSERT_EQ(second, Permit::kProbe);
  breaker.Record(second, true, 2600);
  EXPECT_EQ(breaker.state(), CircuitState::kClosed);
  EXPECT_EQ(breaker.Acquire(2600), Permit::kNormal);
}

TEST(CircuitBreakerTest, AReleasedProbeLetsTheNextDeliveryProbe) {
  CircuitBreaker breaker = Breaker(1);
  breaker.Record(breaker.Acquire(0), false, 0);
  const Permit probe = breaker.Acquire(1000);
  breaker.Release(probe);
  EXPECT_EQ(breaker.state(), CircuitState::kHalfOpen);
  EXPECT_EQ(breaker.Acquire(1000), Permit::kProbe);
}

TEST(CircuitBreakerTest, LateOutcomesDoNotMoveAnOpenBreaker) {
  CircuitBreaker breaker = Breaker(1);
  const Permit slow = breaker.Acquire(0);  // started while closed
  breaker.Record(breaker.Acquire(0), false, 0);
  breaker.Record(slow, true, 10);
  EXPECT_EQ(breaker.state(), CircuitState::kOpen);
  breaker.Record(slow, false, 20);
  EXPECT_EQ(breaker.open_until_ms(), 1000);
  EXPECT_EQ(breaker.opens(), 1);
}

TEST(CircuitBreakerTest, ThresholdZeroIsOff) {
  CircuitBreaker breaker = Breaker(0);
  for (int i = 0; i < 100; ++i) {
    ASSERT_EQ(breaker.Acquire(0), Permit::kNormal);
    breaker.Record(Permit::kNormal, false, 0);
  }
  EXPECT_EQ(breaker.state(), CircuitState::kClosed);
  EXPECT_EQ(breaker.opens(), 0);
}

TEST(CircuitBreakerTest, RejectsNegativeOptions) {
  EXPECT_FALSE(CircuitBreakerOptions{.failure_threshold = -1}.Validate().ok());
  EXPECT_FALSE(CircuitBreakerOptions{.cool_down = std::chrono::milliseconds(-1)}
                   .Validate()
                   .ok());
  EXPECT_TRUE(CircuitBreakerOptions{}.Validate().ok());
}

}  // namespace
}  // namespace stockpile::runtime
