// Codec benchmarks (issue 2, "Benchmarks"): encode and decode events/s for
// a ~300-byte event. Results and the command: BENCHMARKS.md, "Codec".
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <iostream>
#include <string>

#include "core/clock.h"
#include "core/event.h"
#include "core/event_codec.h"
#include "core/uuid.h"

namespace stockpile::bench {
namespace {

// A typical stored event: full envelope, a 4-field payload, two metadata
// fields. Its JSON is about 300 bytes (reported as the bytes counter).
core::EventPtr TypicalEvent() {
  core::ManualClock clock;
  core::UuidV7Generator ids(clock);
  core::Event e = core::EventBuilder("inventory.stock.adjusted")
                      .Aggregate("inventory_position", "product-001@main")
                      .Tenant("acme")
                      .Payload({{"productId", "product-001"},
                                {"locationId", "main"},
                                {"delta", -2},
                                {"onHand", 98}})
                      .Source("inventory")
                      .BuildValue(ids, clock);
  e.stream_version = 42;
  e.position = 1234567;
  return std::make_shared<const core::Event>(std::move(e));
}

void SetCounters(benchmark::State& state, size_t bytes) {
  state.counters["events/s"] = benchmark::Counter(
      static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["bytes"] = static_cast<double>(bytes);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
}

void BM_Encode(benchmark::State& state) {
  core::EventPtr event = TypicalEvent();
  std::string out;
  for (auto _ : state) {
    out.clear();
    core::AppendEncodedEvent(*event, out);
    benchmark::DoNotOptimize(out.data());
  }
  SetCounters(state, out.size());
}
BENCHMARK(BM_Encode);

// The free function: a fresh parser per call.
void BM_Decode(benchmark::State& state) {
  std::string text = core::EncodeEvent(*TypicalEvent());
  for (auto _ : state) {
    core::Result<core::EventPtr> e = core::DecodeEvent(text);
    if (!e.ok()) {
      std::cerr << e.status() << "\n";
      std::abort();
    }
    benchmark::DoNotOptimize(e);
  }
  SetCounters(state, text.size());
}
BENCHMARK(BM_Decode);

// EventDecoder keeps its parser buffers between calls (the store's and the
// transport's read path).
void BM_DecodeReusedDecoder(benchmark::State& state) {
  std::string text = core::EncodeEvent(*TypicalEvent());
  core::EventDecoder decoder;
  for (auto _ : state) {
    core::Result<core::EventPtr> e = decoder.Decode(text);
    if (!e.ok()) {
      std::cerr << e.status() << "\n";
      std::abort();
    }
    benchmark::DoNotOptimize(e);
  }
  SetCounters(state, text.size());
}
BENCHMARK(BM_DecodeReusedDecoder);

}  // namespace
}  // namespace stockpile::bench

BENCHMARK_MAIN();
