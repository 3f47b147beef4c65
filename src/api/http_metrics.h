// HttpMetrics: the RequestObserver that turns every answered request into
// metrics and, for server errors, a log line:
//
//   stockpile_http_requests_total{method,route,status}            counter
//   stockpile_http_request_duration_seconds{method,route,status}  histogram
//
// `route` is the matched template ("/api/v1/streams/{name}"), never the raw
// path, so ids do not explode the label space.
//
// Thread-safety: OnRequest may be called from every I/O thread at once.
#ifndef STOCKPILE_API_HTTP_METRICS_H_
#define STOCKPILE_API_HTTP_METRICS_H_

#include <memory>

#include "api/request_observer.h"
#include "core/result.h"
#include "obs/logger.h"
#include "obs/metrics_registry.h"

namespace stockpile::api {

class HttpMetrics final : public RequestObserver {
 public:
  // `metrics` must outlive the returned object.
  static core::Result<std::unique_ptr<HttpMetrics>> Create(
      obs::MetricsRegistry& metrics, obs::Logger log);

  void OnRequest(const RequestRecord& record) override;

 private:
  HttpMetrics(obs::CounterFamily* requests, obs::HistogramFamily* latency,
              obs::Logger log)
      : requests_(requests), latency_(latency), log_(std::move(log)) {}

  obs::CounterFamily* requests_;   // owned by the registry
  obs::HistogramFamily* latency_;  // owned by the registry
  obs::Logger log_;
};

}  // namespace stockpile::api

#endif  // STOCKPILE_API_HTTP_METRICS_H_
