#include "obs/callback_gate.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace stockpile::obs {
namespace {

TEST(CallbackGateTest, RunsUntilClosed) {
  CallbackGate gate;
  int runs = 0;
  EXPECT_TRUE(gate.RunIfOpen([&] { ++runs; }));
  gate.Close();
  EXPECT_FALSE(gate.RunIfOpen([&] { ++runs; }));
  EXPECT_EQ(runs, 1);
  gate.Close();  // idempotent
}

TEST(CallbackGateTest, CloseWaitsForTheRunningCallback) {
  CallbackGate gate;
  std::atomic<bool> started{false};
  std::atomic<bool> finished{false};
  std::thread runner([&] {
    gate.RunIfOpen([&] {
      started = true;
      // Stay inside until Close() has begun, so it really has to wait.
      while (!gate.closed()) std::this_thread::yield();
      finished = true;
    });
  });
  while (!started) std::this_thread::yield();
  gate.Close();
  EXPECT_TRUE(finished) << "Close returned while the callback was running";
  runner.join();
}

TEST(CallbackGateTest, RegistrationClosesOnDestructionAndMoveAssignment) {
  auto a = std::make_shared<CallbackGate>();
  auto b = std::make_shared<CallbackGate>();
  {
    CallbackRegistration r(a);
    EXPECT_TRUE(r.active());
    r = CallbackRegistration(b);
    EXPECT_TRUE(a->closed());
    EXPECT_FALSE(b->closed());
    CallbackRegistration moved = std::move(r);
    EXPECT_FALSE(b->closed());
  }
  EXPECT_TRUE(b->closed());
}

TEST(CallbackGateDeathTest, ClosingFromInsideTheCallbackAborts) {
  CallbackGate gate;
  EXPECT_DEATH(gate.RunIfOpen([&] { gate.Close(); }), "withdrew its own");
}

}  // namespace
}  // namespace stockpile::obs
