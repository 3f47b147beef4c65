#include "domain/forecasting/reorder_point.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace stockpile::domain::forecasting {
namespace {

TEST(ReorderPointTest, IsLeadTimeDemandPlusSafetyStock) {
  const std::vector<double> daily(30, 10.0);
  auto rp = DynamicReorderPoint(daily, /*sigma=*/3, /*lead_time_days=*/4, 0.95);
  ASSERT_TRUE(rp.ok()) << rp.status();
  EXPECT_NEAR(rp->z, 1.6449, 1e-4);
  EXPECT_DOUBLE_EQ(rp->lead_time_demand, 40);
  // 1.645 * 3 * sqrt(4) = 9.87
  EXPECT_NEAR(rp->safety_stock, 9.8691, 1e-3);
  EXPECT_EQ(rp->reorder_point, 50);

  auto certain = DynamicReorderPoint(daily, 0, 7, 0.99);
  ASSERT_TRUE(certain.ok());
  EXPECT_EQ(certain->reorder_point, 70);
}

TEST(ReorderPointTest, NormalQuantileMatchesTheTable) {
  EXPECT_NEAR(NormalQuantile(0.5), 0, 1e-9);
  EXPECT_NEAR(NormalQuantile(0.9), 1.281552, 1e-6);
  EXPECT_NEAR(NormalQuantile(0.99), 2.326348, 1e-6);
  EXPECT_NEAR(NormalQuantile(0.01), -2.326348, 1e-6);
}

TEST(ReorderPointTest, RefusesBadInput) {
  const std::vector<double> daily(10, 1.0);
  EXPECT_FALSE(DynamicReorderPoint(daily, 1, 0, 0.95).ok());
  EXPECT_FALSE(DynamicReorderPoint(daily, 1, 11, 0.95).ok());
  EXPECT_FALSE(DynamicReorderPoint(daily, 1, 5, 1.0).ok());
  EXPECT_FALSE(DynamicReorderPoint(daily, 1, 5, 0.3).ok());
  EXPECT_FALSE(DynamicReorderPoint(daily, -1, 5, 0.95).ok());
  EXPECT_FALSE(DynamicReorderPoint(daily, std::nan(""), 5, 0.95).ok());
}

}  // namespace
}  // namespace stockpile::domain::forecasting
