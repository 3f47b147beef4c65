#include "obs/logger.h"

#include <array>
#include <charconv>
#include <cmath>
#include <utility>

#include "core/check.h"
#include "core/json_text.h"
#include "core/time_format.h"
#include "obs/utf8_repair.h"

namespace stockpile::obs {
namespace {

void AppendNumber(auto v, std::string& out) {
  char buf[32];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  CHECK(ec == std::errc());
  out.append(buf, end);
}

void AppendText(std::string_view s, std::string& out) {
  std::string storage;
  core::AppendJsonString(RepairUtf8(s, storage), out);
}

void AppendField(const LogField& field, std::string& out) {
  static constexpr std::array<std::string_view, 4> kBuiltIn = {"ts", "level",
                                                               "logger", "msg"};
  out.push_back(',');
  bool clash = false;
  for (std::string_view k : kBuiltIn) clash = clash || field.key == k;
  if (clash) {
    AppendText("_" + std::string(field.key), out);
  } else {
    AppendText(field.key, out);
  }
  out.push_back(':');
  field.value.AppendJson(out);
}

}  // namespace

void LogValue::AppendJson(std::string& out) const {
  switch (kind_) {
    case Kind::kString:
      AppendText(string_, out);
      return;
    case Kind::kBool:
      out += bool_ ? "true" : "false";
      return;
    case Kind::kInt:
      AppendNumber(int_, out);
      return;
    case Kind::kUint:
      AppendNumber(uint_, out);
      return;
    case Kind::kDouble:
      if (std::isfinite(double_)) {
        AppendNumber(double_, out);
      } else {
        out += "null";
      }
      return;
    case Kind::kStatus:
      AppendText(status_->ToString(), out);
      return;
  }
}

Logger::Logger(std::shared_ptr<LogSink> sink, const core::Clock& clock,
               LogLevel level, std::string name)
    : shared_(std::make_shared<Shared>()), name_(std::move(name)) {
  CHECK(sink != nullptr) << "Logger needs a sink; use Logger::Discard()";
  shared_->sink = std::move(sink);
  shared_->clock = &clock;
  shared_->level.store(level, std::memory_order_relaxed);
}

Logger::Logger(std::shared_ptr<Shared> shared, std::string name,
               std::string bound)
    : shared_(std::move(shared)),
      name_(std::move(name)),
      bound_(std::move(bound)) {}

Logger Logger::Discard() {
  auto shared = std::make_shared<Shared>();
  shared->clock = nullptr;
  shared->level.store(LogLevel::kOff, std::memory_order_relaxed);
  return Logger(std::move(shared), "", "");
}

Logger Logger::Named(std::string_view child) const {
  std::string name =
      name_.empty() ? std::string(child) : name_ + "." + std::string(child);
  return Logger(shared_, std::move(name), bound_);
}

Logger Logger::With(LogFields fields) const {
  std::string bound = bound_;
  for (const LogField& field : fields) AppendField(field, bound);
  return Logger(shared_, name_, std::move(bound));
}

void Logger::SetLevel(LogLevel level) const {
  if (shared_->sink == nullptr) return;  // Discard() stays off
  shared_->level.store(level, std::memory_order_relaxed);
}

LogLevel Logger::level() const {
  return shared_->level.load(std::memory_order_relaxed);
}

void Logger::Log(LogLevel level, std::string_view msg, LogFields fields) const {
  CHECK(level != LogLevel::kOff) << "kOff is not the level of a line";
  if (!Enabled(level)) return;
  std::string line;
  line.reserve(96 + msg.size() + bound_.size() + 32 * fields.size());
  line += "{\"ts\":\"";
  core::AppendRfc3339Millis(shared_->clock->NowMillis(), line);
  line += "\",\"level\":\"";
  line += LogLevelName(level);
  line += "\",\"logger\":";
  AppendText(name_, line);
  line += ",\"msg\":";
  AppendText(msg, line);
  line += bound_;
  for (const LogField& field : fields) AppendField(field, line);
  line.push_back('}');
  shared_->sink->Write(level, line);
}

void Logger::Flush() const {
  if (shared_->sink != nullptr) shared_->sink->Flush();
}

}  // namespace stockpile::obs
