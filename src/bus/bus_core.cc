#include "bus/bus_core.h"

#include <algorithm>

#include "bus/fast_hash.h"
#include "bus/handler_scope.h"
#include "core/status_macros.h"
#include "core/topic_pattern.h"

namespace stockpile::bus::internal {

namespace {

// Subscribe retires a table without waiting for a grace period (a new
// subscriber needs no such guarantee); past this many it reclaims them.
constexpr size_t kMaxRetiredTables = 8;

}  // namespace

BusCore::BusCore()
    : current_(new RoutingTable(std::vector<std::shared_ptr<Subscriber>>(),
                                /*generation=*/1)) {}

BusCore::~BusCore() {
  Close();
  delete current_.load();
}

core::Result<std::shared_ptr<Subscriber>> BusCore::Subscribe(
    std::vector<std::string> patterns, Handler handler,
    SubscribeOptions options) {
  if (patterns.empty()) {
    return core::InvalidArgumentError("a subscription needs a pattern");
  }
  for (const std::string& p : patterns) {
    RETURN_IF_ERROR(core::ValidateTopicPattern(p));
  }
  if (handler == nullptr) {
    return core::InvalidArgumentError("a subscription needs a handler");
  }
  if (options.dispatch == Dispatch::kAsync &&
      (options.workers == 0 || options.queue_capacity == 0)) {
    return core::InvalidArgumentError(
        "an async subscription needs workers >= 1 and queue_capacity >= 1");
  }
  if (options.name.empty()) {
    for (const std::string& p : patterns) {
      options.name += options.name.empty() ? p : "," + p;
    }
  }
  auto sub = std::make_shared<Subscriber>(
      std::move(patterns), std::move(handler), std::move(options));
  sub->StartWorkers();
  Retired to_reclaim;
  bool added = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!closed_) {
      subs_.push_back(sub);
      SwapTableLocked();
      added = true;
      if (retired_.size() > kMaxRetiredTables) to_reclaim.swap(retired_);
    }
  }
  if (!added) {
    sub->Close();
    sub->Join();
    return core::FailedPreconditionError("the bus is closed");
  }
  Reclaim(std::move(to_reclaim));
  return sub;
}

void BusCore::Unsubscribe(const std::shared_ptr<Subscriber>& subscriber) {
  // Closing first stops deliveries from this thread at once and wakes
  // publishers blocked on the subscriber's full queues.
  subscriber->Close();
  Retired to_reclaim;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = std::find(subs_.begin(), subs_.end(), subscriber);
    if (it != subs_.end()) {
      subs_.erase(it);
      SwapTableLocked();
    }
    to_reclaim.swap(retired_);
  }
  // The grace period also waits out every sync call of the handler already
  // in progress on other threads; then the workers finish their last call.
  Reclaim(std::move(to_reclaim));
  subscriber->Join();
}

void BusCore::SwapTableLocked() {
  const RoutingTable* old = current_.exchange(
      new RoutingTable(subs_, ++generation_), std::memory_order_seq_cst);
  retired_.emplace_back(old);
}

void BusCore::Reclaim(Retired retired) {
  if (retired.empty()) return;
  if (InsideHandler()) {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& t : retired) retired_.push_back(std::move(t));
    return;
  }
  epoch_.Synchronize();
  // `retired` is freed here; no publisher can still be reading it.
}

core::Status BusCore::Publish(const core::Event& event,
                              const core::EventPtr* owner) {
  HandlerScope scope;
  ReaderEpoch::Guard guard(epoch_);
  const size_t reader = guard.reader_index();
  ReaderEpoch::Record& memo = guard.record();
  const RoutingTable* table = current_.load(std::memory_order_seq_cst);
  const std::string& key = event.event_type;
  const Route* route = nullptr;
  if (memo.memo_tag == table->generation()) {
    const auto* last = static_cast<const Route*>(memo.memo);
    if (RouteCache::SameKey(last->key, key)) route = last;
  }
  std::unique_ptr<Route> spare;
  if (route == nullptr) {
    uint64_t hash = FastHash(key);
    route = table->Find(key, hash);
    if (route == nullptr) {
      RETURN_IF_ERROR(table->Resolve(key, hash, route, spare));
    }
    if (spare == nullptr) {  // owned by the table's cache: safe to memoize
      memo.memo_tag = table->generation();
      memo.memo = route;
    }
  }

  if (!route->any_async) {
    if (owner != nullptr) {
      EventRef ref(*owner);
      for (Subscriber* s : route->targets) s->Invoke(ref, reader);
    } else {
      EventRef ref(event);
      for (Subscriber* s : route->targets) s->Invoke(ref, reader);
    }
    return core::Status::Ok();
  }

  // Some subscriber keeps the event beyond this call: share one copy.
  core::EventPtr shared =
      owner != nullptr ? *owner : std::make_shared<const core::Event>(event);
  EventRef ref(shared);
  size_t refused = 0;
  for (Subscriber* s : route->targets) {
    if (!s->is_async()) {
      s->Invoke(ref, reader);
    } else if (!s->Enqueue(shared)) {
      ++refused;
    }
  }
  if (refused > 0) {
    return core::ResourceExhaustedError(
        "event '" + key + "' was not accepted by " + std::to_string(refused) +
        " async subscription(s) (queue full or closed)");
  }
  return core::Status::Ok();
}

core::Status BusCore::Flush() {
  if (InsideHandler()) {
    return core::FailedPreconditionError(
        "Flush from inside a handler would wait for itself");
  }
  std::vector<std::shared_ptr<Subscriber>> subs;
  {
    std::lock_guard<std::mutex> lock(mu_);
    subs = subs_;
  }
  for (const auto& s : subs) s->Flush();
  return core::Status::Ok();
}

std::vector<std::pair<std::string, SubscriptionStats>> BusCore::Stats() const {
  std::vector<std::shared_ptr<Subscriber>> subs;
  {
    std::lock_guard<std::mutex> lock(mu_);
    subs = subs_;
  }
  std::vector<std::pair<std::string, SubscriptionStats>> out;
  out.reserve(subs.size());
  for (const auto& s : subs) out.emplace_back(s->name(), s->Stats());
  return out;
}

void BusCore::Close() {
  std::vector<std::shared_ptr<Subscriber>> subs;
  Retired retired;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (closed_) return;
    closed_ = true;
    subs.swap(subs_);
    SwapTableLocked();
    retired.swap(retired_);
  }
  for (const auto& s : subs) s->Close();
  for (const auto& s : subs) s->Join();
  // No publisher may run concurrently with Close (see InProcessBus), so the
  // retired tables can go without a grace period.
}

}  // namespace stockpile::bus::internal
