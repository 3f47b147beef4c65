#include "runtime/event_importer.h"

#include <algorithm>
#include <future>
#include <random>
#include <unordered_map>
#include <utility>

#include "core/status_macros.h"
#include "core/uuid.h"
#include "store/append_validation.h"

namespace stockpile::runtime {
namespace {

// Streams appended to concurrently within one batch: more lets the store
// commit more of them in one group commit.
constexpr size_t kMaxParallelStreams = 16;

enum class Outcome { kAck, kDeadLetter, kRequeue };

// The deliveries of one batch that go to one mirror stream, in order.
struct Group {
  std::string tenant;
  std::string stream;
  std::vector<size_t> items;  // indices into the batch
  core::Status error;         // the first failure, if any
};

// A store error that will pass if tried again later (versus a refusal of
// the event itself).
bool Transient(const core::Status& s) {
  switch (s.code()) {
    case core::StatusCode::kInvalidArgument:
    case core::StatusCode::kFailedPrecondition:
    case core::StatusCode::kConflict:
    case core::StatusCode::kAlreadyExists:
    case core::StatusCode::kResourceExhausted:
      return false;
    default:
      return true;
  }
}

// Appends the group's events in order, writing each one's outcome. First as
// one batch (one commit); when the store refuses the batch — a partial
// overlap with an earlier import, or one invalid event — one by one, each
// idempotent on its own.
void ImportGroup(store::EventStore& store,
                 const std::vector<transport::Delivery>& batch, Group& group,
                 std::vector<Outcome>& outcomes) {
  if (group.items.size() > 1) {
    std::vector<core::Event> events;
    events.reserve(group.items.size());
    for (size_t i : group.items) events.push_back(*batch[i].event);
    core::Result<store::AppendResult> appended =
        store.Append(group.tenant, group.stream, store::ExpectedVersion::Any(),
                     std::move(events));
    if (appended.ok()) {
      for (size_t i : group.items) outcomes[i] = Outcome::kAck;
      return;
    }
    if (Transient(appended.status())) {
      group.error = appended.status();
      for (size_t i : group.items) outcomes[i] = Outcome::kRequeue;
      return;
    }
  }
  bool failed = false;
  for (size_t i : group.items) {
    if (failed) {
      outcomes[i] = Outcome::kRequeue;  // keeps the aggregate's order
      continue;
    }
    core::Result<store::AppendResult> appended =
        store.Append(group.tenant, group.stream, store::ExpectedVersion::Any(),
                     {*batch[i].event});
    if (appended.ok()) {
      outcomes[i] = Outcome::kAck;
      continue;
    }
    if (group.error.ok()) group.error = appended.status();
    if (Transient(appended.status())) {
      failed = true;
      outcomes[i] = Outcome::kRequeue;
    } else {
      outcomes[i] = Outcome::kDeadLetter;
    }
  }
}

}  // namespace

std::string MirrorStreamName(const core::Event& event) {
  std::string name =
      "mirror-" + event.aggregate_type + "-" + event.aggregate_id;
  if (store::ValidateStreamName(name).ok()) return name;
  return "mirror-" +
         core::Uuid::FromName("stockpile.mirror",
                              event.aggregate_type + '\n' + event.aggregate_id)
             .ToString();
}

core::Result<std::unique_ptr<EventImporter>> EventImporter::Start(
    EventImporterOptions options, EventImporterDeps deps) {
  const std::string what = "event importer '" + options.queue + "': ";
  if (deps.store == nullptr || deps.transport == nullptr ||
      deps.clock == nullptr) {
    return core::InvalidArgumentError(what + "a dependency is missing");
  }
  if (options.batch_size < 1) {
    return core::InvalidArgumentError(what + "batch_size must be >= 1");
  }
  RETURN_IF_ERROR(options.backoff.Validate().WithContext(what + "backoff"));
  std::vector<core::TopicPattern> skip;
  for (const std::string& p : options.skip_patterns) {
    ASSIGN_OR_RETURN(core::TopicPattern pattern, core::TopicPattern::Parse(p));
    skip.push_back(std::move(pattern));
  }
  std::unique_ptr<EventImporter> importer(
      new EventImporter(std::move(options), std::move(deps)));
  importer->skip_ = std::move(skip);
  core::Result<std::unique_ptr<transport::Subscription>> sub =
      importer->deps_.transport->Consume(
          importer->options_.queue,
          {.prefetch = static_cast<uint32_t>(importer->options_.batch_size)});
  if (!sub.ok()) return sub.status().WithContext(what + "consuming");
  importer->subscription_ = std::move(sub).value();
  EventImporter* self = importer.get();
  importer->thread_ = std::thread([self] { self->Loop(); });
  return importer;
}

EventImporter::EventImporter(EventImporterOptions options,
                             EventImporterDeps deps)
    : options_(std::move(options)),
      deps_(std::move(deps)),
      jitter_(std::make_unique<SeededJitter>(std::random_device{}())) {}

EventImporter::~EventImporter() { Stop(); }

void EventImporter::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  stop_cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  subscription_.reset();  // unacked deliveries go back to the queue
}

bool EventImporter::SleepUnlessStopped(std::chrono::milliseconds delay) {
  std::unique_lock<std::mutex> lock(mu_);
  return !stop_cv_.wait_for(lock, delay, [this] { return stopping_; });
}

void EventImporter::Loop() {
  for (;;) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stopping_) return;
    }
    core::Result<std::vector<transport::Delivery>> polled =
        subscription_->Poll(options_.batch_size, options_.poll_timeout);
    core::Status status = polled.ok() ? ImportBatch(*polled) : polled.status();
    if (status.ok()) {
      std::lock_guard<std::mutex> lock(mu_);
      consecutive_failures_ = 0;
      continue;
    }
    Fail(status);
    int failures;
    {
      std::lock_guard<std::mutex> lock(mu_);
      failures = consecutive_failures_;
    }
    if (!SleepUnlessStopped(
            options_.backoff.DelayBefore(failures + 1, *jitter_))) {
      return;
    }
  }
}

bool EventImporter::Skipped(const core::Event& event) const {
  return std::any_of(skip_.begin(), skip_.end(), [&](const auto& p) {
    return p.Matches(event.event_type);
  });
}

core::Status EventImporter::ImportBatch(
    const std::vector<transport::Delivery>& batch) {
  std::vector<Outcome> outcomes(batch.size(), Outcome::kAck);
  std::vector<Group> groups;
  std::unordered_map<std::string, size_t> group_of;  // tenant \0 stream
  for (size_t i = 0; i < batch.size(); ++i) {
    const core::Event& e = *batch[i].event;
    if (Skipped(e)) {
      skipped_.fetch_add(1);
      continue;
    }
    std::string stream = MirrorStreamName(e);
    auto [it, added] = group_of.try_emplace(
        store::StreamKey(e.tenant_id, stream), groups.size());
    if (added) groups.push_back({e.tenant_id, std::move(stream), {}, {}});
    groups[it->second].items.push_back(i);
  }

  // Different streams in parallel, so the store can commit them together.
  auto run = [&](size_t first, size_t step) {
    for (size_t g = first; g < groups.size(); g += step) {
      ImportGroup(*deps_.store, batch, groups[g], outcomes);
    }
  };
  const size_t lanes = std::min(groups.size(), kMaxParallelStreams);
  std::vector<std::future<void>> lanes_running;
  for (size_t lane = 1; lane < lanes; ++lane) {
    lanes_running.push_back(std::async(std::launch::async, run, lane, lanes));
  }
  if (lanes > 0) run(0, lanes);
  for (auto& f : lanes_running) f.get();

  core::Status first_error;
  for (const Group& g : groups) {
    if (!g.error.ok() && first_error.ok()) first_error = g.error;
  }
  for (size_t i = 0; i < batch.size(); ++i) {
    core::Status settled;
    switch (outcomes[i]) {
      case Outcome::kAck:
        settled = subscription_->Ack(batch[i].tag);
        break;
      case Outcome::kDeadLetter:
        deps_.log.Error("imported event refused by the store; dead-lettered",
                        {{"queue", options_.queue},
                         {"eventId", batch[i].event->event_id},
                         {"eventType", batch[i].event->event_type}});
        dead_lettered_.fetch_add(1);
        settled = subscription_->Nack(batch[i].tag,
                                      transport::NackAction::kDeadLetter);
        break;
      case Outcome::kRequeue:
        settled =
            subscription_->Nack(batch[i].tag, transport::NackAction::kRequeue);
        break;
    }
    // A settle that fails (connection lost) is redelivered by the broker.
    if (!settled.ok() && first_error.ok()) first_error = settled;
  }
  for (const Group& g : groups) {
    for (size_t i : g.items) {
      if (outcomes[i] == Outcome::kAck) imported_.fetch_add(1);
    }
  }
  bool requeued = std::any_of(outcomes.begin(), outcomes.end(),
                              [](Outcome o) { return o == Outcome::kRequeue; });
  if (requeued) return first_error.WithContext("importing into the store");
  if (!batch.empty()) {
    // Dead letters only are logged and counted; the import goes on.
    std::lock_guard<std::mutex> lock(mu_);
    last_error_ = first_error.ok() ? "" : first_error.ToString();
  }
  return core::Status::Ok();
}

void EventImporter::Fail(const core::Status& error) {
  failures_.fetch_add(1);
  std::lock_guard<std::mutex> lock(mu_);
  consecutive_failures_ += 1;
  last_error_ = error.ToString();
  if (consecutive_failures_ == 1) {
    deps_.log.Warn("importing from the transport failed; backing off",
                   {{"queue", options_.queue}, {"error", last_error_}});
  }
}

EventImporterStats EventImporter::Stats() const {
  EventImporterStats stats;
  stats.queue = options_.queue;
  stats.imported = imported_.load();
  stats.skipped = skipped_.load();
  stats.dead_lettered = dead_lettered_.load();
  stats.failures = failures_.load();
  std::lock_guard<std::mutex> lock(mu_);
  stats.last_error = last_error_;
  return stats;
}

}  // namespace stockpile::runtime
