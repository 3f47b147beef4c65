// ReadModelDb: one copy (generation) of a projection's read model — a
// SQLite file with the projection's tables and its checkpoint, so a page of
// events and the position it reached commit in one transaction (exactly
// once without an inbox).
//
//   ASSIGN_OR_RETURN(auto copy, ReadModelDb::Open("/data/p/orders.3.db",
//                                                 projection));
//   ASSIGN_OR_RETURN(auto page, store.ReadAll(copy->position(), 1000, f));
//   RETURN_IF_ERROR(copy->ApplyPage(projection, *page));
//   RETURN_IF_ERROR(copy->Read([](store::SqliteDb& db) { ...SELECT... }));
//
// Durability: synchronous=NORMAL. A power loss may drop the newest commits,
// never half of one; the checkpoint falls back with the rows and the log
// replays them.
//
// Ownership: the writer and reader connections are owned; with
// remove_on_close() the files go when the last owner lets go (an old
// generation after a swap).
// Thread-safety: ApplyPage calls are serialized by the caller; Read may run
// concurrently with them from any thread (WAL: it sees the last commit).
#ifndef STOCKPILE_RUNTIME_READ_MODEL_DB_H_
#define STOCKPILE_RUNTIME_READ_MODEL_DB_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "core/result.h"
#include "runtime/projection.h"
#include "store/sqlite_db.h"
#include "store/store_types.h"

namespace stockpile::runtime {

class ReadModelDb {
 public:
  // Opens the copy at `path`, creating the file, the projection's schema
  // and the checkpoint (0) when the file is new.
  static core::Result<std::unique_ptr<ReadModelDb>> Open(
      const std::string& path, Projection& projection);
  // Closes the connections; removes the files if remove_on_close().
  ~ReadModelDb();
  ReadModelDb(const ReadModelDb&) = delete;
  ReadModelDb& operator=(const ReadModelDb&) = delete;

  // The log position everything at or below which is applied.
  int64_t position() const { return position_.load(); }

  // Applies `page` (events after position(), in order) and moves the
  // checkpoint to page.last_scanned_position, in one transaction.
  core::Status ApplyPage(Projection& projection,
                         const store::ReadAllResult& page);

  // Runs `read` on this copy's read-only connection (one reader at a time).
  core::Status Read(const std::function<core::Status(store::SqliteDb&)>& read);

  // Delete the files when this object is destroyed.
  void remove_on_close() { remove_on_close_.store(true); }
  const std::string& path() const { return path_; }

 private:
  ReadModelDb(std::string path, std::unique_ptr<store::SqliteDb> writer);

  const std::string path_;
  std::unique_ptr<store::SqliteDb> writer_;  // used by ApplyPage only
  std::atomic<int64_t> position_{0};
  std::atomic<bool> remove_on_close_{false};

  std::mutex read_mu_;
  std::unique_ptr<store::SqliteDb> reader_;  // GUARDED_BY(read_mu_), lazy
};

}  // namespace stockpile::runtime

#endif  // STOCKPILE_RUNTIME_READ_MODEL_DB_H_
