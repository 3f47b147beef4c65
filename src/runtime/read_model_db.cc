#include "runtime/read_model_db.h"

#include <filesystem>
#include <system_error>
#include <utility>

#include "core/status_macros.h"

namespace stockpile::runtime {
namespace {

constexpr std::string_view kCheckpointTable =
    "CREATE TABLE projection_checkpoint ("
    " id INTEGER PRIMARY KEY CHECK (id = 1), position INTEGER NOT NULL)";

core::Status RunSql(store::SqliteDb& db, std::string_view sql) {
  ASSIGN_OR_RETURN(auto st, db.Prepare(sql));
  return st.Run();
}

// Creates the schema in one transaction unless the file has it already.
core::Status EnsureSchema(store::SqliteDb& db, Projection& projection) {
  ASSIGN_OR_RETURN(auto exists,
                   db.Prepare("SELECT 1 FROM sqlite_master WHERE type ="
                              " 'table' AND name = 'projection_checkpoint'"));
  ASSIGN_OR_RETURN(bool found, exists.Step());
  exists.Reset();
  if (found) return core::Status::Ok();
  RETURN_IF_ERROR(RunSql(db, "BEGIN IMMEDIATE"));
  core::Status created = [&]() -> core::Status {
    for (std::string_view sql : projection.Schema()) {
      RETURN_IF_ERROR(db.Exec(sql).WithContext(
          "projection '" + std::string(projection.name()) + "' schema"));
    }
    RETURN_IF_ERROR(db.Exec(kCheckpointTable));
    return RunSql(db,
                  "INSERT INTO projection_checkpoint (id, position)"
                  " VALUES (1, 0)");
  }();
  if (!created.ok()) {
    RunSql(db, "ROLLBACK").IgnoreError();  // `created` is what matters
    return created;
  }
  return RunSql(db, "COMMIT");
}

}  // namespace

core::Result<std::unique_ptr<ReadModelDb>> ReadModelDb::Open(
    const std::string& path, Projection& projection) {
  ASSIGN_OR_RETURN(std::unique_ptr<store::SqliteDb> db,
                   store::SqliteDb::Open(path, store::SqliteDb::kReadWrite));
  RETURN_IF_ERROR(db->Exec("PRAGMA synchronous = NORMAL"));
  RETURN_IF_ERROR(EnsureSchema(*db, projection));
  ASSIGN_OR_RETURN(auto st,
                   db->Prepare("SELECT position FROM projection_checkpoint"));
  ASSIGN_OR_RETURN(bool row, st.Step());
  const int64_t position = row ? st.Int(0) : 0;
  st.Reset();
  std::unique_ptr<ReadModelDb> copy(new ReadModelDb(path, std::move(db)));
  copy->position_.store(position);
  return copy;
}

ReadModelDb::ReadModelDb(std::string path,
                         std::unique_ptr<store::SqliteDb> writer)
    : path_(std::move(path)), writer_(std::move(writer)) {}

ReadModelDb::~ReadModelDb() {
  writer_.reset();
  {
    std::lock_guard<std::mutex> lock(read_mu_);
    reader_.reset();
  }
  if (remove_on_close_.load()) {
    std::error_code ignored;  // a file left behind is only disk space
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::filesystem::remove(path_ + suffix, ignored);
    }
  }
}

core::Status ReadModelDb::ApplyPage(Projection& projection,
                                    const store::ReadAllResult& page) {
  RETURN_IF_ERROR(RunSql(*writer_, "BEGIN IMMEDIATE"));
  core::Status applied = [&]() -> core::Status {
    ReadModelTx tx(*writer_);
    RETURN_IF_ERROR(projection.ApplyPage(page.events, tx)
                        .WithContext("projection '" +
                                     std::string(projection.name()) + "'"));
    ASSIGN_OR_RETURN(auto st,
                     writer_->Prepare("UPDATE projection_checkpoint SET"
                                      " position = ?1 WHERE id = 1"));
    st.Bind(1, page.last_scanned_position);
    return st.Run();
  }();
  if (!applied.ok()) {
    RunSql(*writer_, "ROLLBACK").IgnoreError();  // `applied` matters
    return applied;
  }
  RETURN_IF_ERROR(RunSql(*writer_, "COMMIT"));
  position_.store(page.last_scanned_position);
  return core::Status::Ok();
}

core::Status ReadModelDb::Read(
    const std::function<core::Status(store::SqliteDb&)>& read) {
  std::lock_guard<std::mutex> lock(read_mu_);
  if (reader_ == nullptr) {
    ASSIGN_OR_RETURN(reader_,
                     store::SqliteDb::Open(path_, store::SqliteDb::kReadOnly));
  }
  return read(*reader_);
}

}  // namespace stockpile::runtime
