// Kafka transport publish throughput against librdkafka's MOCK cluster
// (in-process brokers on loopback: no disk, no replication, one process).
// It measures Stockpile's producer path — encoding, librdkafka batching,
// waiting for every delivery report — not what a real Kafka broker would
// sustain. Results and the command: BENCHMARKS.md, "Kafka transport".
#include <benchmark/benchmark.h>

#include <memory>
#include <vector>

#include "core/event.h"
#include "transport/kafka_mock_cluster.h"
#include "transport/kafka_transport.h"
#include "transport_events.h"

namespace stockpile::bench {
namespace {

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
      TransportEvents(static_cast<size_t>(state.range(0)));
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
