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
      async_(options_.dispatch == Dispatch::kAsync) {
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
  for (auto& shard : shards_) {
    // The worker owns a reference, so a detached worker never outlives us.
    shard->Start([self = shared_from_this()](const core::EventPtr& event) {
      // The shard stops handing out events once closed, and counts those
      // it never hands out as dropped; every event reaching here counts.
      self->InvokeUnchecked(EventRef(event));
    });
  }
}

bool Subscriber::Enqueue(const core::EventPtr& event) {
  size_t shard =
      shards_.size() == 1 ? 0 : FastHash(event->aggregate_id) % shards_.size();
  return shards_[shard]->Push(event);
}

void Subscriber::InvokeUnchecked(const EventRef& event) {
  bool ok = false;
  try {
    ok = handler_(event).ok();
  } catch (...) {
    // A throwing handler is a failed delivery like any other; it must not
    // unwind into the publisher or a worker.
    ok = false;
  }
  (ok ? delivered_ : failed_).fetch_add(1, std::memory_order_relaxed);
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
  s.delivered = delivered_.load(std::memory_order_relaxed);
  s.failed = failed_.load(std::memory_order_relaxed);
  for (const auto& shard : shards_) {
    s.dropped += shard->dropped();
    s.queue_depth += shard->depth();
  }
  return s;
}

}  // namespace stockpile::bus::internal
