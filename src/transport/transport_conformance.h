// The conformance suite every Transport backend must pass (STYLE.md: one
// suite runs against every implementation). A backend provides a factory
// and instantiates the suite:
//
//   INSTANTIATE_TEST_SUITE_P(
//       InProcess, TransportConformanceTest,
//       testing::Values(TransportBackend{"in_process", [] {
//         return core::Result<std::unique_ptr<Transport>>(
//             MakeInProcessTransport());
//       }}),
//       TransportBackendName);
//
// and links the object library stockpile_transport_conformance. Each test
// opens a fresh transport whose queues and routing no other test sees
// (a broker-backed factory gives each transport its own exchange prefix).
//
// Thread-safety: test code.
#ifndef STOCKPILE_TRANSPORT_TRANSPORT_CONFORMANCE_H_
#define STOCKPILE_TRANSPORT_TRANSPORT_CONFORMANCE_H_

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/event.h"
#include "core/uuid.h"
#include "transport/transport.h"

namespace stockpile::transport {

struct TransportBackend {
  std::string name;
  std::function<core::Result<std::unique_ptr<Transport>>()> open;
};

std::string TransportBackendName(
    const testing::TestParamInfo<TransportBackend>& info);

// A generous bound for anything the tests wait for, never a threshold.
inline constexpr std::chrono::milliseconds kTransportTestWait{20000};

class TransportConformanceTest
    : public testing::TestWithParam<TransportBackend> {
 protected:
  void SetUp() override;

  // An event of `type` whose payload carries {"n": n}.
  core::EventPtr MakeEvent(const std::string& type, int n = 0);

  // Polls `sub` until `n` deliveries arrived (or kTransportTestWait passed;
  // then the test fails with what did arrive).
  std::vector<Delivery> Receive(Subscription& sub, size_t n);

  // Polls `sub` briefly and returns what arrived (expected: nothing).
  std::vector<Delivery> Drain(Subscription& sub);

  std::unique_ptr<Subscription> Open(const std::string& queue,
                                     uint32_t prefetch = 256);

  std::unique_ptr<Transport> transport_;

 private:
  core::ManualClock clock_;
  core::UuidV7Generator ids_{clock_};
};

}  // namespace stockpile::transport

#endif  // STOCKPILE_TRANSPORT_TRANSPORT_CONFORMANCE_H_
