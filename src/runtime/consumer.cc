#include "runtime/consumer.h"

#include <algorithm>
#include <functional>
#include <random>
#include <utility>

#include "core/event_codec.h"
#include "core/status_macros.h"
#include "core/topic_pattern.h"

namespace stockpile::runtime {
namespace {

core::Status ValidateOptions(const ConsumerOptions& options,
                             const ConsumerDeps& deps) {
  if (options.name.empty()) {
    return core::InvalidArgumentError("consumer: name must not be empty");
  }
  const std::string what = "consumer '" + options.name + "': ";
  if (!options.handler == !options.batch_handler) {
    return core::InvalidArgumentError(
        what + "set exactly one of handler and batch_handler");
  }
  if (options.batch.max_events < 1 ||
      options.batch.flush_interval.count() < 0) {
    return core::InvalidArgumentError(
        what + "batch.max_events must be >= 1, batch.flush_interval >= 0");
  }
  if (options.workers < 1) {
    return core::InvalidArgumentError(what + "workers must be >= 1");
  }
  if (options.max_in_flight < 1) {
    return core::InvalidArgumentError(what + "max_in_flight must be >= 1");
  }
  for (const std::string& pattern : options.type_patterns) {
    RETURN_IF_ERROR(
        core::ValidateTopicPattern(pattern).WithContext(what + "type pattern"));
  }
  RETURN_IF_ERROR(options.retry.Validate().WithContext(what));
  RETURN_IF_ERROR(options.circuit_breaker.Validate().WithContext(what));
  if (deps.source == nullptr || deps.transactions == nullptr ||
      deps.checkpoints == nullptr || deps.inbox == nullptr ||
      deps.dead_letters == nullptr || deps.clock == nullptr) {
    return core::InvalidArgumentError(what + "a dependency is missing");
  }
  return core::Status::Ok();
}

// The queue item that delivers a stored failure record's event again.
core::Result<WorkItem> ItemFromRecord(const DeadLetter& record,
                                      const ConsumerOptions& options) {
  ASSIGN_OR_RETURN(core::EventPtr event, core::DecodeEvent(record.event_json));
  WorkItem item;
  item.aggregate_key = OrderingKey(options, *event);
  item.event = std::move(event);
  item.failed_attempts = record.attempts;
  item.first_failed_at_ms = record.first_failed_at_ms;
  item.from_dead_letter = true;
  if (record.state == DeadLetterState::kRetrying) {
    item.not_before_ms = record.next_attempt_at_ms;
  } else {
    item.single_attempt = true;
  }
  return item;
}

}  // namespace

std::string_view ConsumerStateName(ConsumerState state) {
  switch (state) {
    case ConsumerState::kRunning:
      return "running";
    case ConsumerState::kPaused:
      return "paused";
    case ConsumerState::kCircuitOpen:
      return "circuit_open";
    case ConsumerState::kStalled:
      return "stalled";
    case ConsumerState::kFailed:
      return "failed";
    case ConsumerState::kStopped:
      return "stopped";
  }
  return "unknown";
}

core::Result<std::unique_ptr<Consumer>> Consumer::Start(ConsumerOptions options,
                                                        ConsumerDeps deps) {
  RETURN_IF_ERROR(ValidateOptions(options, deps));
  std::unique_ptr<Consumer> consumer(new Consumer(std::move(options), deps));
  core::Status started = consumer->Begin();
  if (!started.ok()) {
    consumer->Stop();
    return started;
  }
  return consumer;
}

Consumer::Consumer(ConsumerOptions options, ConsumerDeps deps)
    : options_(std::move(options)),
      deps_(deps),
      owned_jitter_(deps.jitter == nullptr
                        ? std::make_unique<SeededJitter>(std::random_device{}())
                        : nullptr),
      breaker_(options_.circuit_breaker),
      tracker_(options_.max_in_flight),
      processor_(options_, deps_,
                 deps.jitter != nullptr ? *deps.jitter : *owned_jitter_,
                 counters_, [this] { return checkpoint(); }) {
  for (int i = 0; i < options_.workers; ++i) {
    workers_.push_back(std::make_unique<ConsumerWorker>(
        processor_, options_, *deps_.clock, paused_, breaker_,
        [this](const WorkItem& item, EventProcessor::Result result) {
          OnFinished(item, result);
        }));
  }
}

Consumer::~Consumer() { Stop(); }

core::Status Consumer::Begin() {
  ASSIGN_OR_RETURN(int64_t after, deps_.checkpoints->Load(options_.name));
  start_checkpoint_.store(after);
  saved_checkpoint_.store(after);
  counters_.last_progress_at_ms.store(deps_.clock->NowMillis());

  // Failure records: pending retries and requested redrives are queued from
  // the record (they may lie below the checkpoint); parked ones stop their
  // aggregate under kStopAggregate. None is taken from the source again.
  ASSIGN_OR_RETURN(std::vector<DeadLetter> records,
                   deps_.dead_letters->ListAll(options_.name));
  for (const DeadLetter& record : records) {
    ASSIGN_OR_RETURN(WorkItem item, ItemFromRecord(record, options_));
    {
      std::lock_guard<std::mutex> lock(mu_);
      loaded_failures_.insert(record.event_id);
      if (record.state != DeadLetterState::kParked) {
        queued_redrives_.insert(record.id);
      }
    }
    ConsumerWorker& worker = WorkerFor(item.aggregate_key);
    if (record.state == DeadLetterState::kParked) {
      if (options_.failure_policy == FailurePolicy::kStopAggregate) {
        worker.StopAggregate(item.aggregate_key);
      }
      continue;
    }
    if (record.state == DeadLetterState::kRetrying && record.position > after) {
      // A pending retry holds the checkpoint back, as before the restart.
      item.tracked = true;
      tracker_.Hold(record.position);
    }
    worker.Push(std::move(item));
  }
  for (auto& worker : workers_) worker->Start();

  ASSIGN_OR_RETURN(const int64_t head, deps_.source->HeadPosition());
  processor_.SetFreshAfter(head);
  ASSIGN_OR_RETURN(std::unique_ptr<store::Subscription> subscription,
                   deps_.source->Subscribe(after, options_.type_patterns,
                                           [this](const core::EventPtr& event) {
                                             return Deliver(event);
                                           }));
  {
    std::lock_guard<std::mutex> lock(mu_);
    subscription_ = std::move(subscription);
  }
  housekeeping_ = std::thread([this] { Housekeeping(); });
  return core::Status::Ok();
}

ConsumerWorker& Consumer::WorkerFor(const std::string& aggregate_key) {
  const size_t index = std::hash<std::string>{}(aggregate_key) %
                       static_cast<size_t>(workers_.size());
  return *workers_[index];
}

core::Status Consumer::Deliver(const core::EventPtr& event) {
  if (stopping_.load()) return core::CancelledError("consumer is stopping");
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (loaded_failures_.count(event->event_id) > 0) {
      return core::Status::Ok();  // handled through its failure record
    }
  }
  if (!tracker_.Begin(event->position)) {
    return core::CancelledError("consumer is stopping");
  }
  WorkItem item;
  item.aggregate_key = OrderingKey(options_, *event);
  item.event = event;
  item.tracked = true;
  ConsumerWorker& worker = WorkerFor(item.aggregate_key);
  worker.Push(std::move(item));
  return core::Status::Ok();
}

void Consumer::OnFinished(const WorkItem& item, EventProcessor::Result result) {
  if (item.tracked) tracker_.End(item.event->position);
  if (!item.from_dead_letter) return;
  {
    std::lock_guard<std::mutex> lock(mu_);
    queued_redrives_.erase(DeadLetterId(options_.name, item.event->event_id));
  }
  if (result != EventProcessor::Result::kParked &&
      options_.failure_policy == FailurePolicy::kStopAggregate) {
    WorkerFor(item.aggregate_key).ResumeAggregate(item.aggregate_key);
  }
}

int64_t Consumer::checkpoint() const {
  int64_t delivered = start_checkpoint_.load();
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (subscription_ != nullptr) {
      delivered = std::max(delivered, subscription_->last_delivered());
    }
  }
  // `delivered` is read before the tracker: see ProgressTracker::Checkpoint.
  return std::max(saved_checkpoint_.load(), tracker_.Checkpoint(delivered));
}

bool Consumer::WaitForCheckpoint(int64_t position,
                                 std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (checkpoint() < position) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return true;
}

core::Status Consumer::FlushCheckpoint() {
  const int64_t position = checkpoint();
  if (position <= saved_checkpoint_.load()) return core::Status::Ok();
  RETURN_IF_ERROR(deps_.transactions->Run([&](Transaction& tx) {
    return deps_.checkpoints->Save(tx, options_.name, position);
  }));
  saved_checkpoint_.store(position);
  counters_.last_progress_at_ms.store(deps_.clock->NowMillis());
  return core::Status::Ok();
}

core::Status Consumer::ScanDeadLetters() {
  ASSIGN_OR_RETURN(std::vector<DeadLetter> records,
                   deps_.dead_letters->List(options_.name));
  for (const DeadLetter& record : records) {
    if (record.state != DeadLetterState::kRedriveRequested) continue;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!queued_redrives_.insert(record.id).second) continue;
    }
    core::Result<WorkItem> item = ItemFromRecord(record, options_);
    if (!item.ok()) {
      std::lock_guard<std::mutex> lock(mu_);
      queued_redrives_.erase(record.id);
      return item.status();
    }
    ConsumerWorker& worker = WorkerFor(item->aggregate_key);
    worker.PushFront(std::move(item).value());
  }
  return core::Status::Ok();
}

core::Status Consumer::Redrive(std::string_view dead_letter_id) {
  ASSIGN_OR_RETURN(DeadLetter record, deps_.dead_letters->Get(dead_letter_id));
  if (record.subscription != options_.name) {
    return core::NotFoundError("no dead letter '" +
                               std::string(dead_letter_id) +
                               "' in subscription '" + options_.name + "'");
  }
  RETURN_IF_ERROR(deps_.dead_letters->RequestRedrive(dead_letter_id));
  return ScanDeadLetters();
}

core::Result<int> Consumer::RedriveAll() {
  ASSIGN_OR_RETURN(int requested,
                   deps_.dead_letters->RequestRedriveAll(options_.name));
  RETURN_IF_ERROR(ScanDeadLetters());
  return requested;
}

core::Status Consumer::Discard(std::string_view dead_letter_id) {
  ASSIGN_OR_RETURN(DeadLetter record, deps_.dead_letters->Get(dead_letter_id));
  if (record.subscription != options_.name) {
    return core::NotFoundError("no dead letter '" +
                               std::string(dead_letter_id) +
                               "' in subscription '" + options_.name + "'");
  }
  RETURN_IF_ERROR(deps_.dead_letters->Discard(dead_letter_id));
  ASSIGN_OR_RETURN(WorkItem item, ItemFromRecord(record, options_));
  WorkerFor(item.aggregate_key).ResumeAggregate(item.aggregate_key);
  return core::Status::Ok();
}

void Consumer::Pause() { paused_.store(true); }

void Consumer::Resume() {
  paused_.store(false);
  for (auto& worker : workers_) worker->Wake();
}

void Consumer::Housekeeping() {
  auto next_scan = std::chrono::steady_clock::now();
  std::unique_lock<std::mutex> lock(mu_);
  // While events are being handled the checkpoint is flushed every
  // poll_interval; once a pass finds nothing new this thread sleeps until
  // the next dead-letter scan (an idle consumer costs ~1 wake-up a second,
  // not 100). A flush that comes later only means more redeliveries after a
  // crash, which the inbox absorbs.
  bool busy = true;
  while (!stopped_) {
    housekeeping_cv_.wait_for(
        lock,
        busy ? options_.poll_interval
             : std::max(options_.poll_interval,
                        std::chrono::duration_cast<std::chrono::milliseconds>(
                            next_scan - std::chrono::steady_clock::now())));
    if (stopped_) break;
    // A source that ended with an error is restarted after what it
    // delivered (those events are queued already).
    if (subscription_ != nullptr && !subscription_->status().ok()) {
      source_error_ = subscription_->status().ToString();
      const int64_t after = subscription_->last_delivered();
      std::unique_ptr<store::Subscription> failed = std::move(subscription_);
      lock.unlock();
      failed.reset();
      auto restarted = deps_.source->Subscribe(
          after, options_.type_patterns,
          [this](const core::EventPtr& event) { return Deliver(event); });
      lock.lock();
      if (restarted.ok()) {
        subscription_ = std::move(restarted).value();
        source_error_.clear();
      } else {
        source_error_ = restarted.status().ToString();
        start_checkpoint_.store(std::max(start_checkpoint_.load(), after));
      }
    }
    lock.unlock();
    // checkpoint() takes mu_ itself.
    busy = checkpoint() > saved_checkpoint_.load();
    core::Status flushed = FlushCheckpoint();
    if (!flushed.ok()) counters_.SetLastError(flushed.ToString());
    if (std::chrono::steady_clock::now() >= next_scan) {
      next_scan =
          std::chrono::steady_clock::now() + options_.redrive_scan_interval;
      core::Status scanned = ScanDeadLetters();
      if (!scanned.ok()) counters_.SetLastError(scanned.ToString());
    }
    lock.lock();
  }
}

void Consumer::Stop() {
  std::unique_ptr<store::Subscription> subscription;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopped_) return;
    stopped_ = true;
    subscription = std::move(subscription_);
    if (subscription != nullptr) {
      start_checkpoint_.store(
          std::max(start_checkpoint_.load(), subscription->last_delivered()));
    }
  }
  stopping_.store(true);
  tracker_.Cancel();
  if (subscription != nullptr) subscription->Stop();
  housekeeping_cv_.notify_all();
  if (housekeeping_.joinable()) housekeeping_.join();
  for (auto& worker : workers_) worker->Stop();
  core::Status flushed = FlushCheckpoint();
  if (!flushed.ok()) counters_.SetLastError(flushed.ToString());
}

ConsumerStats Consumer::Stats() const {
  ConsumerStats stats;
  stats.name = options_.name;
  stats.position = checkpoint();
  core::Result<int64_t> head = deps_.source->HeadPosition();
  stats.head = head.ok() ? std::max(*head, stats.position) : stats.position;
  stats.lag_events = stats.head - stats.position;
  stats.processed = counters_.processed.load();
  stats.duplicates = counters_.duplicates.load();
  stats.retried = counters_.retried.load();
  stats.parked = counters_.parked.load();
  stats.batches = counters_.batches.load();
  stats.in_flight = static_cast<int64_t>(tracker_.in_flight());
  stats.last_error = counters_.LastError();
  if (!head.ok() && stats.last_error.empty()) {
    stats.last_error = head.status().ToString();
  }
  stats.last_progress_at_ms = counters_.last_progress_at_ms.load();
  stats.circuit = breaker_.state();
  stats.circuit_opens = breaker_.opens();
  stats.circuit_open_until_ms = breaker_.open_until_ms();
  bool stopped = false;
  bool failed = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopped = stopped_;
    failed = !source_error_.empty();
    if (failed) stats.last_error = source_error_;
  }
  const int64_t idle_ms = deps_.clock->NowMillis() - stats.last_progress_at_ms;
  if (stopped) {
    stats.state = ConsumerState::kStopped;
  } else if (failed) {
    stats.state = ConsumerState::kFailed;
  } else if (paused_.load()) {
    stats.state = ConsumerState::kPaused;
  } else if (stats.circuit != CircuitState::kClosed) {
    stats.state = ConsumerState::kCircuitOpen;
  } else if (stats.lag_events > 0 && idle_ms >= options_.stall_after.count()) {
    stats.state = ConsumerState::kStalled;
  } else {
    stats.state = ConsumerState::kRunning;
  }
  return stats;
}

}  // namespace stockpile::runtime
