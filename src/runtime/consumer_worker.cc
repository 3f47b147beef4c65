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
  {
    std::lock_guard<std::mutex> lock(mu_);
    queue_.push_back(std::move(item));
  }
  cv_.notify_all();
}

void ConsumerWorker::PushFront(WorkItem item) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    queue_.push_front(std::move(item));
  }
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

std::list<WorkItem>::iterator ConsumerWorker::NextReady(int64_t now_ms) {
  std::unordered_set<std::string_view> seen;
  for (auto it = queue_.begin(); it != queue_.end(); ++it) {
    // Only the first queued item of an aggregate may run.
    if (!seen.insert(it->aggregate_key).second) continue;
    if (it->running || busy_.count(it->aggregate_key) > 0) continue;
    if (it->not_before_ms > now_ms) continue;
    // A redriven item is what a stopped aggregate waits for.
    if (!it->from_dead_letter && stopped_.count(it->aggregate_key) > 0) {
      continue;
    }
    return it;
  }
  return queue_.end();
}

void ConsumerWorker::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    const int64_t now = clock_.NowMillis();
    auto it = paused_.load() ? queue_.end() : NextReady(now);
    const CircuitBreaker::Permit permit = it == queue_.end()
                                              ? CircuitBreaker::Permit::kDenied
                                              : breaker_.Acquire(now);
    if (permit == CircuitBreaker::Permit::kDenied) {
      cv_.wait_for(lock, options_.poll_interval);
      continue;
    }
    it->running = true;
    busy_.insert(it->aggregate_key);
    WorkItem work = *it;  // handled outside the lock
    lock.unlock();
    const EventProcessor::Result result = processor_.Process(work);
    if (result == EventProcessor::Result::kSkipped) {
      breaker_.Release(permit);
    } else {
      breaker_.Record(permit, result == EventProcessor::Result::kDone,
                      clock_.NowMillis());
    }
    lock.lock();
    busy_.erase(work.aggregate_key);
    if (result == EventProcessor::Result::kRetryLater) {
      work.running = false;
      *it = std::move(work);
      continue;
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
}

}  // namespace stockpile::runtime
