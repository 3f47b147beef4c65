// CommittedVersions: the versions of the streams a store's writer has
// committed lately, so that StreamVersion is answered from memory instead
// of a query. The writer stages what its open transaction changes and
// publishes it once COMMIT returned; readers see only committed versions,
// and see them before the appending callers are answered.
//
//   // writer thread, inside the transaction:
//   versions.Stage(StreamKey(tenant, stream), new_version);
//   // writer thread, after COMMIT / after a ROLLBACK (TO SAVEPOINT):
//   versions.Publish();                 versions.RolledBack();
//   // any thread:
//   if (std::optional<int64_t> v = versions.Find(key)) return *v;
//
// A key it does not hold is not an answer (the caller asks the database):
// it is bounded, and forgets rather than guesses. It is exact only while
// its writer is the only one writing the database, which SqliteEventStore
// assumes anyway (its head position lives in memory too).
//
// Thread-safety: Stage, Forget, RolledBack and Publish are for the writer
// thread; Find is safe from any thread.
#ifndef STOCKPILE_STORE_COMMITTED_VERSIONS_H_
#define STOCKPILE_STORE_COMMITTED_VERSIONS_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/string_hash.h"

namespace stockpile::store {

class CommittedVersions {
 public:
  explicit CommittedVersions(size_t capacity) : capacity_(capacity) {}

  // The open transaction leaves stream `key` at `version`.
  void Stage(std::string key, int64_t version) {
    staged_.emplace_back(std::move(key), version);
  }
  // The open transaction changes `key` in a way Find must not answer for
  // (a deletion): it is forgotten at the next Publish.
  void Forget(std::string key) {
    staged_.emplace_back(std::move(key), kForget);
  }
  // Some of what was staged was rolled back: none of it is published; the
  // keys are forgotten instead (what was staged afterwards still counts).
  void RolledBack() {
    for (auto& [key, version] : staged_) version = kForget;
  }
  // The transaction committed: what it staged becomes visible.
  void Publish() {
    if (staged_.empty()) return;
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& [key, version] : staged_) {
      if (version == kForget) {
        auto it = committed_.find(key);
        if (it != committed_.end()) committed_.erase(it);
        continue;
      }
      auto it = committed_.find(key);
      if (it != committed_.end()) {
        it->second = version;
        continue;
      }
      if (committed_.size() >= capacity_) committed_.clear();
      committed_.emplace(std::move(key), version);
    }
    staged_.clear();
  }

  // The committed version of `key`, if known.
  std::optional<int64_t> Find(std::string_view key) const {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = committed_.find(key);
    if (it == committed_.end()) return std::nullopt;
    return it->second;
  }

 private:
  static constexpr int64_t kForget = -1;

  const size_t capacity_;
  std::vector<std::pair<std::string, int64_t>> staged_;  // writer thread only
  mutable std::mutex mu_;
  std::unordered_map<std::string, int64_t, core::StringHash, std::equal_to<>>
      committed_;  // GUARDED_BY(mu_)
};

}  // namespace stockpile::store

#endif  // STOCKPILE_STORE_COMMITTED_VERSIONS_H_
