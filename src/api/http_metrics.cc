#include "api/http_metrics.h"

#include <string>

#include "core/status_macros.h"

namespace stockpile::api {

core::Result<std::unique_ptr<HttpMetrics>> HttpMetrics::Create(
    obs::MetricsRegistry& metrics, obs::Logger log) {
  ASSIGN_OR_RETURN(obs::CounterFamily * requests,
                   metrics.AddCounter("stockpile_http_requests_total",
                                      "HTTP requests answered",
                                      {"method", "route", "status"}));
  ASSIGN_OR_RETURN(
      obs::HistogramFamily * latency,
      metrics.AddHistogram("stockpile_http_request_duration_seconds",
                           "Time from a complete request to its response",
                           {"method", "route", "status"}));
  return std::unique_ptr<HttpMetrics>(
      new HttpMetrics(requests, latency, std::move(log)));
}

void HttpMetrics::OnRequest(const RequestRecord& r) {
  const std::string status = std::to_string(r.status);
  requests_->WithLabels({r.method, r.route, status}).Increment();
  latency_->WithLabels({r.method, r.route, status}).ObserveDuration(r.duration);
  if (r.status >= 500) {
    log_.Error("request failed", {{"method", r.method},
                                  {"route", r.route},
                                  {"status", r.status},
                                  {"correlationId", r.correlation_id},
                                  {"error", r.internal_error}});
  }
}

}  // namespace stockpile::api
