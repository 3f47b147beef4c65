#include "domain/forecasting/holt_winters.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <string>

#include "core/status_macros.h"

namespace stockpile::domain::forecasting {
namespace {

constexpr size_t kM = kSeasonDays;

core::Status CheckHistory(std::span<const double> history) {
  if (history.size() < static_cast<size_t>(kMinHoltWintersHistory)) {
    return core::InvalidArgumentError("Holt-Winters needs at least " +
                                      std::to_string(kMinHoltWintersHistory) +
                                      " days of history, not " +
                                      std::to_string(history.size()));
  }
  for (double y : history) {
    if (!std::isfinite(y) || y < 0) {
      return core::InvalidArgumentError(
          "demand history holds a negative or non-finite value");
    }
  }
  return core::Status::Ok();
}

core::Status CheckParams(const HoltWintersParams& p) {
  auto unit = [](double v) { return v >= 0 && v <= 1; };
  if (!unit(p.alpha) || !unit(p.beta) || !unit(p.gamma) || !(p.phi > 0) ||
      p.phi > 1) {
    return core::InvalidArgumentError(
        "Holt-Winters parameters must lie in [0, 1] (phi in (0, 1])");
  }
  return core::Status::Ok();
}

// The smoothing state after the whole history, and the one-step-ahead SSE.
struct State {
  double level = 0;
  double trend = 0;
  std::array<double, kM> season{};
  double sse = 0;
};

State Smooth(std::span<const double> y, const HoltWintersParams& p) {
  State s;
  double mean1 = 0;
  double mean2 = 0;
  for (size_t i = 0; i < kM; ++i) {
    mean1 += y[i];
    mean2 += y[kM + i];
  }
  mean1 /= kM;
  mean2 /= kM;
  s.level = mean1;
  s.trend = (mean2 - mean1) / kM;
  for (size_t i = 0; i < kM; ++i) {
    s.season[i] = ((y[i] - mean1) + (y[kM + i] - mean2)) / 2;
  }
  for (size_t t = 0; t < y.size(); ++t) {
    double& season = s.season[t % kM];
    const double predicted = s.level + p.phi * s.trend + season;
    if (t >= 2 * kM) {
      const double e = y[t] - predicted;
      s.sse += e * e;
    }
    const double level =
        p.alpha * (y[t] - season) + (1 - p.alpha) * (s.level + p.phi * s.trend);
    s.trend = p.beta * (level - s.level) + (1 - p.beta) * p.phi * s.trend;
    season = p.gamma * (y[t] - level) + (1 - p.gamma) * season;
    s.level = level;
  }
  return s;
}

}  // namespace

core::Result<std::vector<double>> HoltWintersForecast(
    std::span<const double> history, const HoltWintersParams& params,
    int horizon) {
  RETURN_IF_ERROR(CheckHistory(history));
  RETURN_IF_ERROR(CheckParams(params));
  if (horizon <= 0) return std::vector<double>{};
  const State s = Smooth(history, params);
  std::vector<double> out;
  out.reserve(static_cast<size_t>(horizon));
  double damping = 0;  // phi + phi^2 + ... + phi^h
  double power = 1;
  for (int h = 1; h <= horizon; ++h) {
    power *= params.phi;
    damping += power;
    const size_t slot = (history.size() + static_cast<size_t>(h) - 1) % kM;
    const double v = s.level + damping * s.trend + s.season[slot];
    if (!std::isfinite(v)) {
      return core::InternalError("Holt-Winters produced a non-finite value");
    }
    out.push_back(std::max(v, 0.0));
  }
  return out;
}

core::Result<HoltWintersFit> FitHoltWinters(std::span<const double> training) {
  RETURN_IF_ERROR(CheckHistory(training));
  constexpr std::array kAlpha = {0.05, 0.1, 0.2, 0.3, 0.5, 0.7};
  constexpr std::array kBeta = {0.0, 0.02, 0.05, 0.1, 0.2};
  constexpr std::array kGamma = {0.05, 0.1, 0.2, 0.3, 0.5};
  constexpr std::array kPhi = {0.9, 1.0};
  HoltWintersFit best;
  best.sse = std::numeric_limits<double>::infinity();
  for (double alpha : kAlpha) {
    for (double beta : kBeta) {
      for (double gamma : kGamma) {
        for (double phi : kPhi) {
          const HoltWintersParams p{alpha, beta, gamma, phi};
          const double sse = Smooth(training, p).sse;
          if (sse < best.sse) best = {p, sse};
        }
      }
    }
  }
  if (!std::isfinite(best.sse)) {
    return core::InternalError("Holt-Winters fit produced a non-finite error");
  }
  return best;
}

}  // namespace stockpile::domain::forecasting
