#include "obs/prometheus_text.h"

#include <charconv>
#include <cmath>
#include <string>
#include <type_traits>

#include "core/check.h"
#include "obs/utf8_repair.h"

namespace stockpile::obs {
namespace {

// Appends `s` with invalid UTF-8 repaired and '\\', '\n' escaped, and '"'
// too when `escape_quote` (label values; help text keeps its quotes).
void AppendEscaped(std::string_view s, bool escape_quote, std::string& out) {
  std::string storage;
  for (const char c : RepairUtf8(s, storage)) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '"' && escape_quote) {
      out += "\\\"";
    } else {
      out.push_back(c);
    }
  }
}

void AppendLabels(const std::vector<std::string>& names,
                  const std::vector<std::string>& values, std::string_view le,
                  std::string& out) {
  if (names.empty() && le.empty()) return;
  out.push_back('{');
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out.push_back(',');
    out += names[i];
    out += "=\"";
    AppendEscaped(values[i], /*escape_quote=*/true, out);
    out.push_back('"');
  }
  if (!le.empty()) {
    if (!names.empty()) out.push_back(',');
    out += "le=\"";
    out += le;
    out.push_back('"');
  }
  out.push_back('}');
}

void AppendUnsigned(uint64_t v, std::string& out) {
  char buf[24];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  CHECK(ec == std::errc());
  out.append(buf, end);
}

// Appends "<name><suffix>{<labels>[,le="<le>"]} <value>\n".
template <typename Value>
void AppendLine(const FamilySnapshot& f, const SeriesSample& s,
                std::string_view suffix, std::string_view le, Value value,
                std::string& out) {
  out += f.name;
  out += suffix;
  AppendLabels(f.label_names, s.label_values, le, out);
  out.push_back(' ');
  if constexpr (std::is_same_v<Value, uint64_t>) {
    AppendUnsigned(value, out);
  } else {
    AppendPrometheusFloat(value, out);
  }
  out.push_back('\n');
}

void AppendSample(const FamilySnapshot& f, const SeriesSample& s,
                  std::string& out) {
  if (f.type != MetricType::kHistogram) {
    AppendLine(f, s, "", "", s.value, out);
    return;
  }
  const HistogramValue& h = s.histogram;
  CHECK(h.cumulative_counts.size() == f.bucket_bounds.size() + 1);
  std::string le;
  for (size_t i = 0; i < h.cumulative_counts.size(); ++i) {
    le.clear();
    if (i < f.bucket_bounds.size()) {
      AppendPrometheusFloat(f.bucket_bounds[i], le);
    } else {
      le = "+Inf";
    }
    AppendLine(f, s, "_bucket", le, h.cumulative_counts[i], out);
  }
  AppendLine(f, s, "_sum", "", h.sum, out);
  AppendLine(f, s, "_count", "", h.count, out);
}

}  // namespace

void AppendPrometheusFloat(double v, std::string& out) {
  if (std::isnan(v)) {
    out += "NaN";
  } else if (std::isinf(v)) {
    out += v > 0 ? "+Inf" : "-Inf";
  } else {
    char buf[32];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    CHECK(ec == std::errc());
    out.append(buf, end);
  }
}

std::string RenderPrometheusText(std::span<const FamilySnapshot> families) {
  std::string out;
  for (const FamilySnapshot& f : families) {
    if (f.series.empty()) continue;
    out += "# HELP ";
    out += f.name;
    out.push_back(' ');
    AppendEscaped(f.help, /*escape_quote=*/false, out);
    out += "\n# TYPE ";
    out += f.name;
    out.push_back(' ');
    out += MetricTypeName(f.type);
    out.push_back('\n');
    for (const SeriesSample& s : f.series) AppendSample(f, s, out);
  }
  return out;
}

std::string RenderPrometheusText(const MetricsRegistry& registry) {
  const std::vector<FamilySnapshot> families = registry.Collect();
  return RenderPrometheusText(families);
}

}  // namespace stockpile::obs
