#include "runtime/consumer_worker.h"

#include <unordered_set>
#include <utility>

namespace stockpile::runtime {

ConsumerWorker::ConsumerWorker(EventProcessor& processor,
                               const ConsumerOptions& options,
                               const core::Clock& clock,
                               const std::atomic<bool>& paused,
                               CircuitBreaker& breaker, FinishedFn on_finished)
    : processor_(processor),
      options_(options),
      clock_(clock),
      paused_(paused),
      breaker_(breaker),
      on_finished_(std::move(on_finished)) {}

ConsumerWorker::~ConsumerWorker() { Stop(); }

void ConsumerWorker::Start() {
  thread_ = std::thread([this] { Run(); });
}

void ConsumerWorker::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void ConsumerWorker::Push(WorkItem item) {
  item.enqueued_at_ms = clock_.NowMillis();
  bool wake = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    queue_.push_back(std::move(item));
    wake = waiting_;
  }
  // A busy worker picks the item up on its next round: no wake-up (a
  // futex call) per event.
  if (wake) cv_.notify_all();
}

void ConsumerWorker::PushFront(WorkItem item) {
  item.enqueued_at_ms = clock_.NowMillis();
  bool wake = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    queue_.push_front(std::move(item));
    wake = waiting_;
  }
  if (wake) cv_.notify_all();
}

void ConsumerWorker::Wake() {
  // Taking the lock orders this after a Run() that is between reading the
  // pause flag and blocking: it is blocked by the time of the notify.
  { std::lock_guard<std::mutex> lock(mu_); }
  cv_.notify_all();
}

void ConsumerWorker::StopAggregate(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  stopped_.insert(key);
}

void ConsumerWorker::ResumeAggregate(const std::string& key) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopped_.erase(key);
  }
  cv_.notify_all();
}

bool ConsumerWorker::Ready(const WorkItem& item, int64_t now_ms) const {
  // Other items of a running item's aggregate are not first in the queue,
  // and the thread picks only between runs.
  if (item.running) return false;
  if (item.not_before_ms > now_ms) return false;
  // A redriven item is what a stopped aggregate waits for.
  return item.from_dead_letter || stopped_.count(item.aggregate_key) == 0;
}

bool ConsumerWorker::Batchable(const WorkItem& item) const {
  return options_.batch_handler && !item.alone && !item.from_dead_letter &&
         item.failed_attempts == 0;
}

void ConsumerWorker::PickWork(int64_t now_ms, Batch& out) {
  // The common case, without building the sets below: the oldest item is
  // ready and runs alone.
  if (!queue_.empty() && Ready(queue_.front(), now_ms) &&
      !Batchable(queue_.front())) {
    out.push_back(queue_.begin());
    return;
  }
  std::unordered_set<std::string_view> seen;     // aggregates looked at
  std::unordered_set<std::string_view> blocked;  // may not run further
  for (auto it = queue_.begin(); it != queue_.end(); ++it) {
    const std::string_view key = it->aggregate_key;
    if (blocked.count(key) > 0) continue;
    const bool first_of_aggregate = seen.insert(key).second;
    // Only the first queued item of an aggregate may run on its own; a
    // batch may take the ones right after it, in order.
    if (out.empty()) {
      if (first_of_aggregate && Ready(*it, now_ms)) {
        out.push_back(it);
        if (!Batchable(*it)) return;
      } else {
        blocked.insert(key);
      }
      continue;
    }
    if (out.size() >= options_.batch.max_events) break;
    if (Batchable(*it) &&
        (first_of_aggregate ? Ready(*it, now_ms) : !it->running)) {
      out.push_back(it);
    } else {
      blocked.insert(key);
    }
  }
  // A batch short of max_events waits for more until its flush time.
  if (!out.empty() && Batchable(*out.front()) &&
      out.size() < options_.batch.max_events &&
      now_ms - out.front()->enqueued_at_ms <
          options_.batch.flush_interval.count()) {
    out.clear();
  }
}

void ConsumerWorker::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  Batch picked;
  while (!stopping_) {
    const int64_t now = clock_.NowMillis();
    picked.clear();
    if (!paused_.load()) PickWork(now, picked);
    const CircuitBreaker::Permit permit = picked.empty()
                                              ? CircuitBreaker::Permit::kDenied
                                              : breaker_.Acquire(now);
    if (permit == CircuitBreaker::Permit::kDenied) {
      // With nothing queued only a Push, a resume or Stop can bring work,
      // and each wakes this thread: sleep until then (an idle consumer
      // costs no wake-ups). Queued items that are not ready yet (a retry's
      // delay, a batch's flush time, an open circuit, a stopped aggregate)
      // are looked at again every poll_interval.
      waiting_ = true;
      if (queue_.empty()) {
        cv_.wait(lock);
      } else {
        cv_.wait_for(lock, options_.poll_interval);
      }
      waiting_ = false;
      continue;
    }
    if (Batchable(*picked.front())) {
      RunBatch(lock, picked, permit);
    } else {
      RunOne(lock, picked.front(), permit);
    }
  }
}

void ConsumerWorker::RunOne(std::unique_lock<std::mutex>& lock,
                            std::list<WorkItem>::iterator it,
                            CircuitBreaker::Permit permit) {
  it->running = true;
  // Handled outside the lock. The queue keeps the running slot (in order,
  // marked running); no other thread reads an item.
  WorkItem work = std::move(*it);
  lock.unlock();
  const EventProcessor::Result result = processor_.Process(work);
  if (result == EventProcessor::Result::kSkipped) {
    breaker_.Release(permit);
  } else {
    breaker_.Record(permit, result == EventProcessor::Result::kDone,
                    clock_.NowMillis());
  }
  lock.lock();
  if (result == EventProcessor::Result::kRetryLater) {
    work.running = false;
    *it = std::move(work);
    return;
  }
  if (result == EventProcessor::Result::kParked &&
      options_.failure_policy == FailurePolicy::kStopAggregate) {
    stopped_.insert(work.aggregate_key);
  }
  queue_.erase(it);
  lock.unlock();
  on_finished_(work, result);
  lock.lock();
}

void ConsumerWorker::RunBatch(std::unique_lock<std::mutex>& lock,
                              const Batch& batch,
                              CircuitBreaker::Permit permit) {
  std::vector<WorkItem> work;
  work.reserve(batch.size());
  for (auto it : batch) {
    it->running = true;
    work.push_back(*it);
  }
  lock.unlock();
  using BatchResult = EventProcessor::BatchResult;
  const BatchResult result = processor_.ProcessBatch(work);
  if (result == BatchResult::kSkipped) {
    breaker_.Release(permit);
  } else {
    breaker_.Record(permit, result == BatchResult::kDone, clock_.NowMillis());
  }
  lock.lock();
  if (result == BatchResult::kFailed) {
    for (auto it : batch) {
      it->running = false;
      it->alone = true;
    }
    return;
  }
  for (auto it : batch) queue_.erase(it);
  lock.unlock();
  for (const WorkItem& item : work) {
    on_finished_(item, EventProcessor::Result::kDone);
  }
  lock.lock();
}

}  // namespace stockpile::runtime
