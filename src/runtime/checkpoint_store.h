// CheckpointStore: where each subscription remembers how far it got in the
// log. A checkpoint P means every event at position <= P is handled or
// parked; on restart the subscription resumes after P.
//
//   ASSIGN_OR_RETURN(int64_t after, checkpoints.Load("billing"));  // 0: new
//   RETURN_IF_ERROR(runner.Run([&](Transaction& tx) {
//     return checkpoints.Save(tx, "billing", 42);
//   }));
//
// Thread-safety: implementations are safe for concurrent use.
#ifndef STOCKPILE_RUNTIME_CHECKPOINT_STORE_H_
#define STOCKPILE_RUNTIME_CHECKPOINT_STORE_H_

#include <cstdint>
#include <string_view>

#include "core/result.h"
#include "runtime/transaction.h"

namespace stockpile::runtime {

class CheckpointStore {
 public:
  virtual ~CheckpointStore() = default;

  // The saved position, 0 when the subscription has none yet.
  virtual core::Result<int64_t> Load(std::string_view subscription) = 0;

  // Saves `position` as part of `tx`. A position below the saved one is
  // ignored (checkpoints never move backwards).
  virtual core::Status Save(Transaction& tx, std::string_view subscription,
                            int64_t position) = 0;
};

}  // namespace stockpile::runtime

#endif  // STOCKPILE_RUNTIME_CHECKPOINT_STORE_H_
