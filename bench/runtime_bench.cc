// Consumer runtime benchmarks (issue 4):
//
//   runtime_bench overhead [--events N] [--workers W] [--batch B]
//     A Consumer with a no-op handler over an in-memory log of N events,
//     in-memory checkpoint/inbox/dead-letter stores: wall time from Start to
//     the checkpoint reaching the last event, per event. Everything the
//     runtime does per event is in it (dispatch, ordering, inbox check,
//     commit of inbox record + checkpoint), the handler is not. With
//     --batch B a no-op batch handler takes up to B events per commit.
//
//   runtime_bench rebuild [--events N] [--dir DIR]
//     A SQLite event store with N events (created once in DIR and reused),
//     then a full rebuild of a projection into a SQLite read model (one
//     upsert per event, per-aggregate rows): events per second; and, for
//     comparison, the store's ReadAll alone over the same log.
//
// Prints one line per run. Run by bench/run-runtime; results in
// BENCHMARKS.md.
#include <time.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/event.h"
#include "core/status_macros.h"
#include "core/uuid.h"
#include "runtime/consumer.h"
#include "runtime/in_memory_checkpoint_store.h"
#include "runtime/in_memory_dead_letter_store.h"
#include "runtime/in_memory_inbox_store.h"
#include "runtime/in_memory_transaction.h"
#include "runtime/projection_runner.h"
#include "runtime/store_event_source.h"
#include "store/in_memory_event_store.h"
#include "store/sqlite_event_store.h"

namespace {

using namespace stockpile;
using Steady = std::chrono::steady_clock;
namespace fs = std::filesystem;

double Seconds(Steady::duration d) {
  return std::chrono::duration<double>(d).count();
}

// CPU time of all threads of this process: the cost on a busy machine,
// where wall time mostly measures waiting for a core.
double ProcessCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + ts.tv_nsec * 1e-9;
}

[[noreturn]] void Die(const core::Status& status) {
  std::fprintf(stderr, "runtime_bench: %s\n", status.ToString().c_str());
  std::exit(1);
}

std::vector<core::Event> Batch(core::UuidV7Generator& ids,
                               const core::Clock& clock,
                               const std::string& stream, int n) {
  std::vector<core::Event> events;
  for (int i = 0; i < n; ++i) {
    events.push_back(core::EventBuilder("inventory.stock.adjusted")
                         .Aggregate("inventory_position", stream)
                         .Tenant("acme")
                         .Payload({{"productId", stream},
                                   {"locationId", "main"},
                                   {"delta", -2},
                                   {"onHand", i}})
                         .Source("bench")
                         .BuildValue(ids, clock));
  }
  return events;
}

// Appends `total` events in batches of 100 over 1000 streams.
void Fill(store::EventStore& store, int64_t total) {
  core::SystemClock clock;
  core::UuidV7Generator ids(clock);
  for (int64_t done = 0; done < total; done += 100) {
    const std::string stream = "p-" + std::to_string((done / 100) % 1000);
    auto r = store.Append("acme", stream, store::ExpectedVersion::Any(),
                          Batch(ids, clock, stream, 100));
    if (!r.ok()) Die(r.status());
  }
}

void Overhead(int64_t events, int workers, size_t batch) {
  auto store = store::MakeInMemoryEventStore();
  Fill(*store, events);
  core::SystemClock clock;
  runtime::StoreEventSource source(*store);
  runtime::InMemoryTransactionRunner runner;
  runtime::InMemoryCheckpointStore checkpoints;
  runtime::InMemoryInboxStore inbox;
  runtime::InMemoryDeadLetterStore dead_letters;
  runtime::ConsumerOptions options;
  options.name = "bench";
  options.workers = workers;
  if (batch > 0) {
    options.batch_handler = [](std::span<const core::EventPtr>,
                               runtime::HandlerContext&) {
      return runtime::HandlerOutcome::Ok();
    };
    options.batch.max_events = batch;
  } else {
    options.handler = [](const core::EventPtr&, runtime::HandlerContext&) {
      return runtime::HandlerOutcome::Ok();
    };
  }
  const auto start = Steady::now();
  const double cpu_start = ProcessCpuSeconds();
  auto consumer =
      runtime::Consumer::Start(options, {.source = &source,
                                         .transactions = &runner,
                                         .checkpoints = &checkpoints,
                                         .inbox = &inbox,
                                         .dead_letters = &dead_letters,
                                         .clock = &clock});
  if (!consumer.ok()) Die(consumer.status());
  if (!(*consumer)->WaitForCheckpoint(events, std::chrono::minutes(10))) {
    Die(core::InternalError("timed out"));
  }
  const double secs = Seconds(Steady::now() - start);
  const double cpu = ProcessCpuSeconds() - cpu_start;
  std::printf(
      "overhead workers=%d batch=%zu events=%lld: %.3f us/event wall"
      " (%.0f events/s), %.3f us/event cpu (all threads)\n",
      workers, batch, static_cast<long long>(events), secs * 1e6 / events,
      events / secs, cpu * 1e6 / events);
}

// One row per aggregate: how many adjustments and the last onHand.
class StockLevels final : public runtime::Projection {
 public:
  std::string_view name() const override { return "stock_levels"; }
  std::vector<std::string> type_patterns() const override {
    return {"inventory.stock.*"};
  }
  std::vector<std::string_view> Schema() const override {
    return {
        "CREATE TABLE levels (tenant TEXT NOT NULL, id TEXT NOT NULL,"
        " adjustments INTEGER NOT NULL, last_position INTEGER NOT NULL,"
        " PRIMARY KEY (tenant, id)) WITHOUT ROWID"};
  }
  core::Status Apply(const core::Event& e, runtime::ReadModelTx& tx) override {
    ASSIGN_OR_RETURN(auto st,
                     tx.Prepare("INSERT INTO levels (tenant, id, adjustments,"
                                " last_position) VALUES (?1, ?2, 1, ?3)"
                                " ON CONFLICT (tenant, id) DO UPDATE SET"
                                " adjustments = adjustments + 1,"
                                " last_position = excluded.last_position"));
    st.Bind(1, e.tenant_id).Bind(2, e.aggregate_id).Bind(3, e.position);
    return st.Run();
  }
};

void Rebuild(int64_t events, const fs::path& dir) {
  fs::create_directories(dir);
  const std::string log = (dir / ("log-" + std::to_string(events) + ".db"));
  const bool fresh = !fs::exists(log);
  auto store = store::SqliteEventStore::Open(log);
  if (!store.ok()) Die(store.status());
  if (fresh) {
    const auto start = Steady::now();
    Fill(**store, events);
    std::printf("filled %lld events in %.1f s\n",
                static_cast<long long>(events), Seconds(Steady::now() - start));
  }
  // The store's own read path over the same log, for comparison: a
  // rebuild cannot be faster than reading the log.
  {
    const auto start = Steady::now();
    int64_t after = 0;
    int64_t read = 0;
    while (true) {
      auto page = (*store)->ReadAll(
          after, 20000, store::ReadFilter::AllTenants({"inventory.stock.*"}));
      if (!page.ok()) Die(page.status());
      if (page->last_scanned_position <= after) break;
      read += static_cast<int64_t>(page->events.size());
      after = page->last_scanned_position;
    }
    const double secs = Seconds(Steady::now() - start);
    std::printf("read-only replay events=%lld: %.2f s, %.0f events/s\n",
                static_cast<long long>(read), secs, read / secs);
  }
  core::SystemClock clock;
  fs::remove_all(dir / "views");
  auto runner = runtime::ProjectionRunner::Open(
      std::make_unique<StockLevels>(), {.directory = dir / "views"},
      {.store = store->get(), .clock = &clock});
  if (!runner.ok()) Die(runner.status());
  const auto start = Steady::now();
  core::Status begun = (*runner)->BeginRebuild();
  if (!begun.ok()) Die(begun);
  while (true) {
    core::Result<bool> done = (*runner)->RebuildOnce();
    if (!done.ok()) Die(done.status());
    if (*done) break;
  }
  const double secs = Seconds(Steady::now() - start);
  std::printf("rebuild events=%lld: %.2f s, %.0f events/s\n",
              static_cast<long long>(events), secs, events / secs);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr,
                 "usage: runtime_bench overhead|rebuild [--events N]"
                 " [--workers W] [--batch B] [--dir DIR]\n");
    return 2;
  }
  const std::string_view mode = argv[1];
  int64_t events = mode == "overhead" ? 500000 : 1000000;
  int workers = 1;
  size_t batch = 0;
  fs::path dir = fs::temp_directory_path() / "stockpile-runtime-bench";
  for (int i = 2; i + 1 < argc; i += 2) {
    const std::string_view flag = argv[i];
    if (flag == "--events") events = std::atoll(argv[i + 1]);
    if (flag == "--workers") workers = std::atoi(argv[i + 1]);
    if (flag == "--batch") batch = std::strtoull(argv[i + 1], nullptr, 10);
    if (flag == "--dir") dir = argv[i + 1];
  }
  if (mode == "overhead") {
    Overhead(events, workers, batch);
  } else if (mode == "rebuild") {
    Rebuild(events, dir);
  } else {
    std::fprintf(stderr, "runtime_bench: unknown mode '%s'\n", argv[1]);
    return 2;
  }
  return 0;
}
