// RabbitMQ transport throughput (issue 7) through the public Transport API:
// persistent, confirmed ~390-byte envelopes of one event type, one durable
// topic exchange, one queue bound to that type. bench/peers/amqplib/bench.js
// runs the same scenario with amqplib; bench/run-transport runs both.
//
//   transport_bench [--url amqp://...] [--events N] [--batch B]
//                   [--publishers P] [--prefetch 500] [--mode e2e|publish]
//                   [--timeout SECONDS]
//
// --url defaults to $STOCKPILE_TEST_AMQP_URL. P threads call Publish with
// batches of B events (the outbox relay's page) until N are confirmed.
// e2e: a consumer thread Polls (at most 500, 50 ms) and Acks every delivery
// while they publish; the time runs from the first Publish to the Ack that
// completes the N distinct eventIds (or to the last confirm, if later).
// publish: the time runs until the last Publish returned ok; the queue is
// then drained (untimed) and checked too.
//
// Prints one JSON line:
//   {"impl":"stockpile","mode":"e2e","events":N,"seconds":..,
//    "events_per_s":..,"duplicates":..,"reconnects":..,...}
// (a lost connection is survived: the transport reconnects and resends what
// was unconfirmed, so the broker may then hold duplicates), and exits 1 on any
// error: a failed Publish, a missing or unexpected event, an unroutable one, or
// the --timeout (default 120 s) passing.
//
// Every run declares its topology under a fresh prefix "bench-<pid>-<ms>"
// (exchange, queue and its dead-letter queue), so earlier runs' queues are
// never bound to this run's exchange. The Transport API cannot delete them:
// each run leaves its (drained, empty) queues and exchanges on the broker
// until `scripts/services down`.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include "core/event.h"
#include "core/event_codec.h"
#include "core/result.h"
#include "core/status.h"
#include "core/status_macros.h"
#include "transport/rabbitmq_transport.h"
#include "transport/transport.h"
#include "transport_events.h"

namespace {

using namespace stockpile;
using SteadyClock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr std::string_view kQueue = "inventory";

struct Flags {
  std::string url;
  size_t events = 200000;
  size_t batch = 256;
  size_t publishers = 1;
  uint32_t prefetch = 500;
  std::string mode = "e2e";
  int timeout_s = 120;
};

template <typename T>
bool ParseNumber(std::string_view text, T& out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size() && out > 0;
}

bool ParseFlags(int argc, char** argv, Flags& f) {
  if (const char* url = std::getenv("STOCKPILE_TEST_AMQP_URL")) f.url = url;
  for (int i = 1; i < argc; i += 2) {
    std::string_view k = argv[i];
    if (i + 1 >= argc) {
      std::fprintf(stderr, "flag %s needs a value\n", argv[i]);
      return false;
    }
    std::string_view v = argv[i + 1];
    bool ok = true;
    if (k == "--url") {
      f.url = v;
    } else if (k == "--events") {
      ok = ParseNumber(v, f.events);
    } else if (k == "--batch") {
      ok = ParseNumber(v, f.batch);
    } else if (k == "--publishers") {
      ok = ParseNumber(v, f.publishers);
    } else if (k == "--prefetch") {
      ok = ParseNumber(v, f.prefetch);
    } else if (k == "--mode") {
      f.mode = v;
      ok = f.mode == "e2e" || f.mode == "publish";
    } else if (k == "--timeout") {
      ok = ParseNumber(v, f.timeout_s);
    } else {
      std::fprintf(stderr, "unknown flag %s\n", argv[i]);
      return false;
    }
    if (!ok) {
      std::fprintf(stderr, "bad value for %s: %s\n", argv[i], argv[i + 1]);
      return false;
    }
  }
  if (f.url.empty()) {
    std::fprintf(stderr,
                 "no broker: pass --url or set STOCKPILE_TEST_AMQP_URL "
                 "(eval \"$(scripts/services env)\")\n");
    return false;
  }
  return true;
}

// Which of the run's events arrived, by eventId. One consumer thread.
class Tally {
 public:
  // `events` must outlive the tally (it keeps views of their ids).
  explicit Tally(const std::vector<core::EventPtr>& events)
      : seen_(events.size(), false) {
    index_.reserve(events.size());
    for (size_t i = 0; i < events.size(); ++i) {
      index_.emplace(events[i]->event_id, i);
    }
  }

  void Add(const core::Event& e) {
    auto it = index_.find(e.event_id);
    if (it == index_.end()) {
      ++unexpected_;
    } else if (seen_[it->second]) {
      ++duplicates_;
    } else {
      seen_[it->second] = true;
      ++distinct_;
    }
  }

  bool complete() const { return distinct_ == seen_.size(); }
  size_t distinct() const { return distinct_; }
  size_t duplicates() const { return duplicates_; }
  size_t unexpected() const { return unexpected_; }

 private:
  std::unordered_map<std::string_view, size_t> index_;
  std::vector<bool> seen_;
  size_t distinct_ = 0;
  size_t duplicates_ = 0;
  size_t unexpected_ = 0;
};

// Polls and acks until every event arrived, or until `deadline` or `stop`.
core::Status Drain(transport::Subscription& sub, Tally& tally,
                   SteadyClock::time_point deadline,
                   const std::atomic<bool>& stop) {
  while (!tally.complete()) {
    if (stop.load()) return core::CancelledError("publishing failed");
    if (SteadyClock::now() > deadline) {
      return core::DeadlineExceededError("timed out with " +
                                         std::to_string(tally.distinct()) +
                                         " distinct events received");
    }
    auto ds = sub.Poll(500, milliseconds(50));
    if (!ds.ok()) return ds.status().WithContext("poll");
    for (const transport::Delivery& d : *ds) {
      tally.Add(*d.event);
      // FailedPrecondition: delivered on a connection since lost; the
      // broker delivers it again (then counted as a duplicate).
      core::Status acked = sub.Ack(d.tag);
      if (!acked.ok() &&
          acked.code() != core::StatusCode::kFailedPrecondition) {
        return acked.WithContext("ack");
      }
    }
  }
  if (tally.unexpected() > 0) {
    return core::InternalError(std::to_string(tally.unexpected()) +
                               " deliveries were not events of this run");
  }
  return core::Status::Ok();
}

// P threads publishing batches of B from `events` until all are confirmed,
// one Publish fails (the first failure is returned), `deadline` passes or
// `stop` is set (Cancelled).
core::Status PublishAll(transport::Transport& t,
                        const std::vector<core::EventPtr>& events,
                        const Flags& f, SteadyClock::time_point deadline,
                        const std::atomic<bool>& stop) {
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  std::mutex mu;
  core::Status first_error;  // guarded by mu
  auto fail = [&](const core::Status& why) {
    std::lock_guard lock(mu);
    if (!failed.exchange(true)) first_error = why;
  };
  auto publisher = [&] {
    while (!failed.load()) {
      if (stop.load()) return fail(core::CancelledError("consuming failed"));
      if (SteadyClock::now() > deadline) {
        return fail(core::DeadlineExceededError("timed out"));
      }
      size_t begin = next.fetch_add(f.batch);
      if (begin >= events.size()) return;
      size_t n = std::min(f.batch, events.size() - begin);
      transport::PublishResult r =
          t.Publish(std::span(events).subspan(begin, n));
      if (!r.ok()) return fail(r.status);
    }
  };
  std::vector<std::thread> threads;
  for (size_t i = 0; i < f.publishers; ++i) threads.emplace_back(publisher);
  for (std::thread& th : threads) th.join();
  return first_error.WithContext("publish");
}

core::Status WaitConnected(const transport::Transport& t,
                           SteadyClock::time_point deadline) {
  while (t.Stats().state != transport::ConnectionState::kConnected) {
    if (SteadyClock::now() > deadline) {
      return core::UnavailableError("publisher did not connect");
    }
    std::this_thread::sleep_for(milliseconds(5));
  }
  return core::Status::Ok();
}

struct Outcome {
  double seconds = 0;
  size_t duplicates = 0;
  uint64_t reconnects = 0;  // after a lost connection (then duplicates)
};

core::Result<Outcome> Run(const Flags& f,
                          const std::vector<core::EventPtr>& events) {
  const auto deadline = SteadyClock::now() + std::chrono::seconds(f.timeout_s);
  const std::string prefix =
      "bench-" + std::to_string(getpid()) + "-" +
      std::to_string(std::chrono::duration_cast<milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count());
  ASSIGN_OR_RETURN(std::unique_ptr<transport::Transport> t,
                   transport::MakeRabbitMqTransport(
                       {.url = f.url,
                        .prefix = prefix,
                        .publish_timeout = std::chrono::seconds(f.timeout_s)}));
  RETURN_IF_ERROR(t->DeclareTopology(
      {.queues = {{std::string(kQueue), {bench::kTransportEventType}}}}));
  RETURN_IF_ERROR(WaitConnected(*t, deadline));

  Tally tally(events);
  Outcome out;
  if (f.mode == "e2e") {
    ASSIGN_OR_RETURN(std::unique_ptr<transport::Subscription> sub,
                     t->Consume(kQueue, {.prefetch = f.prefetch}));
    const auto start = SteadyClock::now();
    core::Status consumed;
    SteadyClock::time_point acked_at;
    std::atomic<bool> publish_failed{false}, consume_failed{false};
    std::thread consumer([&] {
      consumed = Drain(*sub, tally, deadline, publish_failed);
      acked_at = SteadyClock::now();
      if (!consumed.ok()) consume_failed.store(true);
    });
    core::Status published =
        PublishAll(*t, events, f, deadline, consume_failed);
    const auto confirmed_at = SteadyClock::now();
    if (!published.ok()) publish_failed.store(true);
    consumer.join();
    out.seconds =
        std::chrono::duration<double>(std::max(acked_at, confirmed_at) - start)
            .count();
    RETURN_IF_ERROR(consumed.WithContext("consume"));
    RETURN_IF_ERROR(published);
  } else {
    const auto start = SteadyClock::now();
    std::atomic<bool> never{false};
    RETURN_IF_ERROR(PublishAll(*t, events, f, deadline, never));
    out.seconds =
        std::chrono::duration<double>(SteadyClock::now() - start).count();
    // Untimed: empty the queue, and check what it held.
    ASSIGN_OR_RETURN(std::unique_ptr<transport::Subscription> sub,
                     t->Consume(kQueue, {.prefetch = f.prefetch}));
    RETURN_IF_ERROR(Drain(*sub, tally, deadline, never).WithContext("drain"));
  }
  const transport::TransportStats stats = t->Stats();
  if (stats.returned > 0) {
    return core::InternalError(std::to_string(stats.returned) +
                               " events were unroutable");
  }
  out.duplicates = tally.duplicates();
  out.reconnects = stats.reconnects;
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  Flags f;
  if (!ParseFlags(argc, argv, f)) {
    std::fprintf(stderr,
                 "usage: transport_bench [--url amqp://...] [--events N] "
                 "[--batch B] [--publishers P] [--prefetch 500] "
                 "[--mode e2e|publish] [--timeout SECONDS]\n");
    return 2;
  }
  // The run's own deadlines bound every wait; this catches anything else.
  std::thread([limit = std::chrono::seconds(f.timeout_s + 30)] {
    std::this_thread::sleep_for(limit);
    std::fprintf(stderr, "transport_bench: still running after %llds\n",
                 static_cast<long long>(limit.count()));
    std::_Exit(1);
  }).detach();

  std::vector<core::EventPtr> events = bench::TransportEvents(f.events);
  core::Result<Outcome> r = Run(f, events);
  if (!r.ok()) {
    std::fprintf(stderr, "transport_bench (%s): %s\n", f.mode.c_str(),
                 r.status().ToString().c_str());
    return 1;
  }
  std::printf(
      "{\"impl\":\"stockpile\",\"mode\":\"%s\",\"events\":%zu,"
      "\"seconds\":%.3f,\"events_per_s\":%.1f,\"duplicates\":%zu,"
      "\"reconnects\":%llu,\"batch\":%zu,\"publishers\":%zu,\"prefetch\":%u,"
      "\"body_bytes\":%zu}\n",
      f.mode.c_str(), f.events, r->seconds, f.events / r->seconds,
      r->duplicates, static_cast<unsigned long long>(r->reconnects), f.batch,
      f.publishers, f.prefetch, core::EncodeEvent(*events.front()).size());
  return 0;
}
