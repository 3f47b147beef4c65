#include "obs/memory_log_sink.h"

namespace stockpile::obs {

void MemoryLogSink::Write(LogLevel /*level*/, std::string_view line) {
  std::lock_guard<std::mutex> lock(mu_);
  lines_.emplace_back(line);
}

std::vector<std::string> MemoryLogSink::Lines() const {
  std::lock_guard<std::mutex> lock(mu_);
  return lines_;
}

void MemoryLogSink::Clear() {
  std::lock_guard<std::mutex> lock(mu_);
  lines_.clear();
}

}  // namespace stockpile::obs
