// Validation of Prometheus metric and label names (text format 0.0.4).
#ifndef STOCKPILE_OBS_METRIC_NAMES_H_
#define STOCKPILE_OBS_METRIC_NAMES_H_

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace stockpile::obs {

// [a-zA-Z_:][a-zA-Z0-9_:]*
bool IsValidMetricName(std::string_view name);

// [a-zA-Z_][a-zA-Z0-9_]*, and not starting with "__" (reserved by
// Prometheus).
bool IsValidLabelName(std::string_view name);

// InvalidArgument naming the offending name when `metric_name` or any label
// name is invalid or a label name repeats. `reserved_label` (e.g. "le" for
// histograms) is refused as a label name when not empty.
core::Status ValidateMetricNames(std::string_view metric_name,
                                 const std::vector<std::string>& label_names,
                                 std::string_view reserved_label = {});

}  // namespace stockpile::obs

#endif  // STOCKPILE_OBS_METRIC_NAMES_H_
