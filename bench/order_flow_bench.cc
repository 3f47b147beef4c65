// Order flow benchmark (issue 5, "Benchmark"): orders fully settled per
// second in embedded mode without HTTP, and the time from command to
// confirmation.
//
//   SqliteEventStore (temp dir) + DomainServices (the saga on checkpointed
//   consumers); --products products with plenty of stock; --threads client
//   threads each calling OrderService::PlaceOrder with 1-3 random lines
//   until --orders orders were placed or --seconds passed. A store
//   subscription to order.confirmed / order.rejected stamps the moment each
//   order settles (the event is durable when delivered). By default a
//   client waits for its order to settle before placing the next one
//   (closed loop over the whole flow: --threads orders in flight); with
//   --pipeline 1 it places the next as soon as PlaceOrder answers, which
//   measures how far placing outruns the saga.
//
// Prints one line of key=value pairs: placed, confirmed, rejected,
// unsettled, settled_per_s (settled orders / time from the first command to
// the last settlement), place_per_s, and p50/p99 of PlaceOrder's answer
// ("ack") and of command -> settled ("settle"), in milliseconds.
//
//   order_flow_bench --dir /tmp/x [--orders 20000] [--seconds 20]
//                    [--threads 64] [--products 1000] [--workers 4]
//                    [--pipeline 0|1]
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "app/domain_services.h"
#include "core/clock.h"
#include "obs/health_registry.h"
#include "obs/logger.h"
#include "store/sqlite_event_store.h"

namespace {

using namespace stockpile;
using Clock = std::chrono::steady_clock;

constexpr std::string_view kTenant = "bench";
constexpr int64_t kUnset = -1;

struct Flags {
  std::string dir;
  int64_t orders = 20000;
  double seconds = 20;
  int threads = 64;
  int products = 1000;
  int workers = 4;
  bool pipeline = false;
};

// Lets a client thread sleep until one of its orders settles.
struct Waiter {
  std::mutex mu;
  std::condition_variable cv;
};

bool ParseFlags(int argc, char** argv, Flags& f) {
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string_view k = argv[i];
    const char* v = argv[i + 1];
    if (k == "--dir") {
      f.dir = v;
    } else if (k == "--orders") {
      f.orders = std::atoll(v);
    } else if (k == "--seconds") {
      f.seconds = std::atof(v);
    } else if (k == "--threads") {
      f.threads = std::atoi(v);
    } else if (k == "--products") {
      f.products = std::atoi(v);
    } else if (k == "--workers") {
      f.workers = std::atoi(v);
    } else if (k == "--pipeline") {
      f.pipeline = std::atoi(v) != 0;
    } else {
      std::fprintf(stderr, "unknown flag %s\n", argv[i]);
      return false;
    }
  }
  if (argc % 2 == 0) return false;
  return !f.dir.empty() && f.orders > 0 && f.threads > 0 && f.products > 0;
}

std::string ProductId(int i) { return "p-" + std::to_string(i); }

int64_t Nanos(Clock::time_point t, Clock::time_point origin) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t - origin)
      .count();
}

double Percentile(std::vector<int64_t>& ns, double p) {
  if (ns.empty()) return 0;
  size_t k = static_cast<size_t>(p * static_cast<double>(ns.size() - 1));
  std::nth_element(ns.begin(), ns.begin() + static_cast<ptrdiff_t>(k),
                   ns.end());
  return static_cast<double>(ns[k]) / 1e6;
}

// Runs `fn(i)` for i in [0, n) on `threads` threads; the first error wins.
template <typename Fn>
core::Status ParallelFor(int n, int threads, Fn fn) {
  std::atomic<int> next{0};
  std::atomic<bool> failed{false};
  core::Status first;
  std::mutex mu;
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&] {
      for (int i = next++; i < n && !failed; i = next++) {
        core::Status s = fn(i);
        if (!s.ok()) {
          std::lock_guard lock(mu);
          if (!failed.exchange(true)) first = s;
        }
      }
    });
  }
  for (std::thread& t : pool) t.join();
  return first;
}

int Run(const Flags& flags) {
  std::filesystem::create_directories(flags.dir);
  const std::string path = (std::filesystem::path(flags.dir) / "events.db");
  core::SystemClock clock;
  store::EventStoreOptions store_options;
  store_options.clock = &clock;
  auto store = store::SqliteEventStore::Open(path, std::move(store_options));
  if (!store.ok()) {
    std::fprintf(stderr, "open: %s\n", store.status().ToString().c_str());
    return 1;
  }
  obs::HealthRegistry health;
  auto services = app::DomainServices::Start(
      **store, clock, obs::Logger::Discard(), health,
      app::DomainServicesOptions{.workers = flags.workers});
  if (!services.ok()) {
    std::fprintf(stderr, "start: %s\n", services.status().ToString().c_str());
    return 1;
  }
  app::DomainServices& domain = **services;
  const domain::common::CommandContext ctx{
      .tenant = std::string(kTenant), .user_id = "bench", .correlation_id = ""};

  // Catalog and stock: enough that no order is ever short.
  const auto setup_start = Clock::now();
  core::Status setup =
      ParallelFor(flags.products, flags.threads, [&](int i) -> core::Status {
        auto p = domain.catalog().CreateProduct(
            ctx, {.id = ProductId(i),
                  .sku = "SKU-" + std::to_string(i),
                  .name = "Product " + std::to_string(i),
                  .price_minor = 100 + i});
        if (!p.ok()) return p.status();
        return domain.inventory()
            .Receive(ctx, {.product_id = ProductId(i), .quantity = 10000000})
            .status();
      });
  if (!setup.ok()) {
    std::fprintf(stderr, "setup: %s\n", setup.ToString().c_str());
    return 1;
  }
  std::fprintf(
      stderr, "setup: %d products with stock in %.1f s\n", flags.products,
      std::chrono::duration<double>(Clock::now() - setup_start).count());

  // Per order (index n, id "bo-<n>"): start, ack and settle times in ns
  // since `origin`; kUnset until known.
  const int64_t cap = flags.orders;
  auto start_ns = std::make_unique<std::atomic<int64_t>[]>(cap);
  auto ack_ns = std::make_unique<std::atomic<int64_t>[]>(cap);
  auto settle_ns = std::make_unique<std::atomic<int64_t>[]>(cap);
  for (int64_t i = 0; i < cap; ++i) {
    start_ns[i] = kUnset;
    ack_ns[i] = kUnset;
    settle_ns[i] = kUnset;
  }
  auto owner = std::make_unique<int[]>(cap);  // client thread of order n
  std::vector<Waiter> waiters(static_cast<size_t>(flags.threads));
  std::atomic<int64_t> confirmed{0}, rejected{0}, failed{0};
  const auto origin = Clock::now();

  auto head = (*store)->HeadPosition();
  if (!head.ok()) return 1;
  auto sub = (*store)->SubscribeAll(
      *head,
      store::ReadFilter::ForTenant(std::string(kTenant),
                                   {"order.confirmed", "order.rejected"}),
      [&](const core::EventPtr& e) -> core::Status {
        const auto now = Clock::now();
        const std::string& id = e->aggregate_id;
        if (id.rfind("bo-", 0) != 0) return core::Status();
        const int64_t n = std::atoll(id.c_str() + 3);
        if (n < 0 || n >= cap) return core::Status();
        int64_t expected = kUnset;
        if (settle_ns[n].compare_exchange_strong(expected,
                                                 Nanos(now, origin))) {
          (e->event_type == "order.confirmed" ? confirmed : rejected)++;
          Waiter& w = waiters[static_cast<size_t>(owner[n])];
          std::lock_guard lock(w.mu);
          w.cv.notify_one();
        }
        return core::Status();
      });
  if (!sub.ok()) {
    std::fprintf(stderr, "subscribe: %s\n", sub.status().ToString().c_str());
    return 1;
  }

  // Clients: one order in flight per thread (one PlaceOrder at a time with
  // --pipeline 1).
  std::atomic<int64_t> next{0};
  const auto deadline =
      origin + std::chrono::duration_cast<Clock::duration>(
                   std::chrono::duration<double>(flags.seconds));
  std::vector<std::thread> clients;
  for (int t = 0; t < flags.threads; ++t) {
    clients.emplace_back([&, t] {
      std::mt19937_64 rng(0x5eed + static_cast<uint64_t>(t));
      std::uniform_int_distribution<int> lines(1, 3);
      std::uniform_int_distribution<int> product(0, flags.products - 1);
      std::uniform_int_distribution<int> qty(1, 5);
      for (int64_t n = next++; n < cap && Clock::now() < deadline; n = next++) {
        domain::orders::NewOrder order{.id = "bo-" + std::to_string(n),
                                       .customer_id = "c-" + std::to_string(t)};
        const int k = lines(rng);
        for (int l = 0; l < k; ++l) {
          order.items.push_back(
              {.product_id = ProductId(product(rng)), .quantity = qty(rng)});
        }
        owner[n] = t;
        start_ns[n] = Nanos(Clock::now(), origin);
        auto placed = domain.orders().PlaceOrder(ctx, std::move(order));
        if (!placed.ok()) {
          if (failed++ == 0) {
            std::fprintf(stderr, "PlaceOrder: %s\n",
                         placed.status().ToString().c_str());
          }
          start_ns[n] = kUnset;
          continue;
        }
        ack_ns[n] = Nanos(Clock::now(), origin);
        if (flags.pipeline) continue;
        Waiter& w = waiters[static_cast<size_t>(t)];
        std::unique_lock lock(w.mu);
        w.cv.wait_for(lock, std::chrono::seconds(30),
                      [&] { return settle_ns[n] != kUnset; });
      }
    });
  }
  for (std::thread& c : clients) c.join();
  const auto placing_done = Clock::now();
  int64_t placed = 0;
  for (int64_t i = 0; i < cap; ++i) placed += ack_ns[i] != kUnset;

  // Wait for the saga to settle what was placed (bounded).
  const auto settle_deadline = Clock::now() + std::chrono::seconds(60);
  while (confirmed + rejected < placed && Clock::now() < settle_deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  (*sub)->Stop();
  domain.Stop();

  std::vector<int64_t> ack, settle;
  int64_t first_start = INT64_MAX, last_settle = 0;
  for (int64_t i = 0; i < cap; ++i) {
    if (ack_ns[i] == kUnset) continue;
    first_start = std::min<int64_t>(first_start, start_ns[i]);
    ack.push_back(ack_ns[i] - start_ns[i]);
    if (settle_ns[i] != kUnset) {
      settle.push_back(settle_ns[i] - start_ns[i]);
      last_settle = std::max<int64_t>(last_settle, settle_ns[i]);
    }
  }
  const int64_t settled = static_cast<int64_t>(settle.size());
  const double settle_window_s =
      settled > 0 ? static_cast<double>(last_settle - first_start) / 1e9 : 0;
  const double place_window_s =
      std::chrono::duration<double>(placing_done - origin).count();
  std::printf(
      "pipeline=%d threads=%d workers=%d products=%d placed=%lld "
      "confirmed=%lld "
      "rejected=%lld unsettled=%lld failed=%lld place_per_s=%.0f "
      "settled_per_s=%.0f ack_p50_ms=%.2f ack_p99_ms=%.2f "
      "settle_p50_ms=%.2f settle_p99_ms=%.2f\n",
      flags.pipeline ? 1 : 0, flags.threads, flags.workers, flags.products,
      static_cast<long long>(placed), static_cast<long long>(confirmed.load()),
      static_cast<long long>(rejected.load()),
      static_cast<long long>(placed - settled),
      static_cast<long long>(failed.load()),
      place_window_s > 0 ? static_cast<double>(placed) / place_window_s : 0,
      settle_window_s > 0 ? static_cast<double>(settled) / settle_window_s : 0,
      Percentile(ack, 0.5), Percentile(ack, 0.99), Percentile(settle, 0.5),
      Percentile(settle, 0.99));
  return placed == settled && failed == 0 ? 0 : 2;
}

}  // namespace

int main(int argc, char** argv) {
  Flags flags;
  if (!ParseFlags(argc, argv, flags)) {
    std::fprintf(stderr,
                 "usage: order_flow_bench --dir DIR [--orders N] [--seconds S]"
                 " [--threads T] [--products P] [--workers W]\n");
    return 64;
  }
  return Run(flags);
}
