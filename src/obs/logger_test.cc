#include "obs/logger.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/json/parse.hpp>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>

#include "core/clock.h"
#include "obs/memory_log_sink.h"

namespace stockpile::obs {
namespace {

using ::testing::SizeIs;

class LoggerTest : public ::testing::Test {
 protected:
  boost::json::object Line(size_t i) const {
    const std::vector<std::string> lines = sink_->Lines();
    EXPECT_LT(i, lines.size());
    if (i >= lines.size()) return {};
    EXPECT_EQ(lines[i].find('\n'), std::string::npos) << lines[i];
    return boost::json::parse(lines[i]).as_object();
  }

  core::ManualClock clock_;  // 2026-01-01T00:00:00Z
  std::shared_ptr<MemoryLogSink> sink_ = std::make_shared<MemoryLogSink>();
  Logger log_{sink_, clock_, LogLevel::kInfo, "stockpile"};
};

TEST_F(LoggerTest, WritesOneJsonObjectPerLine) {
  clock_.Advance(std::chrono::milliseconds(123));
  log_.Info("order accepted", {{"orderId", std::string("o-7")},
                               {"lines", 3},
                               {"total", 12.5},
                               {"paid", false},
                               {"count", uint64_t{18446744073709551615u}}});
  ASSERT_THAT(sink_->Lines(), SizeIs(1));
  EXPECT_EQ(sink_->Lines()[0],
            R"({"ts":"2026-01-01T00:00:00.123Z","level":"info",)"
            R"("logger":"stockpile","msg":"order accepted","orderId":"o-7",)"
            R"("lines":3,"total":12.5,"paid":false,)"
            R"("count":18446744073709551615})");
}

TEST_F(LoggerTest, DropsLinesBelowTheLevelOfTheWholeFamily) {
  Logger orders = log_.Named("orders");
  orders.Debug("hidden");
  log_.Warn("shown");
  EXPECT_THAT(sink_->Lines(), SizeIs(1));
  EXPECT_EQ(Line(0).at("level").as_string(), "warn");

  orders.SetLevel(LogLevel::kDebug);  // shared with the root
  log_.Debug("now shown");
  EXPECT_THAT(sink_->Lines(), SizeIs(2));
  log_.SetLevel(LogLevel::kOff);
  log_.Error("silenced");
  EXPECT_THAT(sink_->Lines(), SizeIs(2));
}

TEST_F(LoggerTest, BoundFieldsCarryTheCorrelationIdOnEveryLine) {
  Logger request = log_.Named("api").With({{"correlationId", "c-42"}});
  request.Info("received");
  request.Named("orders").Info("accepted", {{"orderId", "o-1"}});
  log_.Info("unrelated");
  EXPECT_EQ(Line(0).at("correlationId").as_string(), "c-42");
  EXPECT_EQ(Line(0).at("logger").as_string(), "stockpile.api");
  EXPECT_EQ(Line(1).at("correlationId").as_string(), "c-42");
  EXPECT_EQ(Line(1).at("orderId").as_string(), "o-1");
  EXPECT_EQ(Line(1).at("logger").as_string(), "stockpile.api.orders");
  EXPECT_FALSE(Line(2).contains("correlationId"));
}

TEST_F(LoggerTest, EscapesTextAndRepairsInvalidUtf8) {
  log_.Info("quote \" backslash \\ newline \n tab \t",
            {{"raw", "bad\xFFutf8"}});
  boost::json::object line = Line(0);
  EXPECT_EQ(line.at("msg").as_string(),
            "quote \" backslash \\ newline \n tab \t");
  EXPECT_EQ(line.at("raw").as_string(), "bad\xEF\xBF\xBDutf8");
}

TEST_F(LoggerTest, FieldsCannotOverwriteBuiltInKeys) {
  log_.Info("real", {{"msg", "fake"}, {"level", "fake"}});
  boost::json::object line = Line(0);
  EXPECT_EQ(line.at("msg").as_string(), "real");
  EXPECT_EQ(line.at("_msg").as_string(), "fake");
  EXPECT_EQ(line.at("_level").as_string(), "fake");
}

TEST_F(LoggerTest, WritesStatusesAndNonFiniteNumbers) {
  log_.Error("append failed",
             {{"error", core::ConflictError("stream at 3, expected 2")},
              {"rate", NAN}});
  boost::json::object line = Line(0);
  EXPECT_EQ(line.at("error").as_string(), "Conflict: stream at 3, expected 2");
  EXPECT_TRUE(line.at("rate").is_null());
}

TEST(LoggerDiscardTest, WritesNothingAtAnyLevel) {
  Logger log = Logger::Discard();
  log.SetLevel(LogLevel::kTrace);
  EXPECT_FALSE(log.Enabled(LogLevel::kError));
  log.Error("nowhere");  // must not crash without a sink
}

TEST(LogLevelTest, ParsesConfigNames) {
  EXPECT_EQ(*ParseLogLevel("debug"), LogLevel::kDebug);
  EXPECT_EQ(*ParseLogLevel("WARNING"), LogLevel::kWarn);
  EXPECT_EQ(*ParseLogLevel("Off"), LogLevel::kOff);
  core::Result<LogLevel> bad = ParseLogLevel("loud");
  EXPECT_EQ(bad.status().code(), core::StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("'loud'"), std::string::npos);
}

TEST(FileLogSinkTest, AppendsLinesToTheFile) {
  const std::filesystem::path path =
      std::filesystem::temp_directory_path() /
      ("stockpile_log_test_" + std::to_string(::getpid()) + ".log");
  std::filesystem::remove(path);
  core::ManualClock clock;
  for (const char* msg : {"first", "second"}) {
    core::Result<std::unique_ptr<LogSink>> sink =
        MakeFileLogSink(path.string());
    ASSERT_TRUE(sink.ok()) << sink.status();
    Logger log(std::shared_ptr<LogSink>(std::move(*sink)), clock,
               LogLevel::kInfo, "file");
    log.Info(msg);
    log.Flush();
  }
  std::ifstream in(path);
  std::string first, second, extra;
  ASSERT_TRUE(std::getline(in, first));
  ASSERT_TRUE(std::getline(in, second));
  EXPECT_FALSE(std::getline(in, extra));
  EXPECT_EQ(boost::json::parse(first).at("msg").as_string(), "first");
  EXPECT_EQ(boost::json::parse(second).at("msg").as_string(), "second");
  std::filesystem::remove(path);
}

TEST(FileLogSinkTest, UnwritablePathIsUnavailable) {
  EXPECT_EQ(MakeFileLogSink("/proc/no/such/dir/x.log").status().code(),
            core::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace stockpile::obs
