#include "runtime/read_model_registry.h"

#include <algorithm>
#include <utility>

namespace stockpile::runtime {

ReadModelRegistry::~ReadModelRegistry() { Stop(); }

void ReadModelRegistry::Add(Entry entry) {
  std::lock_guard lock(mu_);
  auto model = std::make_unique<Model>();
  model->entry = std::move(entry);
  models_.push_back(std::move(model));
}

ReadModelRegistry::Model* ReadModelRegistry::Find(std::string_view name) const {
  for (const auto& m : models_) {
    if (m->entry.name == name) return m.get();
  }
  return nullptr;
}

ProjectionStatus ReadModelRegistry::StatusOf(const Model& m,
                                             int64_t head) const {
  ProjectionStatus s;
  s.name = m.entry.name;
  s.position = m.entry.position();
  s.head = std::max(head, s.position);
  s.lag_events = s.head - s.position;
  s.state =
      m.running ? ProjectionState::kRebuilding : ProjectionState::kRunning;
  s.last_error = m.last_error;
  s.generation = m.rebuilds;
  s.last_rebuild_at_ms = m.last_rebuild_at_ms;
  s.last_rebuild_duration_ms = m.last_rebuild_duration_ms;
  s.rebuild = m.progress;
  return s;
}

std::vector<ProjectionStatus> ReadModelRegistry::List() const {
  const int64_t head = store_.HeadPosition().value_or(0);
  std::lock_guard lock(mu_);
  std::vector<ProjectionStatus> out;
  out.reserve(models_.size());
  for (const auto& m : models_) out.push_back(StatusOf(*m, head));
  return out;
}

core::Result<ProjectionStatus> ReadModelRegistry::Get(
    std::string_view name) const {
  const int64_t head = store_.HeadPosition().value_or(0);
  std::lock_guard lock(mu_);
  const Model* m = Find(name);
  if (m == nullptr) {
    return core::NotFoundError("no read model '" + std::string(name) + "'");
  }
  return StatusOf(*m, head);
}

core::Result<ProjectionStatus> ReadModelRegistry::StartRebuild(
    std::string_view name) {
  const int64_t head = store_.HeadPosition().value_or(0);
  std::thread previous;
  Model* model = nullptr;
  {
    std::lock_guard lock(mu_);
    if (stopped_) return core::CancelledError("the server is stopping");
    model = Find(name);
    if (model == nullptr) {
      return core::NotFoundError("no read model '" + std::string(name) + "'");
    }
    if (model->running) {
      return core::FailedPreconditionError("read model '" + std::string(name) +
                                           "' is already being rebuilt");
    }
    model->running = true;
    model->last_error.clear();
    model->progress =
        RebuildProgress{.running = true, .started_at_ms = clock_.NowMillis()};
    previous = std::move(model->thread);
  }
  // The previous rebuild has finished (running was false); join it outside
  // the lock, since its last step takes the lock too.
  if (previous.joinable()) previous.join();
  {
    std::lock_guard lock(mu_);
    if (stopped_) {
      model->running = false;
      model->progress.running = false;
      return core::CancelledError("the server is stopping");
    }
    // As it starts: a fast rebuild may be done before the caller looks.
    ProjectionStatus status = StatusOf(*model, head);
    model->thread = std::thread([this, model] { RunRebuild(model); });
    return status;
  }
}

void ReadModelRegistry::RunRebuild(Model* model) {
  const int64_t started = clock_.NowMillis();
  const Progress progress = [this, model, started](int64_t done,
                                                   int64_t total) {
    std::lock_guard lock(mu_);
    RebuildProgress& p = model->progress;
    p.done = done;
    p.total = total;
    const int64_t elapsed = clock_.NowMillis() - started;
    if (elapsed > 0 && done > 0) {
      p.positions_per_second =
          static_cast<double>(done) * 1000.0 / static_cast<double>(elapsed);
      p.eta_ms = static_cast<int64_t>(static_cast<double>(total - done) *
                                      1000.0 / p.positions_per_second);
    }
    return !stopped_;
  };
  core::Status result = model->entry.rebuild(progress);
  const int64_t finished = clock_.NowMillis();
  std::lock_guard lock(mu_);
  model->running = false;
  model->progress.running = false;
  if (result.ok()) {
    ++model->rebuilds;
    model->last_rebuild_at_ms = finished;
    model->last_rebuild_duration_ms = finished - started;
    model->progress.done = model->progress.total;
    model->progress.eta_ms = 0;
  } else {
    model->last_error = result.ToString();
  }
}

void ReadModelRegistry::Stop() {
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(mu_);
    stopped_ = true;
    for (const auto& m : models_) {
      if (m->thread.joinable()) threads.push_back(std::move(m->thread));
    }
  }
  for (std::thread& t : threads) t.join();
}

}  // namespace stockpile::runtime
