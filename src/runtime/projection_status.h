// ProjectionStatus: a snapshot of one projection — where its live read
// model is, how its last rebuild went, and the progress of a running one
// (for GET /projections and `stockpile projections list`).
//
// Thread-safety: plain values.
#ifndef STOCKPILE_RUNTIME_PROJECTION_STATUS_H_
#define STOCKPILE_RUNTIME_PROJECTION_STATUS_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace stockpile::runtime {

enum class ProjectionState {
  kRunning,
  kRebuilding,  // a shadow copy is being filled; the live one serves reads
  kFailed,      // the last page failed (last_error); it is retried
  kStopped,
};

// "running", "rebuilding", "failed", "stopped".
std::string_view ProjectionStateName(ProjectionState state);

// Progress in log positions: a rebuild has done `done` of `total` (the
// head now). Rate and ETA count what this process has applied since it
// began or resumed the rebuild, on the runner's clock.
struct RebuildProgress {
  bool running = false;
  int64_t done = 0;
  int64_t total = 0;
  double positions_per_second = 0;
  int64_t eta_ms = -1;  // -1 while no rate is known yet
  int64_t started_at_ms = 0;
};

struct ProjectionStatus {
  std::string name;
  int64_t position = 0;  // the live copy's checkpoint
  int64_t head = 0;
  int64_t lag_events = 0;  // head - position
  ProjectionState state = ProjectionState::kRunning;
  std::string last_error;
  int64_t generation = 0;          // the live copy's
  int64_t last_rebuild_at_ms = 0;  // 0: never rebuilt
  int64_t last_rebuild_duration_ms = 0;
  RebuildProgress rebuild;
};

}  // namespace stockpile::runtime

#endif  // STOCKPILE_RUNTIME_PROJECTION_STATUS_H_
