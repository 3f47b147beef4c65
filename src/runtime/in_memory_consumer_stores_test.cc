// The in-memory checkpoint and inbox stores undo a failed transaction's
// writes exactly (their undo steps hold addresses of map entries, which
// must survive the rehashes that later writes cause).
#include <gtest/gtest.h>

#include <string>

#include "core/status_macros.h"
#include "runtime/in_memory_checkpoint_store.h"
#include "runtime/in_memory_inbox_store.h"
#include "runtime/in_memory_transaction.h"

namespace stockpile::runtime {
namespace {

TEST(InMemoryConsumerStoresTest, FailedWorkUndoesManyWrites) {
  InMemoryTransactionRunner runner;
  InMemoryInboxStore inbox;
  InMemoryCheckpointStore checkpoints;
  ASSERT_TRUE(runner
                  .Run([&](Transaction& tx) -> core::Status {
                    RETURN_IF_ERROR(inbox.Add(tx, "billing", "kept"));
                    return checkpoints.Save(tx, "billing", 3);
                  })
                  .ok());
  core::Status status = runner.Run([&](Transaction& tx) -> core::Status {
    for (int i = 0; i < 1000; ++i) {
      RETURN_IF_ERROR(inbox.Add(tx, "billing", "e-" + std::to_string(i)));
      RETURN_IF_ERROR(inbox.Add(tx, "s-" + std::to_string(i), "e-0"));
    }
    RETURN_IF_ERROR(checkpoints.Save(tx, "billing", 9));
    return core::UnavailableError("effect failed");
  });
  EXPECT_EQ(status, core::UnavailableError("effect failed"));
  EXPECT_EQ(*checkpoints.Load("billing"), 3);
  EXPECT_TRUE(*inbox.Contains("billing", "kept"));
  for (int i = 0; i < 1000; ++i) {
    EXPECT_FALSE(*inbox.Contains("billing", "e-" + std::to_string(i))) << i;
    EXPECT_FALSE(*inbox.Contains("s-" + std::to_string(i), "e-0")) << i;
  }
  // The undone ids can be added again.
  EXPECT_TRUE(
      runner
          .Run([&](Transaction& tx) { return inbox.Add(tx, "billing", "e-1"); })
          .ok());
  EXPECT_TRUE(*inbox.Contains("billing", "e-1"));
}

}  // namespace
}  // namespace stockpile::runtime
