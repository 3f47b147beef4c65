#include "runtime/projection_runner.h"

#include <algorithm>
#include <filesystem>
#include <system_error>
#include <utility>

#include "core/status_macros.h"
#include "core/topic_pattern.h"

namespace stockpile::runtime {
namespace {

core::Status ValidateName(std::string_view name) {
  const bool ok =
      !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
      });
  if (ok) return core::Status::Ok();
  return core::InvalidArgumentError("projection name '" + std::string(name) +
                                    "' must be [a-z0-9_]+");
}

void RemoveCopyFiles(const std::string& path) {
  std::error_code ignored;  // absent files are the normal case
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::filesystem::remove(path + suffix, ignored);
  }
}

}  // namespace

std::string_view ProjectionStateName(ProjectionState state) {
  switch (state) {
    case ProjectionState::kRunning:
      return "running";
    case ProjectionState::kRebuilding:
      return "rebuilding";
    case ProjectionState::kFailed:
      return "failed";
    case ProjectionState::kStopped:
      return "stopped";
  }
  return "unknown";
}

core::Result<std::unique_ptr<ProjectionRunner>> ProjectionRunner::Open(
    std::unique_ptr<Projection> projection, ProjectionOptions options,
    ProjectionDeps deps) {
  if (projection == nullptr || deps.store == nullptr || deps.clock == nullptr) {
    return core::InvalidArgumentError("projection: a dependency is missing");
  }
  RETURN_IF_ERROR(ValidateName(projection->name()));
  const std::string what =
      "projection '" + std::string(projection->name()) + "': ";
  for (const std::string& pattern : projection->type_patterns()) {
    RETURN_IF_ERROR(
        core::ValidateTopicPattern(pattern).WithContext(what + "type pattern"));
  }
  if (options.directory.empty() || options.page_size < 1 ||
      options.rebuild_page_size < 1) {
    return core::InvalidArgumentError(what +
                                      "directory must be set, page sizes >= 1");
  }
  std::error_code ec;
  std::filesystem::create_directories(options.directory, ec);
  if (ec) {
    return core::UnavailableError(what + "cannot create " + options.directory +
                                  ": " + ec.message());
  }
  std::unique_ptr<ProjectionRunner> runner(
      new ProjectionRunner(std::move(projection), std::move(options), deps));
  ASSIGN_OR_RETURN(
      runner->catalog_,
      ProjectionCatalog::Open(runner->options_.directory + "/projections.db"));
  ASSIGN_OR_RETURN(ProjectionRecord record,
                   runner->catalog_->Load(runner->name_));
  if (record.live_generation == 0) {
    record.live_generation = 1;
    RemoveCopyFiles(runner->CopyPath(1));  // never live: a leftover
    RETURN_IF_ERROR(runner->catalog_->Save(runner->name_, record));
  }
  // The copy a swap replaced, if the process died before deleting it.
  RemoveCopyFiles(runner->CopyPath(record.live_generation - 1));
  ASSIGN_OR_RETURN(std::unique_ptr<ReadModelDb> live,
                   ReadModelDb::Open(runner->CopyPath(record.live_generation),
                                     *runner->projection_));
  std::unique_ptr<ReadModelDb> shadow;
  if (record.building_generation != 0) {  // a rebuild to resume
    ASSIGN_OR_RETURN(
        shadow, ReadModelDb::Open(runner->CopyPath(record.building_generation),
                                  *runner->projection_));
  }
  {
    std::lock_guard<std::mutex> lock(runner->mu_);
    runner->live_ = std::move(live);
    if (shadow != nullptr) {
      runner->rebuild_from_position_ = shadow->position();
      runner->rebuild_from_ms_ = deps.clock->NowMillis();
      runner->shadow_ = std::move(shadow);
    }
    runner->record_ = record;
  }
  return runner;
}

ProjectionRunner::ProjectionRunner(std::unique_ptr<Projection> projection,
                                   ProjectionOptions options,
                                   ProjectionDeps deps)
    : projection_(std::move(projection)),
      options_(std::move(options)),
      deps_(deps),
      name_(projection_->name()),
      filter_(store::ReadFilter::AllTenants(projection_->type_patterns())) {}

ProjectionRunner::~ProjectionRunner() { Stop(); }

std::string ProjectionRunner::CopyPath(int64_t generation) const {
  return options_.directory + "/" + name_ + "." + std::to_string(generation) +
         ".db";
}

core::Result<store::ReadAllResult> ProjectionRunner::NextPage(
    const ReadModelDb& copy, size_t max) const {
  return deps_.store->ReadAll(copy.position(), max, filter_);
}

void ProjectionRunner::SetError(std::string ProjectionRunner::*field,
                                const core::Status& status) {
  std::lock_guard<std::mutex> lock(mu_);
  this->*field = status.ok() ? std::string() : status.ToString();
}

core::Result<size_t> ProjectionRunner::CatchUpOnce() {
  std::lock_guard<std::mutex> live_lock(live_mu_);
  std::shared_ptr<ReadModelDb> live;
  {
    std::lock_guard<std::mutex> lock(mu_);
    live = live_;
  }
  core::Result<store::ReadAllResult> page = NextPage(*live, options_.page_size);
  core::Status applied = page.status();
  if (applied.ok() && page->last_scanned_position > live->position()) {
    applied = live->ApplyPage(*projection_, *page);
  }
  SetError(&ProjectionRunner::live_error_, applied);
  RETURN_IF_ERROR(applied);
  return page->events.size();
}

core::Status ProjectionRunner::BeginRebuild() {
  std::lock_guard<std::mutex> lock(mu_);
  if (shadow_ != nullptr) {
    return core::FailedPreconditionError("projection '" + name_ +
                                         "' is already being rebuilt");
  }
  ProjectionRecord record = record_;
  record.building_generation = record.live_generation + 1;
  record.rebuild_started_at_ms = deps_.clock->NowMillis();
  const std::string path = CopyPath(record.building_generation);
  RemoveCopyFiles(path);  // an attempt that died before it was recorded
  ASSIGN_OR_RETURN(std::unique_ptr<ReadModelDb> shadow,
                   ReadModelDb::Open(path, *projection_));
  RETURN_IF_ERROR(catalog_->Save(name_, record));
  record_ = record;
  shadow_ = std::move(shadow);
  rebuild_from_position_ = 0;
  rebuild_from_ms_ = record.rebuild_started_at_ms;
  return core::Status::Ok();
}

core::Result<bool> ProjectionRunner::RebuildOnce() {
  core::Result<bool> step = RebuildStep();
  SetError(&ProjectionRunner::rebuild_error_, step.status());
  return step;
}

core::Result<store::ReadAllResult> ProjectionRunner::ShadowPage(
    const ReadModelDb& shadow) {
  if (read_ahead_.valid()) {
    core::Result<store::ReadAllResult> page = read_ahead_.get();
    if (read_ahead_after_ == shadow.position()) return page;
  }
  return NextPage(shadow, options_.rebuild_page_size);
}

void ProjectionRunner::ReadAhead(int64_t after) {
  read_ahead_after_ = after;
  read_ahead_ = std::async(std::launch::async, [this, after] {
    return deps_.store->ReadAll(after, options_.rebuild_page_size, filter_);
  });
}

core::Result<bool> ProjectionRunner::RebuildStep() {
  std::lock_guard<std::mutex> rebuild_lock(rebuild_mu_);
  std::shared_ptr<ReadModelDb> shadow;
  {
    std::lock_guard<std::mutex> lock(mu_);
    shadow = shadow_;
  }
  if (shadow == nullptr) {
    return core::FailedPreconditionError("projection '" + name_ +
                                         "' has no rebuild running");
  }
  ASSIGN_OR_RETURN(store::ReadAllResult page, ShadowPage(*shadow));
  if (page.last_scanned_position > shadow->position()) {
    ReadAhead(page.last_scanned_position);
    RETURN_IF_ERROR(shadow->ApplyPage(*projection_, page));
    return false;
  }
  RETURN_IF_ERROR(Swap());
  return true;
}

core::Status ProjectionRunner::Swap() {
  // Live updates wait: the shadow takes the last pages, then their place.
  std::lock_guard<std::mutex> live_lock(live_mu_);
  std::shared_ptr<ReadModelDb> shadow;
  {
    std::lock_guard<std::mutex> lock(mu_);
    shadow = shadow_;
  }
  while (true) {
    ASSIGN_OR_RETURN(store::ReadAllResult page,
                     NextPage(*shadow, options_.rebuild_page_size));
    if (page.last_scanned_position <= shadow->position()) break;
    RETURN_IF_ERROR(shadow->ApplyPage(*projection_, page));
  }
  std::shared_ptr<ReadModelDb> old;
  {
    std::lock_guard<std::mutex> lock(mu_);
    ProjectionRecord record = record_;
    const int64_t now = deps_.clock->NowMillis();
    record.live_generation = record.building_generation;
    record.building_generation = 0;
    record.last_rebuild_at_ms = now;
    record.last_rebuild_duration_ms = now - record.rebuild_started_at_ms;
    record.rebuild_started_at_ms = 0;
    RETURN_IF_ERROR(catalog_->Save(name_, record));
    record_ = record;
    old = std::exchange(live_, std::move(shadow_));
  }
  old->remove_on_close();  // deleted once its last reader is done
  return core::Status::Ok();
}

core::Status ProjectionRunner::Read(
    const std::function<core::Status(store::SqliteDb&)>& read) {
  std::shared_ptr<ReadModelDb> live;
  {
    std::lock_guard<std::mutex> lock(mu_);
    live = live_;
  }
  return live->Read(read);
}

core::Status ProjectionRunner::Start() {
  std::lock_guard<std::mutex> lock(mu_);
  if (started_) {
    return core::FailedPreconditionError("projection '" + name_ +
                                         "' is already started");
  }
  started_ = true;
  live_thread_ = std::thread([this] { LiveLoop(); });
  if (shadow_ != nullptr) {
    std::thread none = StartRebuildThreadLocked();  // the first: none before
  }
  return core::Status::Ok();
}

core::Status ProjectionRunner::Rebuild() {
  RETURN_IF_ERROR(BeginRebuild());
  std::thread finished;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (started_ && !stopping_) finished = StartRebuildThreadLocked();
  }
  if (finished.joinable()) finished.join();
  return core::Status::Ok();
}

std::thread ProjectionRunner::StartRebuildThreadLocked() {
  if (rebuild_running_) return std::thread();
  rebuild_running_ = true;
  std::thread previous =
      std::exchange(rebuild_thread_, std::thread([this] { RebuildLoop(); }));
  return previous;
}

void ProjectionRunner::Stop() {
  std::thread live;
  std::thread rebuild;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    live = std::move(live_thread_);
    rebuild = std::move(rebuild_thread_);
  }
  stop_cv_.notify_all();
  if (live.joinable()) live.join();
  if (rebuild.joinable()) rebuild.join();
}

void ProjectionRunner::LiveLoop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    const int64_t before = live_->position();
    lock.unlock();
    core::Result<size_t> applied = CatchUpOnce();
    lock.lock();
    if (applied.ok() && live_->position() > before) continue;  // more?
    stop_cv_.wait_for(
        lock, applied.ok() ? options_.poll_interval : options_.retry_interval);
  }
}

void ProjectionRunner::RebuildLoop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_ && shadow_ != nullptr) {
    lock.unlock();
    core::Result<bool> step = RebuildOnce();
    lock.lock();
    if (!step.ok()) stop_cv_.wait_for(lock, options_.retry_interval);
  }
  rebuild_running_ = false;
}

bool ProjectionRunner::WaitForPosition(int64_t position,
                                       std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (Status().position < position) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

ProjectionStatus ProjectionRunner::Status() const {
  ProjectionStatus status;
  status.name = name_;
  core::Result<int64_t> head = deps_.store->HeadPosition();
  const int64_t now = deps_.clock->NowMillis();
  std::lock_guard<std::mutex> lock(mu_);
  status.position = live_->position();
  status.head = head.ok() ? std::max(*head, status.position) : status.position;
  status.lag_events = status.head - status.position;
  status.last_error = !live_error_.empty() ? live_error_ : rebuild_error_;
  if (!head.ok() && status.last_error.empty()) {
    status.last_error = head.status().ToString();
  }
  status.generation = record_.live_generation;
  status.last_rebuild_at_ms = record_.last_rebuild_at_ms;
  status.last_rebuild_duration_ms = record_.last_rebuild_duration_ms;
  if (shadow_ != nullptr) {
    RebuildProgress& p = status.rebuild;
    p.running = true;
    p.done = shadow_->position();
    p.total = std::max(status.head, p.done);
    p.started_at_ms = record_.rebuild_started_at_ms;
    const int64_t elapsed_ms = now - rebuild_from_ms_;
    const int64_t progressed = p.done - rebuild_from_position_;
    if (elapsed_ms > 0 && progressed > 0) {
      p.positions_per_second = progressed * 1000.0 / elapsed_ms;
      p.eta_ms = static_cast<int64_t>((p.total - p.done) * 1000.0 /
                                      p.positions_per_second);
    }
  }
  if (stopping_) {
    status.state = ProjectionState::kStopped;
  } else if (!status.last_error.empty()) {
    status.state = ProjectionState::kFailed;
  } else if (shadow_ != nullptr) {
    status.state = ProjectionState::kRebuilding;
  }
  return status;
}

}  // namespace stockpile::runtime
