#include "runtime/projection_catalog.h"

#include <utility>

#include "core/status_macros.h"

namespace stockpile::runtime {

core::Result<std::unique_ptr<ProjectionCatalog>> ProjectionCatalog::Open(
    const std::string& path) {
  ASSIGN_OR_RETURN(std::unique_ptr<store::SqliteDb> db,
                   store::SqliteDb::Open(path, store::SqliteDb::kReadWrite));
  RETURN_IF_ERROR(
      db->Exec("CREATE TABLE IF NOT EXISTS projections ("
               " name TEXT PRIMARY KEY, live_generation INTEGER NOT NULL,"
               " building_generation INTEGER NOT NULL,"
               " rebuild_started_at_ms INTEGER NOT NULL,"
               " last_rebuild_at_ms INTEGER NOT NULL,"
               " last_rebuild_duration_ms INTEGER NOT NULL)"));
  return std::unique_ptr<ProjectionCatalog>(
      new ProjectionCatalog(std::move(db)));
}

core::Result<ProjectionRecord> ProjectionCatalog::Load(
    std::string_view projection) {
  std::lock_guard<std::mutex> lock(mu_);
  ASSIGN_OR_RETURN(
      auto st,
      db_->Prepare(
          "SELECT live_generation, building_generation,"
          " rebuild_started_at_ms, last_rebuild_at_ms,"
          " last_rebuild_duration_ms FROM projections WHERE name = ?1"));
  st.Bind(1, projection);
  ASSIGN_OR_RETURN(bool row, st.Step());
  ProjectionRecord record;
  if (row) {
    record.live_generation = st.Int(0);
    record.building_generation = st.Int(1);
    record.rebuild_started_at_ms = st.Int(2);
    record.last_rebuild_at_ms = st.Int(3);
    record.last_rebuild_duration_ms = st.Int(4);
  }
  return record;
}

core::Status ProjectionCatalog::Save(std::string_view projection,
                                     const ProjectionRecord& record) {
  std::lock_guard<std::mutex> lock(mu_);
  ASSIGN_OR_RETURN(
      auto st,
      db_->Prepare("INSERT OR REPLACE INTO projections (name, live_generation,"
                   " building_generation, rebuild_started_at_ms,"
                   " last_rebuild_at_ms, last_rebuild_duration_ms)"
                   " VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
  st.Bind(1, projection).Bind(2, record.live_generation);
  st.Bind(3, record.building_generation).Bind(4, record.rebuild_started_at_ms);
  st.Bind(5, record.last_rebuild_at_ms);
  st.Bind(6, record.last_rebuild_duration_ms);
  return st.Run();
}

}  // namespace stockpile::runtime
