// ProjectionRunner: keeps one Projection's read model up to date from the
// log and rebuilds it without taking it offline (DESIGN.md §5, issue 4).
//
//   EventStore::ReadAll (from the copy's checkpoint) -> Projection::Apply
//     -> rows + checkpoint, one SQLite transaction per page (ReadModelDb)
//
//   ASSIGN_OR_RETURN(auto runner, ProjectionRunner::Open(
//       std::make_unique<OrderSummary>(), {.directory = data_dir + "/views"},
//       {.store = store.get(), .clock = &clock}));
//   RETURN_IF_ERROR(runner->Start());
//   RETURN_IF_ERROR(runner->Read([&](store::SqliteDb& db) { ...SELECT... }));
//   RETURN_IF_ERROR(runner->Rebuild());   // replay the whole log
//   ProjectionStatus s = runner->Status();  // progress, rate, ETA
//
// Copies: the read model lives in "<directory>/<name>.<generation>.db";
// ProjectionCatalog ("<directory>/projections.db") says which generation is
// live. A rebuild fills the next generation (the shadow) from position 0
// while the live copy keeps following the log and serving reads. When the
// shadow has caught up with the head, live updates pause for a final page,
// the catalog row flips (one atomic statement) and reads move to the new
// copy; the old file is deleted when its last reader finishes. A reader
// never sees a half-built model.
//
// Crash safety: each page commits with its checkpoint, so after a kill the
// live copy and an unfinished shadow both resume where they were (Open
// resumes the rebuild; the catalog still names the old copy live).
//
// Ownership: `deps` must outlive the runner. Thread-safety: all public
// methods are safe from any thread. The step methods (CatchUpOnce,
// RebuildOnce) serve callers that drive the runner themselves (tests, the
// CLI); do not mix them with Start() for the same work.
#ifndef STOCKPILE_RUNTIME_PROJECTION_RUNNER_H_
#define STOCKPILE_RUNTIME_PROJECTION_RUNNER_H_

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "core/clock.h"
#include "core/result.h"
#include "runtime/projection.h"
#include "runtime/projection_catalog.h"
#include "runtime/projection_status.h"
#include "runtime/read_model_db.h"
#include "store/event_store.h"

namespace stockpile::runtime {

struct ProjectionOptions {
  std::string directory;             // created if absent
  size_t page_size = 1000;           // events per live transaction, >= 1
  size_t rebuild_page_size = 20000;  // events per rebuild transaction, >= 1
  // Real time between looks at an idle log (Start() only).
  std::chrono::milliseconds poll_interval{5};
  // Real time before a failed page is tried again (Start() only).
  std::chrono::milliseconds retry_interval{1000};
};

struct ProjectionDeps {
  store::EventStore* store = nullptr;
  const core::Clock* clock = nullptr;
};

class ProjectionRunner {
 public:
  // Opens (creating) the live copy and resumes an unfinished rebuild's
  // shadow. InvalidArgument for a bad name or options.
  static core::Result<std::unique_ptr<ProjectionRunner>> Open(
      std::unique_ptr<Projection> projection, ProjectionOptions options,
      ProjectionDeps deps);
  // Stop().
  ~ProjectionRunner();
  ProjectionRunner(const ProjectionRunner&) = delete;
  ProjectionRunner& operator=(const ProjectionRunner&) = delete;

  // Follows the log in a background thread, and continues a resumed
  // rebuild in another. FailedPrecondition when already started.
  core::Status Start();
  // Stops both threads after their current page. Idempotent.
  void Stop();

  // Starts a rebuild (BeginRebuild) and, once Start()ed, runs it in the
  // background until the swap.
  core::Status Rebuild();

  // Applies the next page of the log to the live copy; returns the events
  // applied (0: caught up).
  core::Result<size_t> CatchUpOnce();
  // Creates an empty shadow copy. FailedPrecondition while one exists.
  core::Status BeginRebuild();
  // Applies the next page to the shadow; when it has caught up, swaps it
  // in and returns true. FailedPrecondition without a shadow.
  core::Result<bool> RebuildOnce();

  // Runs `read` on the live copy's read-only connection.
  core::Status Read(const std::function<core::Status(store::SqliteDb&)>& read);

  ProjectionStatus Status() const;
  // Blocks until the live copy's position >= `position` (real time).
  bool WaitForPosition(int64_t position, std::chrono::milliseconds timeout);

 private:
  ProjectionRunner(std::unique_ptr<Projection> projection,
                   ProjectionOptions options, ProjectionDeps deps);
  std::string CopyPath(int64_t generation) const;
  core::Result<store::ReadAllResult> NextPage(const ReadModelDb& copy,
                                              size_t max) const;
  core::Result<bool> RebuildStep();
  // Needs rebuild_mu_. The shadow's next page: the one read ahead if it
  // starts at the shadow's position, else read now.
  core::Result<store::ReadAllResult> ShadowPage(const ReadModelDb& shadow);
  // Needs rebuild_mu_. Starts reading the page after `after` in the
  // background, so the log is read while the current page is applied.
  void ReadAhead(int64_t after);
  core::Status Swap();
  void LiveLoop();
  void RebuildLoop();
  // Needs mu_. Starts the rebuild thread unless one is running (it takes
  // up a new shadow itself); returns the previous, finished thread, to be
  // joined after mu_ is released.
  [[nodiscard]] std::thread StartRebuildThreadLocked();
  // Sets `*field` to the error text, or clears it for an ok status.
  void SetError(std::string ProjectionRunner::*field,
                const core::Status& status);

  // Immutable after construction.
  const std::unique_ptr<Projection> projection_;
  const ProjectionOptions options_;
  const ProjectionDeps deps_;
  const std::string name_;
  const store::ReadFilter filter_;
  std::unique_ptr<ProjectionCatalog> catalog_;

  // Held while a page is applied to the live copy and during the swap.
  std::mutex live_mu_;

  // Serializes RebuildOnce calls.
  std::mutex rebuild_mu_;
  std::future<core::Result<store::ReadAllResult>>
      read_ahead_;                // GUARDED_BY(rebuild_mu_)
  int64_t read_ahead_after_ = 0;  // GUARDED_BY(rebuild_mu_)

  mutable std::mutex mu_;
  std::condition_variable stop_cv_;
  std::shared_ptr<ReadModelDb> live_;    // GUARDED_BY(mu_)
  std::shared_ptr<ReadModelDb> shadow_;  // GUARDED_BY(mu_)
  ProjectionRecord record_;              // GUARDED_BY(mu_)
  std::string live_error_;               // GUARDED_BY(mu_)
  std::string rebuild_error_;            // GUARDED_BY(mu_)
  // Where and when this process began (or resumed) filling the shadow.
  int64_t rebuild_from_position_ = 0;  // GUARDED_BY(mu_)
  int64_t rebuild_from_ms_ = 0;        // GUARDED_BY(mu_)
  bool started_ = false;               // GUARDED_BY(mu_)
  bool stopping_ = false;              // GUARDED_BY(mu_)
  std::thread live_thread_;            // GUARDED_BY(mu_) to start
  std::thread rebuild_thread_;         // GUARDED_BY(mu_) to start
  bool rebuild_running_ = false;       // GUARDED_BY(mu_) its loop runs
};

}  // namespace stockpile::runtime

#endif  // STOCKPILE_RUNTIME_PROJECTION_RUNNER_H_
