// MemoryLogSink: a LogSink that keeps every line in memory, for tests and
// for components that show recent log lines.
//
//   auto sink = std::make_shared<MemoryLogSink>();
//   Logger log(sink, clock, LogLevel::kDebug, "orders");
//   ...
//   EXPECT_THAT(sink->Lines(), ElementsAre(HasSubstr("order accepted")));
//
// Thread-safety: safe for concurrent use.
#ifndef STOCKPILE_OBS_MEMORY_LOG_SINK_H_
#define STOCKPILE_OBS_MEMORY_LOG_SINK_H_

#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "obs/log_sink.h"

namespace stockpile::obs {

class MemoryLogSink final : public LogSink {
 public:
  void Write(LogLevel level, std::string_view line) override;
  void Flush() override {}

  // A copy of the lines written so far, oldest first.
  std::vector<std::string> Lines() const;
  void Clear();

 private:
  mutable std::mutex mu_;
  std::vector<std::string> lines_;  // guarded by mu_
};

}  // namespace stockpile::obs

#endif  // STOCKPILE_OBS_MEMORY_LOG_SINK_H_
