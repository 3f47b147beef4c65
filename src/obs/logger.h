// Logger: structured JSON logs, one object per line:
//
//   {"ts":"2026-02-09T12:00:00.123Z","level":"info","logger":"orders",
//    "msg":"order accepted","correlationId":"c-1","orderId":"o-7"}
//
//   Logger root(MakeStderrLogSink(), clock, LogLevel::kInfo, "stockpile");
//   Logger log = root.Named("orders");                 // "stockpile.orders"
//   Logger req = log.With({{"correlationId", cid}});   // on every line
//   req.Info("order accepted", {{"orderId", id}});
//
// `ts` is RFC 3339 UTC with milliseconds from the given Clock. Fields follow
// in the order given, bound (With) fields first. A field named like a
// built-in key (ts, level, logger, msg) is written with a leading '_'.
//
// Ownership: a Logger is a cheap copyable handle. Every logger derived from
// the same root (Named, With, copies) shares the sink and the level, so their
// lifetime is truly shared; the Clock is borrowed and must outlive them all.
// Thread-safety: safe for concurrent use; the line is built without any lock
// and handed to the sink in one Write.
#ifndef STOCKPILE_OBS_LOGGER_H_
#define STOCKPILE_OBS_LOGGER_H_

#include <atomic>
#include <memory>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "obs/log_field.h"
#include "obs/log_level.h"
#include "obs/log_sink.h"

namespace stockpile::obs {

class Logger {
 public:
  Logger(std::shared_ptr<LogSink> sink, const core::Clock& clock,
         LogLevel level, std::string name);

  // A logger that writes nothing (for tests and optional collaborators).
  static Logger Discard();

  // A logger named "<name>.<child>" ("<child>" when this name is empty).
  Logger Named(std::string_view child) const;
  // A logger that adds `fields` to every line (e.g. correlationId).
  Logger With(LogFields fields) const;

  // Changes the level of this logger and of every logger sharing its root.
  void SetLevel(LogLevel level) const;
  LogLevel level() const;
  bool Enabled(LogLevel level) const { return level >= this->level(); }
  const std::string& name() const { return name_; }

  // Writes one line when `level` is enabled. `level` must not be kOff.
  void Log(LogLevel level, std::string_view msg, LogFields fields = {}) const;
  void Trace(std::string_view msg, LogFields fields = {}) const {
    Log(LogLevel::kTrace, msg, fields);
  }
  void Debug(std::string_view msg, LogFields fields = {}) const {
    Log(LogLevel::kDebug, msg, fields);
  }
  void Info(std::string_view msg, LogFields fields = {}) const {
    Log(LogLevel::kInfo, msg, fields);
  }
  void Warn(std::string_view msg, LogFields fields = {}) const {
    Log(LogLevel::kWarn, msg, fields);
  }
  void Error(std::string_view msg, LogFields fields = {}) const {
    Log(LogLevel::kError, msg, fields);
  }

  void Flush() const;

 private:
  struct Shared {
    std::shared_ptr<LogSink> sink;  // null for Discard()
    const core::Clock* clock;
    std::atomic<LogLevel> level;
  };

  Logger(std::shared_ptr<Shared> shared, std::string name, std::string bound);

  std::shared_ptr<Shared> shared_;
  std::string name_;
  std::string bound_;  // rendered bound fields: ,"k":v,...
};

}  // namespace stockpile::obs

#endif  // STOCKPILE_OBS_LOGGER_H_
