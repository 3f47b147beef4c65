#include "bus/async_shard.h"

#include <utility>

#include "bus/handler_scope.h"
#include "core/check.h"

namespace stockpile::bus::internal {

AsyncShard::AsyncShard(size_t capacity, Backpressure policy)
    : capacity_(capacity), policy_(policy) {
  CHECK(capacity_ >= 1);
}

AsyncShard::~AsyncShard() {
  CHECK(!thread_.joinable()) << "AsyncShard destroyed without Join/Detach";
}

void AsyncShard::Start(std::function<void(const core::EventPtr&)> handle) {
  CHECK(!thread_.joinable());
  thread_ = std::thread([this, handle = std::move(handle)] { Run(handle); });
}

bool AsyncShard::Push(const core::EventPtr& event) {
  std::unique_lock<std::mutex> lock(mu_);
  if (queue_.size() >= capacity_ && !closed_) {
    if (policy_ == Backpressure::kReject) {
      dropped_.fetch_add(1, std::memory_order_relaxed);
      return false;
    }
    ++publishers_waiting_;
    not_full_.wait(lock, [&] { return queue_.size() < capacity_ || closed_; });
    --publishers_waiting_;
  }
  if (closed_) {
    dropped_.fetch_add(1, std::memory_order_relaxed);
    return false;
  }
  queue_.push_back(event);
  depth_.fetch_add(1, std::memory_order_relaxed);
  bool wake = worker_waiting_;
  lock.unlock();
  if (wake) not_empty_.notify_one();
  return true;
}

void AsyncShard::Close() {
  std::vector<core::EventPtr> discarded;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (closed_) return;
    closed_ = true;
    stopping_.store(true, std::memory_order_relaxed);
    discarded.swap(queue_);
    Discard(discarded.size());
  }
  not_empty_.notify_all();
  not_full_.notify_all();
  idle_.notify_all();
  // `discarded` releases its events here, outside the lock.
}

void AsyncShard::Join() {
  if (thread_.joinable()) thread_.join();
}

void AsyncShard::Detach() {
  if (thread_.joinable()) thread_.detach();
}

void AsyncShard::WaitIdle() {
  std::unique_lock<std::mutex> lock(mu_);
  idle_.wait(lock, [&] { return (queue_.empty() && !busy_) || closed_; });
}

void AsyncShard::Discard(size_t n) {
  dropped_.fetch_add(n, std::memory_order_relaxed);
  depth_.fetch_sub(n, std::memory_order_relaxed);
}

void AsyncShard::Run(const std::function<void(const core::EventPtr&)>& handle) {
  HandlerScope scope;  // this thread only ever runs handlers
  std::vector<core::EventPtr> batch;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      busy_ = false;
      if (queue_.empty()) idle_.notify_all();
      while (queue_.empty() && !closed_) {
        worker_waiting_ = true;
        not_empty_.wait(lock);
        worker_waiting_ = false;
      }
      if (closed_) return;
      batch.swap(queue_);
      busy_ = true;
      if (publishers_waiting_ > 0) not_full_.notify_all();
    }
    size_t handled = 0;
    for (; handled < batch.size(); ++handled) {
      if (stopping_.load(std::memory_order_relaxed)) break;
      handle(batch[handled]);
      depth_.fetch_sub(1, std::memory_order_relaxed);
    }
    Discard(batch.size() - handled);
    batch.clear();
  }
}

}  // namespace stockpile::bus::internal
