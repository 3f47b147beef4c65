// Rendering of metrics in the Prometheus text exposition format 0.0.4
// (https://prometheus.io/docs/instrumenting/exposition_formats/), served by
// GET /metrics.
//
// For each family, ordered by name: "# HELP", "# TYPE", then one line per
// series ordered by label values; histograms as cumulative `_bucket{le=..}`
// lines ending with le="+Inf", then `_sum` and `_count`. Families with label
// names but no series yet are left out. Label values and help text are
// escaped (\\, \", \n); invalid UTF-8 in them is replaced with U+FFFD.
// Floats: "+Inf", "-Inf", "NaN", else the shortest text that reads back
// exactly.
#ifndef STOCKPILE_OBS_PROMETHEUS_TEXT_H_
#define STOCKPILE_OBS_PROMETHEUS_TEXT_H_

#include <span>
#include <string>
#include <string_view>

#include "obs/metric_snapshot.h"
#include "obs/metrics_registry.h"

namespace stockpile::obs {

// The Content-Type of the rendered text.
inline constexpr std::string_view kPrometheusTextContentType =
    "text/plain; version=0.0.4; charset=utf-8";

std::string RenderPrometheusText(const MetricsRegistry& registry);
std::string RenderPrometheusText(std::span<const FamilySnapshot> families);

// Appends `v` as the format writes sample values.
void AppendPrometheusFloat(double v, std::string& out);

}  // namespace stockpile::obs

#endif  // STOCKPILE_OBS_PROMETHEUS_TEXT_H_
