#include "store/committed_versions.h"

#include <gtest/gtest.h>

namespace stockpile::store {
namespace {

TEST(CommittedVersionsTest, StagedVersionsAreSeenOnlyOncePublished) {
  CommittedVersions versions(10);
  versions.Stage("a", 3);
  EXPECT_EQ(versions.Find("a"), std::nullopt);
  versions.Publish();
  EXPECT_EQ(versions.Find("a"), 3);
  versions.Stage("a", 4);
  EXPECT_EQ(versions.Find("a"), 3);
  versions.Publish();
  EXPECT_EQ(versions.Find("a"), 4);
}

// After a rollback nothing staged before it is trusted: the keys are
// forgotten (the caller asks the database), not left at an old version
// that a committed part of the batch may have moved.
TEST(CommittedVersionsTest, ARollbackForgetsWhatWasStagedBeforeIt) {
  CommittedVersions versions(10);
  versions.Stage("a", 1);
  versions.Stage("b", 1);
  versions.Publish();
  versions.Stage("a", 2);
  versions.RolledBack();
  versions.Stage("b", 2);  // after the rollback: it counts
  versions.Publish();
  EXPECT_EQ(versions.Find("a"), std::nullopt);
  EXPECT_EQ(versions.Find("b"), 2);
}

TEST(CommittedVersionsTest, ARolledBackBatchChangesNothingUntilTheNextCommit) {
  CommittedVersions versions(10);
  versions.Stage("a", 1);
  versions.Publish();
  versions.Stage("a", 2);
  versions.RolledBack();
  EXPECT_EQ(versions.Find("a"), 1);  // still what is committed
  versions.Publish();
  EXPECT_EQ(versions.Find("a"), std::nullopt);
}

TEST(CommittedVersionsTest, ForgottenKeysAreNotAnswered) {
  CommittedVersions versions(10);
  versions.Stage("a", 5);
  versions.Publish();
  versions.Forget("a");
  EXPECT_EQ(versions.Find("a"), 5);
  versions.Publish();
  EXPECT_EQ(versions.Find("a"), std::nullopt);
}

TEST(CommittedVersionsTest, StaysWithinItsCapacity) {
  CommittedVersions versions(2);
  versions.Stage("a", 1);
  versions.Stage("b", 1);
  versions.Stage("c", 1);
  versions.Publish();
  EXPECT_EQ(versions.Find("c"), 1);
  EXPECT_EQ(versions.Find("a"), std::nullopt);
  versions.Stage("d", 1);
  versions.Publish();
  versions.Stage("c", 2);  // an update of a held key needs no room
  versions.Publish();
  EXPECT_EQ(versions.Find("c"), 2);
  EXPECT_EQ(versions.Find("d"), 1);
}

}  // namespace
}  // namespace stockpile::store
