#include "obs/metric_names.h"

#include <algorithm>
#include <string>

namespace stockpile::obs {
namespace {

bool IsAsciiLetter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

bool IsValidMetricName(std::string_view name) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool ok =
        IsAsciiLetter(c) || c == '_' || c == ':' || (i > 0 && IsAsciiDigit(c));
    if (!ok) return false;
  }
  return true;
}

bool IsValidLabelName(std::string_view name) {
  if (name.empty() || name.starts_with("__")) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    if (!(IsAsciiLetter(c) || c == '_' || (i > 0 && IsAsciiDigit(c)))) {
      return false;
    }
  }
  return true;
}

core::Status ValidateMetricNames(std::string_view metric_name,
                                 const std::vector<std::string>& label_names,
                                 std::string_view reserved_label) {
  if (!IsValidMetricName(metric_name)) {
    return core::InvalidArgumentError(
        "metric name '" + std::string(metric_name) +
        "' does not match [a-zA-Z_:][a-zA-Z0-9_:]*");
  }
  for (size_t i = 0; i < label_names.size(); ++i) {
    const std::string& label = label_names[i];
    if (!IsValidLabelName(label)) {
      return core::InvalidArgumentError(
          "label name '" + label + "' of metric '" + std::string(metric_name) +
          "' does not match [a-zA-Z_][a-zA-Z0-9_]* or starts with __");
    }
    if (!reserved_label.empty() && label == reserved_label) {
      return core::InvalidArgumentError("label name '" + label +
                                        "' is reserved for metric '" +
                                        std::string(metric_name) + "'");
    }
    if (std::find(label_names.begin(), label_names.begin() + i, label) !=
        label_names.begin() + i) {
      return core::InvalidArgumentError("label name '" + label +
                                        "' repeats in metric '" +
                                        std::string(metric_name) + "'");
    }
  }
  return core::Status::Ok();
}

}  // namespace stockpile::obs
