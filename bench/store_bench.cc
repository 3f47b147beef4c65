// Event store throughput on SQLite (issue 3), against a naive baseline of
// one INSERT + COMMIT per event on the same machine and file system.
//
//   store_bench [--seconds S] [--dir DIR] [--pg-url URL] [--only pg]
//
// PostgreSQL scenarios run when --pg-url or STOCKPILE_TEST_PG_URL is set.
//
// Prints one line per scenario: events/s, and ack latency p50/p99 where it
// applies. Run by bench/run-store; results in BENCHMARKS.md.
#include <libpq-fe.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "core/event.h"
#include "core/uuid.h"
#include "store/postgres_event_store.h"
#include "store/sqlite_event_store.h"

namespace {

using namespace stockpile;
using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

double Seconds(Clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

core::Event MakeEvent(core::UuidV7Generator& ids, const core::Clock& clock,
                      const std::string& stream, int64_t n) {
  return core::EventBuilder("inventory.stock.adjusted")
      .Aggregate("inventory_position", stream)
      .Tenant("acme")
      .Payload({{"productId", stream},
                {"locationId", "main"},
                {"delta", -2},
                {"onHand", n}})
      .Source("bench")
      .BuildValue(ids, clock);
}

// One INSERT + COMMIT per event, WAL + synchronous=FULL, one writer.
void NaiveBaseline(const fs::path& dir, double seconds) {
  sqlite3* db = nullptr;
  sqlite3_open((dir / "naive.db").c_str(), &db);
  sqlite3_exec(db,
               "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
               "CREATE TABLE events (position INTEGER PRIMARY KEY, "
               "event_id TEXT, body TEXT)",
               nullptr, nullptr, nullptr);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, "INSERT INTO events (event_id, body) VALUES (?1, ?2)",
                     -1, &st, nullptr);
  core::SystemClock clock;
  core::UuidV7Generator ids(clock);
  const std::string body(300, 'x');
  int64_t n = 0;
  const auto start = Clock::now();
  while (Seconds(Clock::now() - start) < seconds) {
    sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr);
    std::string id = ids.NextString();
    sqlite3_bind_text(st, 1, id.data(), static_cast<int>(id.size()),
                      SQLITE_STATIC);
    sqlite3_bind_text(st, 2, body.data(), static_cast<int>(body.size()),
                      SQLITE_STATIC);
    sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
    ++n;
  }
  const double rate = static_cast<double>(n) / Seconds(Clock::now() - start);
  sqlite3_finalize(st);
  sqlite3_close(db);
  std::printf("naive_insert_commit_per_event  %10.0f events/s\n", rate);
  std::fflush(stdout);
}

double Percentile(std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  size_t i = static_cast<size_t>(p * static_cast<double>(v.size() - 1));
  std::nth_element(v.begin(), v.begin() + static_cast<long>(i), v.end());
  return v[i];
}

// `writers` threads append batches of `batch` events for `seconds`.
void Appends(store::EventStore& s, const char* name, int writers, int batch,
             double seconds) {
  core::SystemClock clock;
  core::UuidV7Generator ids(clock);
  std::atomic<int64_t> events{0};
  std::mutex mu;
  std::vector<double> latencies_ms;
  std::vector<std::thread> threads;
  const auto start = Clock::now();
  for (int w = 0; w < writers; ++w) {
    threads.emplace_back([&, w] {
      const std::string stream = std::string(name) + "-" + std::to_string(w);
      std::vector<double> mine;
      for (int64_t n = 0; Seconds(Clock::now() - start) < seconds; ++n) {
        std::vector<core::Event> b;
        for (int i = 0; i < batch; ++i) {
          b.push_back(MakeEvent(ids, clock, stream, n));
        }
        const auto t0 = Clock::now();
        auto r = s.Append("acme", stream, store::ExpectedVersion::Any(),
                          std::move(b));
        mine.push_back(Seconds(Clock::now() - t0) * 1000);
        if (!r.ok()) {
          std::fprintf(stderr, "append: %s\n", r.status().ToString().c_str());
          std::exit(1);
        }
        events += batch;
      }
      std::lock_guard<std::mutex> lock(mu);
      latencies_ms.insert(latencies_ms.end(), mine.begin(), mine.end());
    });
  }
  for (auto& t : threads) t.join();
  const double rate =
      static_cast<double>(events.load()) / Seconds(Clock::now() - start);
  std::printf("%-30s %10.0f events/s  ack p50 %.3f ms  p99 %.3f ms\n", name,
              rate, Percentile(latencies_ms, 0.50),
              Percentile(latencies_ms, 0.99));
  std::fflush(stdout);
}

void Replay(store::EventStore& s) {
  const int64_t head = *s.HeadPosition();
  auto start = Clock::now();
  int64_t after = 0, n = 0;
  while (after < head) {
    auto page = s.ReadAll(after, 4096, store::ReadFilter::AllTenants());
    if (!page.ok() || page->events.empty()) break;
    n += static_cast<int64_t>(page->events.size());
    after = page->last_scanned_position;
  }
  std::printf("%-30s %10.0f events/s  (%lld events)\n", "read_all",
              static_cast<double>(n) / Seconds(Clock::now() - start),
              static_cast<long long>(n));

  std::atomic<int64_t> seen{0};
  start = Clock::now();
  auto sub = s.SubscribeAll(0, store::ReadFilter::AllTenants(),
                            [&](const core::EventPtr&) {
                              seen.fetch_add(1, std::memory_order_relaxed);
                              return core::Status::Ok();
                            });
  (*sub)->WaitFor(head, std::chrono::minutes(5));
  const double secs = Seconds(Clock::now() - start);
  (*sub)->Stop();
  std::printf("%-30s %10.0f events/s  (%lld events)\n", "catch_up_subscription",
              static_cast<double>(seen.load()) / secs,
              static_cast<long long>(seen.load()));
  std::fflush(stdout);
}

// PostgreSQL: one INSERT + COMMIT per event on each of `writers`
// connections (the server's own WAL group commit still helps them).
void NaivePostgres(const std::string& url, int writers, double seconds) {
  PGconn* setup = PQconnectdb(url.c_str());
  PQclear(PQexec(setup,
                 "SET client_min_messages = warning; "
                 "DROP TABLE IF EXISTS naive; CREATE TABLE naive "
                 "(position bigserial PRIMARY KEY, event_id uuid, "
                 "body json)"));
  PQfinish(setup);
  std::atomic<int64_t> n{0};
  std::vector<std::thread> threads;
  const auto start = Clock::now();
  for (int w = 0; w < writers; ++w) {
    threads.emplace_back([&] {
      PGconn* c = PQconnectdb(url.c_str());
      PQclear(PQprepare(c, "ins",
                        "INSERT INTO naive (event_id, body) "
                        "VALUES ($1, $2)",
                        0, nullptr));
      core::SystemClock clock;
      core::UuidV7Generator ids(clock);
      const std::string body = "{\"x\":\"" + std::string(300, 'x') + "\"}";
      while (Seconds(Clock::now() - start) < seconds) {
        std::string id = ids.NextString();
        const char* values[2] = {id.c_str(), body.c_str()};
        PQclear(PQexec(c, "BEGIN"));
        PQclear(PQexecPrepared(c, "ins", 2, values, nullptr, nullptr, 0));
        PQclear(PQexec(c, "COMMIT"));
        ++n;
      }
      PQfinish(c);
    });
  }
  for (auto& t : threads) t.join();
  std::printf("pg_naive_insert_commit_%d_conn %10.0f events/s\n", writers,
              static_cast<double>(n.load()) / Seconds(Clock::now() - start));
  std::fflush(stdout);
}

// --pg-url, else STOCKPILE_TEST_PG_URL; each run in a fresh schema.
int PostgresScenarios(std::string url, double seconds) {
  const std::string schema = "bench_" + std::to_string(::getpid());
  PGconn* admin = PQconnectdb(url.c_str());
  PQclear(PQexec(admin, ("CREATE SCHEMA " + schema).c_str()));
  url += (url.find('?') == std::string::npos ? "?" : "&") +
         std::string("options=-csearch_path%3D") + schema;
  NaivePostgres(url, 1, seconds);
  NaivePostgres(url, 64, seconds);
  {
    auto s = store::MakePostgresEventStore(url);
    if (!s.ok()) {
      std::fprintf(stderr, "pg open: %s\n", s.status().ToString().c_str());
      return 1;
    }
    Appends(**s, "pg_64_writers_single", 64, 1, seconds);
    Appends(**s, "pg_4_writers_batch_100", 4, 100, seconds);
    Replay(**s);
  }
  PQclear(PQexec(admin, ("SET client_min_messages = warning; DROP SCHEMA " +
                         schema + " CASCADE")
                            .c_str()));
  PQfinish(admin);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  double seconds = 3;
  fs::path dir = fs::temp_directory_path() / "stockpile-store-bench";
  std::string pg_url;    // PostgreSQL scenarios run when set
  bool only_pg = false;  // --only pg: skip the SQLite scenarios
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--seconds") seconds = std::atof(argv[i + 1]);
    if (flag == "--dir") dir = argv[i + 1];
    if (flag == "--pg-url") pg_url = argv[i + 1];
    if (flag == "--only") only_pg = std::string(argv[i + 1]) == "pg";
  }
  if (pg_url.empty() && std::getenv("STOCKPILE_TEST_PG_URL")) {
    pg_url = std::getenv("STOCKPILE_TEST_PG_URL");
  }
  if (only_pg) return PostgresScenarios(pg_url, seconds);
  fs::remove_all(dir);
  fs::create_directories(dir);
  NaiveBaseline(dir, seconds);
  {
    auto s = store::SqliteEventStore::Open((dir / "store.db").string());
    if (!s.ok()) {
      std::fprintf(stderr, "open: %s\n", s.status().ToString().c_str());
      return 1;
    }
    Appends(**s, "sqlite_64_writers_single", 64, 1, seconds);
    Appends(**s, "sqlite_4_writers_batch_100", 4, 100, seconds);
    Replay(**s);
  }
  fs::remove_all(dir);
  if (!pg_url.empty()) return PostgresScenarios(pg_url, seconds);
}
