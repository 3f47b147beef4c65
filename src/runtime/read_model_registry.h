// ReadModelRegistry: the in-memory read models a process keeps (the
// KeyedView lists of app/domain_services.h), by name, for GET
// /api/v1/projections and POST /api/v1/projections/{name}/rebuild.
//
//   registry.Add({.name = "products",
//                 .position = [&] { return products.position(); },
//                 .rebuild = [&](const ReadModelRegistry::Progress& p) {
//                   return RebuildKeyedView(store, filter, products, p);
//                 }});
//   ASSIGN_OR_RETURN(ProjectionStatus s, registry.StartRebuild("products"));
//   ... registry.List() shows s.rebuild.done / total while it runs ...
//
// A rebuild replays the log into a fresh copy on a background thread while
// the live copy keeps serving and following the log, then swaps the copy
// in (domain/common/read_model_rebuild.h); one rebuild per read model at a
// time. Status uses runtime::ProjectionStatus, as the SQLite projections
// of projection_runner.h do.
//
// Ownership: borrows the store and clock, which must outlive it; the
// entries' functions must stay callable until Stop(). Thread-safety: all
// methods are safe from any thread; Add before serving.
#ifndef STOCKPILE_RUNTIME_READ_MODEL_REGISTRY_H_
#define STOCKPILE_RUNTIME_READ_MODEL_REGISTRY_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "runtime/projection_status.h"
#include "store/event_store.h"

namespace stockpile::runtime {

class ReadModelRegistry {
 public:
  // Called by a rebuild after each page: `done` of `total` log positions.
  // False: stop (the registry is stopping); the rebuild then returns
  // Cancelled and the live copy stays as it is.
  using Progress = std::function<bool(int64_t done, int64_t total)>;

  struct Entry {
    std::string name;
    // The live copy's log position: the last event it folded (events of
    // other types after it count as lag).
    std::function<int64_t()> position;
    std::function<core::Status(const Progress&)> rebuild;
  };

  ReadModelRegistry(store::EventStore& store, const core::Clock& clock)
      : store_(store), clock_(clock) {}
  // Stop().
  ~ReadModelRegistry();
  ReadModelRegistry(const ReadModelRegistry&) = delete;
  ReadModelRegistry& operator=(const ReadModelRegistry&) = delete;

  void Add(Entry entry);

  // Every read model, in the order added.
  std::vector<ProjectionStatus> List() const;
  // NotFound for an unknown name.
  core::Result<ProjectionStatus> Get(std::string_view name) const;

  // Starts a rebuild in the background and returns the status it starts
  // with (generation: the rebuilds done before this one; it is done when
  // Get shows a higher generation, or failed when not running with
  // last_error set). NotFound for an unknown name, FailedPrecondition while one
  // runs, Cancelled after Stop().
  core::Result<ProjectionStatus> StartRebuild(std::string_view name);

  // Waits for running rebuilds to finish. Idempotent.
  void Stop();

 private:
  struct Model {
    Entry entry;
    // Guarded by mu_.
    bool running = false;
    std::string last_error;
    RebuildProgress progress;
    int64_t last_rebuild_at_ms = 0;
    int64_t last_rebuild_duration_ms = 0;
    int64_t rebuilds = 0;
    std::thread thread;  // the last rebuild's; joined before the next
  };

  ProjectionStatus StatusOf(const Model& m, int64_t head) const;  // needs mu_
  Model* Find(std::string_view name) const;                       // needs mu_
  void RunRebuild(Model* model);

  // Immutable after construction.
  store::EventStore& store_;
  const core::Clock& clock_;

  mutable std::mutex mu_;
  std::vector<std::unique_ptr<Model>> models_;  // GUARDED_BY(mu_)
  bool stopped_ = false;                        // GUARDED_BY(mu_)
};

}  // namespace stockpile::runtime

#endif  // STOCKPILE_RUNTIME_READ_MODEL_REGISTRY_H_
