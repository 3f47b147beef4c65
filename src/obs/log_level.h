// LogLevel: the severity of a log line, and its names as used in JSON logs
// and configuration ("trace", "debug", "info", "warn", "error", "off").
#ifndef STOCKPILE_OBS_LOG_LEVEL_H_
#define STOCKPILE_OBS_LOG_LEVEL_H_

#include <string_view>

#include "core/result.h"

namespace stockpile::obs {

// Ordered by severity; a logger at level L writes lines of level >= L.
// kOff as a logger's level writes nothing; it is not a line's level.
enum class LogLevel { kTrace, kDebug, kInfo, kWarn, kError, kOff };

std::string_view LogLevelName(LogLevel level);

// Accepts the names above in any case, and "warning". InvalidArgument
// listing the accepted names otherwise.
core::Result<LogLevel> ParseLogLevel(std::string_view text);

}  // namespace stockpile::obs

#endif  // STOCKPILE_OBS_LOG_LEVEL_H_
