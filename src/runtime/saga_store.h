// SagaStore: the durable state of saga instances (saga.h) and the index of
// their timers. Writes go through the consumer's Transaction, so an
// instance's new state, its timers, the inbox record of the event that
// moved it and the checkpoint commit together (exactly-once state changes).
//
//   ASSIGN_OR_RETURN(SagaRecord r, sagas.Load("orders.fulfilment", tenant,
//   id)); r.document = NewDocument(r.document); RETURN_IF_ERROR(sagas.Save(tx,
//   r, /*expected=*/r.version));  // or Conflict
//
// Optimistic concurrency: Save writes version expected+1 only when the
// stored version is `expected` (0: nothing stored yet); otherwise it is a
// Conflict that names the stored version, and the caller reloads and
// decides again.
//
// Timers are an index for polling (DueTimers). What a timer means is the
// instance's business (the saga runtime keeps the live timers inside the
// document too, so a timer row that outlived its instance's decision is
// recognised as stale when it fires).
//
// Thread-safety: implementations are safe for concurrent use.
#ifndef STOCKPILE_RUNTIME_SAGA_STORE_H_
#define STOCKPILE_RUNTIME_SAGA_STORE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "core/result.h"
#include "runtime/transaction.h"

namespace stockpile::runtime {

// Identifies one instance: a saga's name, the tenant, the correlation key.
struct SagaId {
  std::string saga;
  std::string tenant;
  std::string key;

  friend bool operator==(const SagaId&, const SagaId&) = default;
  friend bool operator<(const SagaId& a, const SagaId& b) {
    return std::tie(a.saga, a.tenant, a.key) <
           std::tie(b.saga, b.tenant, b.key);
  }
};

struct SagaRecord {
  SagaId id;
  int64_t version = 0;   // 1 after the first Save
  std::string document;  // JSON text; saga.h owns its shape
  bool completed = false;
  int64_t updated_at_ms = 0;
};

struct SagaTimer {
  SagaId id;
  std::string name;       // unique per instance
  int64_t due_at_ms = 0;  // Unix milliseconds
};

class SagaStore {
 public:
  virtual ~SagaStore() = default;

  // The committed instance; NotFound when none was ever saved.
  virtual core::Result<SagaRecord> Load(const SagaId& id) = 0;

  // As part of `tx`: stores `record` (its version field is ignored) as
  // version expected + 1. Conflict when the stored version is not
  // `expected`.
  virtual core::Status Save(Transaction& tx, const SagaRecord& record,
                            int64_t expected) = 0;

  // As part of `tx`: sets timer (id, name), replacing one of that name.
  virtual core::Status SetTimer(Transaction& tx, const SagaTimer& timer) = 0;
  // As part of `tx`: removes timer (id, name) if there is one.
  virtual core::Status CancelTimer(Transaction& tx, const SagaId& id,
                                   std::string_view name) = 0;

  // Committed timers of `saga` due at or before `now_ms`, earliest first,
  // at most `limit`.
  virtual core::Result<std::vector<SagaTimer>> DueTimers(std::string_view saga,
                                                         int64_t now_ms,
                                                         size_t limit) = 0;
};

// The errors every backend answers with, worded alike.
core::Status SagaNotFound(const SagaId& id);
core::Status SagaConflict(const SagaId& id, int64_t expected, int64_t stored);

}  // namespace stockpile::runtime

#endif  // STOCKPILE_RUNTIME_SAGA_STORE_H_
