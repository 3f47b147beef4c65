// LogSink: where a Logger's finished lines go. Implementations: stderr and
// file (spdlog underneath, see MakeStderrLogSink / MakeFileLogSink) and
// MemoryLogSink for tests. spdlog stays out of every public header.
//
// Thread-safety: implementations must be safe for concurrent use; Write is
// called from many threads at once.
#ifndef STOCKPILE_OBS_LOG_SINK_H_
#define STOCKPILE_OBS_LOG_SINK_H_

#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"
#include "obs/log_level.h"

namespace stockpile::obs {

class LogSink {
 public:
  virtual ~LogSink() = default;
  // `line` is one complete JSON object without a trailing newline; the sink
  // adds the line break. Writes of concurrent callers never interleave.
  virtual void Write(LogLevel level, std::string_view line) = 0;
  // Pushes buffered lines to the device.
  virtual void Flush() = 0;
};

// Lines to standard error, unbuffered.
std::unique_ptr<LogSink> MakeStderrLogSink();

// Lines appended to the file at `path` (created if missing); flushed at
// every warn or error line and on Flush(). Unavailable when the file cannot
// be opened.
core::Result<std::unique_ptr<LogSink>> MakeFileLogSink(const std::string& path);

}  // namespace stockpile::obs

#endif  // STOCKPILE_OBS_LOG_SINK_H_
