// ProjectionCatalog: which generation (read-model file) of each projection
// is live, which one is being rebuilt, and when the last rebuild ran — one
// row per projection in "<directory>/projections.db". Saving a row is one
// atomic, durable statement: that is the swap of a rebuilt copy.
//
//   ASSIGN_OR_RETURN(auto catalog, ProjectionCatalog::Open(dir +
//   "/projections.db")); ASSIGN_OR_RETURN(ProjectionRecord r,
//   catalog->Load("order_summary")); r.live_generation = r.building_generation;
//   r.building_generation = 0; RETURN_IF_ERROR(catalog->Save("order_summary",
//   r));
//
// Thread-safety: safe for concurrent use (one connection, serialized).
#ifndef STOCKPILE_RUNTIME_PROJECTION_CATALOG_H_
#define STOCKPILE_RUNTIME_PROJECTION_CATALOG_H_

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "core/result.h"
#include "store/sqlite_db.h"

namespace stockpile::runtime {

struct ProjectionRecord {
  int64_t live_generation = 0;      // 0: none yet
  int64_t building_generation = 0;  // 0: no rebuild running
  int64_t rebuild_started_at_ms = 0;
  int64_t last_rebuild_at_ms = 0;  // clock time the last swap happened
  int64_t last_rebuild_duration_ms = 0;
};

class ProjectionCatalog {
 public:
  static core::Result<std::unique_ptr<ProjectionCatalog>> Open(
      const std::string& path);

  // The projection's row; a zero record when it has none.
  core::Result<ProjectionRecord> Load(std::string_view projection);
  // Inserts or replaces the projection's row.
  core::Status Save(std::string_view projection,
                    const ProjectionRecord& record);

 private:
  explicit ProjectionCatalog(std::unique_ptr<store::SqliteDb> db)
      : db_(std::move(db)) {}

  std::mutex mu_;
  std::unique_ptr<store::SqliteDb> db_;  // GUARDED_BY(mu_)
};

}  // namespace stockpile::runtime

#endif  // STOCKPILE_RUNTIME_PROJECTION_CATALOG_H_
