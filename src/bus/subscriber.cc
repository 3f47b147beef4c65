#include "bus/subscriber.h"

#include <utility>

#include "bus/fast_hash.h"
#include "bus/handler_scope.h"
#include "core/check.h"

namespace stockpile::bus::internal {

Subscriber::Subscriber(std::vector<std::string> patterns, Handler handler,
                       SubscribeOptions options)
    : patterns_(std::move(patterns)),
      handler_(std::move(handler)),
      options_(std::move(options)),
      async_(options_.dispatch == Dispatch::kAsync),
      counters_(
          new Counters[kReaderShards + 1 + (async_ ? options_.workers : 0)]) {
  CHECK(handler_ != nullptr);
  if (async_) {
    CHECK(options_.workers >= 1 && options_.queue_capacity >= 1);
    for (size_t i = 0; i < options_.workers; ++i) {
      shards_.push_back(std::make_unique<AsyncShard>(options_.queue_capacity,
                                                     options_.backpressure));
    }
  }
}

Subscriber::~Subscriber() {
  // Shards CHECK that Join ran; a subscriber is always closed and joined by
  // the bus before its last owner lets go.
}

void Subscriber::StartWorkers() {
  for (size_t i = 0; i < shards_.size(); ++i) {
    // Each shard has one worker thread, the only one counting in its shard.
    Counters* counters = &counters_[kReaderShards + 1 + i];
    // The worker owns a reference, so a detached worker never outlives us.
    shards_[i]->Start(
        [self = shared_from_this(), counters](const core::EventPtr& event) {
          // The shard stops handing out events once closed, and counts
          // those it never hands out as dropped; every event here counts.
          self->InvokeUnchecked(EventRef(event), *counters, true);
        });
  }
}

bool Subscriber::Enqueue(const core::EventPtr& event) {
  size_t shard =
      shards_.size() == 1 ? 0 : FastHash(event->aggregate_id) % shards_.size();
  return shards_[shard]->Push(event);
}

void Subscriber::InvokeUnchecked(const EventRef& event, Counters& counters,
                                 bool exclusive) {
  bool ok = false;
  try {
    ok = handler_(event).ok();
  } catch (...) {
    // A throwing handler is a failed delivery like any other; it must not
    // unwind into the publisher or a worker.
    ok = false;
  }
  std::atomic<uint64_t>& n = ok ? counters.delivered : counters.failed;
  if (exclusive) {
    // Single writer: a plain load and store cannot lose an increment.
    n.store(n.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  } else {
    n.fetch_add(1, std::memory_order_relaxed);
  }
}

void Subscriber::Close() {
  closed_.store(true, std::memory_order_relaxed);
  for (auto& shard : shards_) shard->Close();
}

void Subscriber::Join() {
  std::lock_guard<std::mutex> lock(join_mu_);
  bool detach = InsideHandler();
  for (auto& shard : shards_) {
    if (detach) {
      shard->Detach();
    } else {
      shard->Join();
    }
  }
}

void Subscriber::Flush() {
  for (auto& shard : shards_) shard->WaitIdle();
}

SubscriptionStats Subscriber::Stats() const {
  SubscriptionStats s;
  size_t n = kReaderShards + 1 + (async_ ? options_.workers : 0);
  for (size_t i = 0; i < n; ++i) {
    s.delivered += counters_[i].delivered.load(std::memory_order_relaxed);
    s.failed += counters_[i].failed.load(std::memory_order_relaxed);
  }
  for (const auto& shard : shards_) {
    s.dropped += shard->dropped();
    s.queue_depth += shard->depth();
  }
  return s;
}

}  // namespace stockpile::bus::internal
