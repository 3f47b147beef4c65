#include "obs/prometheus_text.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <limits>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "obs/metric_names.h"
#include "obs/metrics_registry.h"

namespace stockpile::obs {
namespace {

using ::testing::HasSubstr;

// A strict reader of text format 0.0.4, used to check what we render.
struct Sample {
  std::string name;
  std::vector<std::pair<std::string, std::string>> labels;  // unescaped
  double value = 0;
};

struct Exposition {
  std::map<std::string, std::string> help;  // unescaped
  std::map<std::string, std::string> type;
  std::vector<Sample> samples;
};

bool ParseValue(const std::string& text, double& out) {
  if (text == "+Inf") return out = INFINITY, true;
  if (text == "-Inf") return out = -INFINITY, true;
  if (text == "NaN") return out = NAN, true;
  if (text.empty()) return false;
  char* end = nullptr;
  out = std::strtod(text.c_str(), &end);
  return end == text.c_str() + text.size();
}

// The family a sample name belongs to, given the declared types.
std::string FamilyOf(const std::string& name, const Exposition& e) {
  if (e.type.count(name)) return name;
  for (const char* suffix : {"_bucket", "_sum", "_count"}) {
    const std::string s = suffix;
    if (name.size() > s.size() && name.ends_with(s)) {
      std::string base = name.substr(0, name.size() - s.size());
      auto it = e.type.find(base);
      if (it != e.type.end() && it->second == "histogram") return base;
    }
  }
  return "";
}

// Returns "" when `text` follows the format, else what is wrong.
std::string Parse(const std::string& text, Exposition& e) {
  if (!text.empty() && text.back() != '\n') return "no final newline";
  std::istringstream in(text);
  std::string line;
  std::string current_family;
  std::set<std::string> finished;
  while (std::getline(in, line)) {
    if (line.empty()) return "empty line";
    if (line.starts_with("# HELP ") || line.starts_with("# TYPE ")) {
      const bool is_help = line[2] == 'H';
      const std::string rest = line.substr(7);
      const size_t sp = rest.find(' ');
      if (sp == std::string::npos) return "no text: " + line;
      const std::string name = rest.substr(0, sp);
      if (!IsValidMetricName(name)) return "bad name: " + line;
      std::string body = rest.substr(sp + 1);
      if (is_help) {
        std::string unescaped;
        for (size_t i = 0; i < body.size(); ++i) {
          if (body[i] != '\\') {
            unescaped.push_back(body[i]);
            continue;
          }
          if (++i == body.size()) return "dangling escape: " + line;
          if (body[i] == '\\')
            unescaped.push_back('\\');
          else if (body[i] == 'n')
            unescaped.push_back('\n');
          else
            return "bad help escape: " + line;
        }
        if (e.help.count(name)) return "second HELP: " + line;
        e.help[name] = unescaped;
      } else {
        static const std::set<std::string> kTypes = {
            "counter", "gauge", "histogram", "summary", "untyped"};
        if (!kTypes.count(body)) return "bad type: " + line;
        if (e.type.count(name)) return "second TYPE: " + line;
        e.type[name] = body;
      }
      if (finished.count(name)) return "family resumed: " + line;
      if (current_family != name && !current_family.empty()) {
        finished.insert(current_family);
      }
      current_family = name;
      continue;
    }
    if (line[0] == '#') return "unknown comment: " + line;
    Sample s;
    size_t i = 0;
    while (i < line.size() && line[i] != '{' && line[i] != ' ') ++i;
    s.name = line.substr(0, i);
    if (!IsValidMetricName(s.name)) return "bad sample name: " + line;
    if (i < line.size() && line[i] == '{') {
      ++i;
      while (i < line.size() && line[i] != '}') {
        const size_t eq = line.find('=', i);
        if (eq == std::string::npos) return "label without '=': " + line;
        std::string label = line.substr(i, eq - i);
        if (!IsValidLabelName(label) && label != "le") {
          return "bad label name: " + line;
        }
        i = eq + 1;
        if (i >= line.size() || line[i] != '"')
          return "unquoted value: " + line;
        std::string value;
        for (++i;; ++i) {
          if (i >= line.size()) return "unterminated value: " + line;
          if (line[i] == '"') break;
          if (line[i] == '\\') {
            ++i;
            if (i >= line.size()) return "dangling escape: " + line;
            if (line[i] == '\\')
              value.push_back('\\');
            else if (line[i] == '"')
              value.push_back('"');
            else if (line[i] == 'n')
              value.push_back('\n');
            else
              return "bad label escape: " + line;
          } else {
            value.push_back(line[i]);
          }
        }
        ++i;  // closing quote
        s.labels.emplace_back(label, value);
        if (i < line.size() && line[i] == ',') ++i;
      }
      if (i >= line.size()) return "unterminated labels: " + line;
      ++i;  // '}'
    }
    if (i >= line.size() || line[i] != ' ') return "no value: " + line;
    if (!ParseValue(line.substr(i + 1), s.value)) return "bad value: " + line;
    const std::string family = FamilyOf(s.name, e);
    if (family.empty()) return "sample before its TYPE: " + line;
    if (family != current_family) return "sample outside its family: " + line;
    e.samples.push_back(std::move(s));
  }
  return "";
}

// Returns "" when every histogram's buckets are ordered and cumulative, end
// with le="+Inf", and _count equals the +Inf bucket.
std::string CheckHistograms(const Exposition& e) {
  struct Series {
    std::vector<std::pair<double, double>> buckets;  // le, count
    double count = -1;
  };
  std::map<std::string, Series> series;  // name + non-le labels
  for (const Sample& s : e.samples) {
    const std::string family = FamilyOf(s.name, e);
    if (e.type.at(family) != "histogram") continue;
    std::string key = family;
    double le = NAN;
    bool has_le = false;
    for (const auto& [k, v] : s.labels) {
      if (k == "le") {
        if (!ParseValue(v, le)) return "bad le: " + v;
        has_le = true;
      } else {
        key.append("|").append(k).append("=").append(v);
      }
    }
    if (s.name == family + "_bucket") {
      if (!has_le) return "bucket without le: " + s.name;
      series[key].buckets.emplace_back(le, s.value);
    } else if (s.name == family + "_count") {
      series[key].count = s.value;
    }
  }
  for (const auto& [key, h] : series) {
    if (h.buckets.empty() || h.buckets.back().first != INFINITY) {
      return key + ": no +Inf bucket last";
    }
    for (size_t i = 1; i < h.buckets.size(); ++i) {
      if (!(h.buckets[i - 1].first < h.buckets[i].first)) {
        return key + ": le not increasing";
      }
      if (h.buckets[i - 1].second > h.buckets[i].second) {
        return key + ": buckets not cumulative";
      }
    }
    if (h.count != h.buckets.back().second) return key + ": _count != +Inf";
  }
  return "";
}

std::string CheckAll(const std::string& text, Exposition& e) {
  std::string error = Parse(text, e);
  return error.empty() ? CheckHistograms(e) : error;
}

TEST(PrometheusCheckerTest, RejectsWhatTheFormatForbids) {
  Exposition e;
  EXPECT_NE(CheckAll("# TYPE a counter\na{x=\"q\"q\"} 1\n", e), "");
  e = {};
  EXPECT_NE(CheckAll("a 1\n", e), "");  // no TYPE
  e = {};
  EXPECT_NE(CheckAll("# TYPE h histogram\nh_bucket{le=\"1\"} 3\n"
                     "h_bucket{le=\"+Inf\"} 2\nh_count 2\n",
                     e),
            "");
  e = {};
  EXPECT_NE(CheckAll("# TYPE a gauge\na one\n", e), "");
  e = {};
  EXPECT_EQ(CheckAll("# TYPE h histogram\nh_bucket{le=\"1\"} 1\n"
                     "h_bucket{le=\"+Inf\"} 2\nh_sum 3\nh_count 2\n",
                     e),
            "");
}

TEST(PrometheusTextTest, RendersTheMetricsOfTheDesign) {
  MetricsRegistry registry;
  CounterFamily* appended = *registry.AddCounter(
      "stockpile_events_appended_total", "Events appended, by type", {"type"});
  HistogramFamily* http =
      *registry.AddHistogram("stockpile_http_request_duration_seconds",
                             "HTTP latency", {"route", "status"});
  GaugeFamily* lag = *registry.AddGauge("stockpile_subscription_lag_events",
                                        "Events behind", {"subscription"});
  GaugeFamily* dead = *registry.AddGauge("stockpile_dead_letters",
                                         "Parked events", {"subscription"});
  appended->WithLabels({"order.created"}).Increment(3);
  http->WithLabels({"POST /api/v1/orders", "201"}).Observe(0.004);
  CallbackRegistration r = *lag->AddCallback({"orders"}, [] { return 12.0; });
  dead->WithLabels({"orders"}).Set(1);

  const std::string text = RenderPrometheusText(registry);
  Exposition e;
  ASSERT_EQ(CheckAll(text, e), "") << text;
  EXPECT_EQ(e.type.at("stockpile_events_appended_total"), "counter");
  EXPECT_EQ(e.type.at("stockpile_http_request_duration_seconds"), "histogram");
  EXPECT_EQ(e.type.at("stockpile_subscription_lag_events"), "gauge");
  EXPECT_EQ(e.help.at("stockpile_events_appended_total"),
            "Events appended, by type");
  EXPECT_THAT(text, HasSubstr("stockpile_events_appended_total{type=\"order."
                              "created\"} 3\n"));
  EXPECT_THAT(text, HasSubstr("stockpile_subscription_lag_events{subscription="
                              "\"orders\"} 12\n"));
  EXPECT_THAT(text, HasSubstr("stockpile_http_request_duration_seconds_bucket{"
                              "route=\"POST /api/v1/orders\",status=\"201\","
                              "le=\"0.005\"} 1\n"));
  EXPECT_THAT(text,
              HasSubstr("stockpile_http_request_duration_seconds_count{"
                        "route=\"POST /api/v1/orders\",status=\"201\"} 1\n"));
}

TEST(PrometheusTextTest, HistogramLinesAreCumulativeAndEndWithInf) {
  MetricsRegistry registry;
  HistogramFamily* f = *registry.AddHistogram("h_seconds", "H", {}, {0.1, 1});
  Histogram& h = f->WithLabels({});
  for (double v : {0.05, 0.5, 0.5, 3.0}) h.Observe(v);
  EXPECT_EQ(RenderPrometheusText(registry),
            "# HELP h_seconds H\n"
            "# TYPE h_seconds histogram\n"
            "h_seconds_bucket{le=\"0.1\"} 1\n"
            "h_seconds_bucket{le=\"1\"} 3\n"
            "h_seconds_bucket{le=\"+Inf\"} 4\n"
            "h_seconds_sum 4.05\n"
            "h_seconds_count 4\n");
}

TEST(PrometheusTextTest, EscapesLabelValuesAndHelp) {
  MetricsRegistry registry;
  const std::string nasty = "a\\b\"c\nd";
  CounterFamily* f = *registry.AddCounter(
      "x_total", "Help with \\ and\nnewline \"as is\"", {"v"});
  f->WithLabels({nasty}).Increment();
  const std::string text = RenderPrometheusText(registry);
  EXPECT_THAT(text, HasSubstr("x_total{v=\"a\\\\b\\\"c\\nd\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("# HELP x_total Help with \\\\ and\\nnewline "
                              "\"as is\"\n"));
  Exposition e;
  ASSERT_EQ(CheckAll(text, e), "") << text;
  ASSERT_EQ(e.samples.size(), 1u);
  EXPECT_EQ(e.samples[0].labels.at(0).second, nasty);
  EXPECT_EQ(e.help.at("x_total"), "Help with \\ and\nnewline \"as is\"");
}

TEST(PrometheusTextTest, ReplacesInvalidUtf8InLabelValues) {
  MetricsRegistry registry;
  CounterFamily* f = *registry.AddCounter("t_total", "T", {"type"});
  f->WithLabels({"bad\xFFtype"}).Increment();
  EXPECT_THAT(RenderPrometheusText(registry),
              HasSubstr("t_total{type=\"bad\xEF\xBF\xBDtype\"} 1\n"));
}

TEST(PrometheusTextTest, FormatsSpecialAndOrdinaryFloats) {
  auto fmt = [](double v) {
    std::string s;
    AppendPrometheusFloat(v, s);
    return s;
  };
  EXPECT_EQ(fmt(INFINITY), "+Inf");
  EXPECT_EQ(fmt(-INFINITY), "-Inf");
  EXPECT_EQ(fmt(std::numeric_limits<double>::quiet_NaN()), "NaN");
  EXPECT_EQ(fmt(0), "0");
  EXPECT_EQ(fmt(42), "42");
  EXPECT_EQ(fmt(0.1), "0.1");
  EXPECT_EQ(fmt(-2.5), "-2.5");
  for (double v : {1e-7, 123456789012.0, 0.1 + 0.2, 1e300}) {
    double back = 0;
    ASSERT_TRUE(ParseValue(fmt(v), back)) << fmt(v);
    EXPECT_EQ(back, v) << fmt(v);
  }

  MetricsRegistry registry;
  GaugeFamily* g = *registry.AddGauge("g", "G", {"k"});
  g->WithLabels({"inf"}).Set(INFINITY);
  g->WithLabels({"nan"}).Set(NAN);
  Exposition e;
  ASSERT_EQ(CheckAll(RenderPrometheusText(registry), e), "");
  EXPECT_EQ(e.samples.at(0).value, INFINITY);
  EXPECT_TRUE(std::isnan(e.samples.at(1).value));
}

TEST(PrometheusTextTest, LeavesOutLabelledFamiliesWithoutSeries) {
  MetricsRegistry registry;
  ASSERT_TRUE(registry.AddCounter("unused_total", "U", {"type"}).ok());
  ASSERT_TRUE(registry.AddCounter("plain_total", "P").ok());
  EXPECT_EQ(
      RenderPrometheusText(registry),
      "# HELP plain_total P\n# TYPE plain_total counter\nplain_total 0\n");
}

}  // namespace
}  // namespace stockpile::obs
