#include "obs/metric_names.h"

#include <gtest/gtest.h>

namespace stockpile::obs {
namespace {

TEST(MetricNamesTest, AcceptsPrometheusMetricNames) {
  EXPECT_TRUE(IsValidMetricName("stockpile_events_appended_total"));
  EXPECT_TRUE(IsValidMetricName("_private"));
  EXPECT_TRUE(IsValidMetricName("job:request_rate:5m"));
  EXPECT_TRUE(IsValidMetricName("a1"));
}

TEST(MetricNamesTest, RejectsBadMetricNames) {
  EXPECT_FALSE(IsValidMetricName(""));
  EXPECT_FALSE(IsValidMetricName("1abc"));
  EXPECT_FALSE(IsValidMetricName("http-requests"));
  EXPECT_FALSE(IsValidMetricName("events.appended"));
  EXPECT_FALSE(IsValidMetricName("caf\xC3\xA9"));
}

TEST(MetricNamesTest, LabelNamesHaveNoColonAndNoDoubleUnderscorePrefix) {
  EXPECT_TRUE(IsValidLabelName("subscription"));
  EXPECT_TRUE(IsValidLabelName("_x9"));
  EXPECT_FALSE(IsValidLabelName("a:b"));
  EXPECT_FALSE(IsValidLabelName("__name__"));
  EXPECT_FALSE(IsValidLabelName("9a"));
  EXPECT_FALSE(IsValidLabelName(""));
}

TEST(MetricNamesTest, ValidateNamesTheCulprit) {
  EXPECT_TRUE(ValidateMetricNames("m", {"a", "b"}).ok());
  core::Status dup = ValidateMetricNames("m", {"a", "b", "a"});
  EXPECT_EQ(dup.code(), core::StatusCode::kInvalidArgument);
  EXPECT_NE(dup.message().find("'a' repeats"), std::string::npos);
  core::Status reserved = ValidateMetricNames("m", {"le"}, "le");
  EXPECT_NE(reserved.message().find("reserved"), std::string::npos);
  EXPECT_NE(ValidateMetricNames("m-x", {}).message().find("'m-x'"),
            std::string::npos);
}

}  // namespace
}  // namespace stockpile::obs
