#include "runtime/outbox_relay.h"

#include <algorithm>
#include <random>
#include <utility>

#include "core/status_macros.h"
#include "core/topic_pattern.h"

namespace stockpile::runtime {
namespace {

core::Status Validate(const OutboxRelayOptions& options,
                      const OutboxRelayDeps& deps) {
  if (options.name.empty()) {
    return core::InvalidArgumentError("outbox relay: name must not be empty");
  }
  const std::string what = "outbox relay '" + options.name + "': ";
  if (options.batch_size < 1) {
    return core::InvalidArgumentError(what + "batch_size must be >= 1");
  }
  for (const std::string& pattern : options.type_patterns) {
    RETURN_IF_ERROR(
        core::ValidateTopicPattern(pattern).WithContext(what + "type pattern"));
  }
  RETURN_IF_ERROR(options.backoff.Validate().WithContext(what + "backoff"));
  if (deps.store == nullptr || deps.transactions == nullptr ||
      deps.checkpoints == nullptr || deps.transport == nullptr ||
      deps.clock == nullptr) {
    return core::InvalidArgumentError(what + "a dependency is missing");
  }
  return core::Status::Ok();
}

}  // namespace

std::string_view OutboxRelayStateName(OutboxRelayState state) {
  switch (state) {
    case OutboxRelayState::kRunning:
      return "running";
    case OutboxRelayState::kBackingOff:
      return "backing_off";
    case OutboxRelayState::kStopped:
      return "stopped";
  }
  return "unknown";
}

core::Result<std::unique_ptr<OutboxRelay>> OutboxRelay::Create(
    OutboxRelayOptions options, OutboxRelayDeps deps) {
  RETURN_IF_ERROR(Validate(options, deps));
  ASSIGN_OR_RETURN(int64_t position, deps.checkpoints->Load(options.name));
  std::unique_ptr<OutboxRelay> relay(new OutboxRelay(std::move(options), deps));
  relay->position_.store(position);
  return relay;
}

OutboxRelay::OutboxRelay(OutboxRelayOptions options, OutboxRelayDeps deps)
    : options_(std::move(options)),
      deps_(deps),
      owned_jitter_(deps.jitter == nullptr
                        ? std::make_unique<SeededJitter>(std::random_device{}())
                        : nullptr),
      jitter_(deps.jitter != nullptr ? deps.jitter : owned_jitter_.get()) {}

OutboxRelay::~OutboxRelay() { Stop(); }

core::Status OutboxRelay::Start() {
  std::lock_guard<std::mutex> lock(mu_);
  if (started_) {
    return core::FailedPreconditionError("outbox relay '" + options_.name +
                                         "' is already started");
  }
  started_ = true;
  thread_ = std::thread([this] { Loop(); });
  return core::Status::Ok();
}

void OutboxRelay::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  stop_cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void OutboxRelay::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    lock.unlock();
    core::Result<size_t> sent = RunOnce();  // errors are kept in Stats()
    lock.lock();
    // A full page means more is waiting: go on at once.
    if (sent.ok() && *sent == options_.batch_size) continue;
    stop_cv_.wait_for(lock, options_.poll_interval);
  }
}

core::Result<size_t> OutboxRelay::RunOnce() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (next_attempt_at_ms_ > deps_.clock->NowMillis()) return size_t{0};
  }
  const int64_t after = position_.load();
  core::Result<store::ReadAllResult> page = deps_.store->ReadAll(
      after, options_.batch_size,
      store::ReadFilter::AllTenants(options_.type_patterns));
  if (!page.ok()) return Fail(page.status().WithContext("reading the log"));
  if (page->last_scanned_position <= after) return size_t{0};

  const transport::PublishResult published =
      deps_.transport->Publish(page->events);
  // Everything before the first unconfirmed event is confirmed; the rest
  // goes again (confirmed ones twice).
  size_t confirmed = page->events.size();
  int64_t through = page->last_scanned_position;
  if (!published.ok()) {
    if (!published.unconfirmed.empty()) {
      confirmed = std::min(confirmed, published.unconfirmed.front());
    } else {
      confirmed = 0;  // an error naming no event: trust none
    }
    if (confirmed < page->events.size()) {
      through = page->events[confirmed]->position - 1;
    }
  }
  if (through > after) {
    core::Status saved = deps_.transactions->Run([&](Transaction& tx) {
      return deps_.checkpoints->Save(tx, options_.name, through);
    });
    if (!saved.ok()) return Fail(saved.WithContext("saving the checkpoint"));
    position_.store(through);
  }
  published_.fetch_add(static_cast<int64_t>(confirmed));
  if (!published.ok()) {
    return Fail(published.status.WithContext("publishing"));
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    consecutive_failures_ = 0;
    next_attempt_at_ms_ = 0;
    last_error_.clear();
  }
  return confirmed;
}

core::Status OutboxRelay::Fail(core::Status error) {
  failures_.fetch_add(1);
  std::lock_guard<std::mutex> lock(mu_);
  consecutive_failures_ += 1;
  const auto delay =
      options_.backoff.DelayBefore(consecutive_failures_ + 1, *jitter_);
  next_attempt_at_ms_ = deps_.clock->NowMillis() + delay.count();
  last_error_ = error.ToString();
  return error;
}

bool OutboxRelay::WaitForPosition(int64_t position,
                                  std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (position_.load() < position) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

OutboxRelayStats OutboxRelay::Stats() const {
  OutboxRelayStats stats;
  stats.name = options_.name;
  stats.position = position_.load();
  core::Result<int64_t> head = deps_.store->HeadPosition();
  stats.head = head.ok() ? std::max(*head, stats.position) : stats.position;
  stats.lag_events = stats.head - stats.position;
  stats.published = published_.load();
  stats.failures = failures_.load();
  std::lock_guard<std::mutex> lock(mu_);
  stats.consecutive_failures = consecutive_failures_;
  stats.last_error = last_error_;
  if (!head.ok() && stats.last_error.empty()) {
    stats.last_error = head.status().ToString();
  }
  if (stopping_) {
    stats.state = OutboxRelayState::kStopped;
  } else if (next_attempt_at_ms_ > 0) {
    stats.state = OutboxRelayState::kBackingOff;
    stats.next_attempt_at_ms = next_attempt_at_ms_;
  }
  return stats;
}

}  // namespace stockpile::runtime
