// Kafka transport publish throughput against librdkafka's MOCK cluster
// (in-process brokers on loopback: no disk, no replication, one process).
// It measures Stockpile's producer path — encoding, librdkafka batching,
// waiting for every delivery report — not what a real Kafka broker would
// sustain. Results and the command: BENCHMARKS.md, "Kafka transport".
#include <benchmark/benchmark.h>

#include <memory>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/event.h"
#include "core/uuid.h"
#include "transport/kafka_mock_cluster.h"
#include "transport/kafka_transport.h"

namespace stockpile::bench {
namespace {

// ~300-byte inventory events over 64 aggregates (so all partitions work).
std::vector<core::EventPtr> Events(size_t n) {
  core::ManualClock clock;
  core::UuidV7Generator ids(clock);
  std::vector<core::EventPtr> out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    std::string product = "product-" + std::to_string(i % 64);
    out.push_back(core::EventBuilder("inventory.stock.adjusted")
                      .Aggregate("inventory_position", product + "@main")
                      .Tenant("acme")
                      .Payload({{"productId", product},
                                {"locationId", "main"},
                                {"delta", -2},
                                {"onHand", 98}})
                      .Source("inventory")
                      .Build(ids, clock));
  }
  return out;
}

// Publish of a batch of state.range(0) events to a topic of state.range(1)
// partitions, waiting for confirmation.
void BM_KafkaMockPublish(benchmark::State& state) {
  auto cluster = transport::KafkaMockCluster::Start(1);
  if (!cluster.ok()) {
    state.SkipWithError(cluster.status().message().c_str());
    return;
  }
  if (auto s = (*cluster)->CreateTopic("inventory-events",
                                       static_cast<int>(state.range(1)));
      !s.ok()) {
    state.SkipWithError(s.message().c_str());
    return;
  }
  auto t = transport::MakeKafkaTransport({.url = (*cluster)->url()});
  if (!t.ok()) {
    state.SkipWithError(t.status().message().c_str());
    return;
  }
  std::vector<core::EventPtr> batch =
      Events(static_cast<size_t>(state.range(0)));
  for (auto _ : state) {
    transport::PublishResult r = (*t)->Publish(batch);
    if (!r.ok()) {
      state.SkipWithError(r.status.message().c_str());
      break;
    }
  }
  state.counters["events/s"] =
      benchmark::Counter(static_cast<double>(state.iterations() * batch.size()),
                         benchmark::Counter::kIsRate);
  t->reset();  // before the cluster it talks to
}
BENCHMARK(BM_KafkaMockPublish)
    ->ArgsProduct({{1, 100, 1000}, {1, 4}})
    ->ArgNames({"batch", "partitions"})
    ->UseRealTime();

}  // namespace
}  // namespace stockpile::bench

BENCHMARK_MAIN();
