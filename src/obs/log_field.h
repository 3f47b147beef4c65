// LogField: one key/value pair of a structured log line. Both key and value
// are views: they must stay alive while the log call runs, which they do when
// written inline as in
//
//   log.Info("order accepted", {{"orderId", order.id}, {"lines", 3},
//                               {"error", status}});
//
// Values: strings, integers, floating point (NaN and infinities as null),
// bool, core::Status (as its ToString()).
#ifndef STOCKPILE_OBS_LOG_FIELD_H_
#define STOCKPILE_OBS_LOG_FIELD_H_

#include <concepts>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include "core/status.h"

namespace stockpile::obs {

class LogValue {
 public:
  // Implicit on purpose: fields are written as {"key", value}.
  LogValue(std::string_view v)  // NOLINT(google-explicit-constructor)
      : kind_(Kind::kString), string_(v) {}
  LogValue(const char* v)  // NOLINT(google-explicit-constructor)
      : LogValue(std::string_view(v)) {}
  LogValue(const std::string& v)  // NOLINT(google-explicit-constructor)
      : LogValue(std::string_view(v)) {}
  LogValue(bool v)  // NOLINT(google-explicit-constructor)
      : kind_(Kind::kBool), bool_(v) {}
  template <std::signed_integral T>
  requires(!std::same_as<T, bool>)
      LogValue(T v)  // NOLINT(google-explicit-constructor)
      : kind_(Kind::kInt), int_(v) {}
  template <std::unsigned_integral T>
  requires(!std::same_as<T, bool>)
      LogValue(T v)  // NOLINT(google-explicit-constructor)
      : kind_(Kind::kUint), uint_(v) {}
  template <std::floating_point T>
  LogValue(T v)  // NOLINT(google-explicit-constructor)
      : kind_(Kind::kDouble), double_(static_cast<double>(v)) {}
  LogValue(const core::Status& v)  // NOLINT(google-explicit-constructor)
      : kind_(Kind::kStatus), status_(&v) {}

  // Appends the value as JSON.
  void AppendJson(std::string& out) const;

 private:
  enum class Kind { kString, kBool, kInt, kUint, kDouble, kStatus };
  Kind kind_;
  union {
    bool bool_;
    int64_t int_;
    uint64_t uint_;
    double double_;
    const core::Status* status_;
  };
  std::string_view string_;
};

struct LogField {
  std::string_view key;
  LogValue value;
};

using LogFields = std::initializer_list<LogField>;

}  // namespace stockpile::obs

#endif  // STOCKPILE_OBS_LOG_FIELD_H_
