#include "transport/in_process_transport.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "transport/transport_conformance.h"

namespace stockpile::transport {
namespace {

INSTANTIATE_TEST_SUITE_P(InProcess, TransportConformanceTest,
                         testing::Values(TransportBackend{
                             "in_process",
                             [] {
                               return core::Result<std::unique_ptr<Transport>>(
                                   MakeInProcessTransport());
                             }}),
                         TransportBackendName);

TEST(InProcessTransportTest, CloseWakesAPollingConsumer) {
  auto transport = MakeInProcessTransport();
  ASSERT_TRUE(transport->DeclareTopology({.queues = {{"q", {"#"}}}}).ok());
  auto sub = transport->Consume("q", {});
  ASSERT_TRUE(sub.ok());
  std::thread closer([&] { transport->Close(); });
  // Bounded by the poll timeout even if Close never woke it.
  auto r = (*sub)->Poll(1, std::chrono::seconds(20));
  closer.join();
  // Either Close ran first or it woke the poll: both report Unavailable.
  EXPECT_EQ(r.status().code(), core::StatusCode::kUnavailable);
  EXPECT_EQ(transport->Stats().state, ConnectionState::kClosed);
}

}  // namespace
}  // namespace stockpile::transport
