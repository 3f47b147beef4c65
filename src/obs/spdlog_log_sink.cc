// The stderr and file LogSinks, on spdlog's thread-safe sinks. Lines arrive
// fully formatted, so the spdlog pattern is the bare message.
#include <spdlog/logger.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>

#include <memory>
#include <utility>

#include "obs/log_sink.h"

namespace stockpile::obs {
namespace {

spdlog::level::level_enum ToSpdlog(LogLevel level) {
  switch (level) {
    case LogLevel::kTrace:
      return spdlog::level::trace;
    case LogLevel::kDebug:
      return spdlog::level::debug;
    case LogLevel::kInfo:
      return spdlog::level::info;
    case LogLevel::kWarn:
      return spdlog::level::warn;
    case LogLevel::kError:
      return spdlog::level::err;
    case LogLevel::kOff:
      return spdlog::level::off;
  }
  return spdlog::level::off;
}

class SpdlogLogSink final : public LogSink {
 public:
  explicit SpdlogLogSink(spdlog::sink_ptr sink)
      : logger_("stockpile", std::move(sink)) {
    logger_.set_pattern("%v");
    logger_.set_level(spdlog::level::trace);  // Logger filters already
    logger_.flush_on(spdlog::level::warn);
  }

  void Write(LogLevel level, std::string_view line) override {
    logger_.log(ToSpdlog(level),
                spdlog::string_view_t(line.data(), line.size()));
  }
  void Flush() override { logger_.flush(); }

 private:
  spdlog::logger logger_;  // thread-safe: its sinks are the _mt variants
};

}  // namespace

std::unique_ptr<LogSink> MakeStderrLogSink() {
  return std::make_unique<SpdlogLogSink>(
      std::make_shared<spdlog::sinks::stderr_sink_mt>());
}

core::Result<std::unique_ptr<LogSink>> MakeFileLogSink(
    const std::string& path) {
  try {
    return std::unique_ptr<LogSink>(std::make_unique<SpdlogLogSink>(
        std::make_shared<spdlog::sinks::basic_file_sink_mt>(path)));
  } catch (const spdlog::spdlog_ex& e) {
    return core::UnavailableError("cannot open log file '" + path +
                                  "': " + e.what());
  }
}

}  // namespace stockpile::obs
