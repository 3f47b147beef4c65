#include "api/analytics_routes.h"

#include <boost/json/array.hpp>
#include <limits>
#include <string>

#include "api/query_params.h"
#include "api/status_http.h"
#include "core/status_macros.h"
#include "core/time_format.h"
#include "domain/common/calendar_day.h"
#include "domain/common/money.h"

namespace stockpile::api {
namespace {

namespace common = domain::common;

// Far enough for any event, small enough that day arithmetic cannot
// overflow.
constexpr int64_t kEndOfTime = std::numeric_limits<int64_t>::max() / 4;

struct Range {
  int64_t from_ms = 0;
  int64_t to_ms = kEndOfTime;
  // The days whose midnight lies in [from_ms, to_ms).
  int64_t from_day() const { return CeilDay(from_ms); }
  int64_t to_day() const { return CeilDay(to_ms); }

  static int64_t CeilDay(int64_t ms) {
    return common::DayOf(ms + common::kMillisPerDay - 1);
  }
};

core::Result<int64_t> Instant(const Request& req, std::string_view name,
                              int64_t fallback) {
  std::optional<std::string_view> text = req.Query(name);
  if (!text || text->empty()) return fallback;
  if (std::optional<int64_t> day = common::ParseDay(*text)) {
    return *day * common::kMillisPerDay;
  }
  auto ms = core::ParseRfc3339Millis(*text);
  if (!ms.ok()) {
    return core::InvalidArgumentError(
        "query parameter '" + std::string(name) +
        "' must be an RFC 3339 date-time or a YYYY-MM-DD date");
  }
  return *ms;
}

core::Result<Range> ParseRange(const Request& req) {
  Range r;
  ASSIGN_OR_RETURN(r.from_ms, Instant(req, "from", 0));
  ASSIGN_OR_RETURN(r.to_ms, Instant(req, "to", kEndOfTime));
  if (r.to_ms < r.from_ms) {
    return core::InvalidArgumentError("'to' is before 'from'");
  }
  return r;
}

Response Events(const AnalyticsApi& api, const Request& req) {
  auto range = ParseRange(req);
  if (!range.ok()) {
    return ErrorResponse(range.status(), req, ErrorStage::kDecoding);
  }
  boost::json::array items;
  for (const auto& h : api.view->EventsPerHour(req.caller().tenant,
                                               range->from_ms, range->to_ms)) {
    items.push_back({{"hour", core::FormatRfc3339Millis(h.hour_start_ms)},
                     {"eventType", h.event_type},
                     {"count", h.count}});
  }
  return PageResponse(std::move(items), std::string());
}

Response Revenue(const AnalyticsApi& api, const Request& req) {
  auto range = ParseRange(req);
  if (!range.ok()) {
    return ErrorResponse(range.status(), req, ErrorStage::kDecoding);
  }
  boost::json::array items;
  for (const auto& r : api.view->RevenuePerDay(
           req.caller().tenant, range->from_day(), range->to_day())) {
    items.push_back({{"date", common::FormatDay(r.day)},
                     {"currency", r.currency},
                     {"amount", common::MoneyToJson(r.amount_minor)},
                     {"amountMinor", r.amount_minor},
                     {"payments", r.payments}});
  }
  return PageResponse(std::move(items), std::string());
}

Response TopProducts(const AnalyticsApi& api, const Request& req) {
  auto range = ParseRange(req);
  auto limit = LimitQuery(req, 10, 1000);
  if (!range.ok() || !limit.ok()) {
    return ErrorResponse(range.ok() ? limit.status() : range.status(), req,
                         ErrorStage::kDecoding);
  }
  boost::json::array items;
  for (const auto& p : api.view->TopProducts(
           req.caller().tenant, range->from_day(), range->to_day(), *limit)) {
    items.push_back({{"productId", p.product_id}, {"unitsSold", p.units}});
  }
  return PageResponse(std::move(items), std::string());
}

}  // namespace

void AddAnalyticsRoutes(Router& router, AnalyticsApi api) {
  router.Add("GET", "/api/v1/analytics/events", Permission::kRead,
             [api](const Request& req) { return Events(api, req); });
  router.Add("GET", "/api/v1/analytics/revenue", Permission::kRead,
             [api](const Request& req) { return Revenue(api, req); });
  router.Add("GET", "/api/v1/analytics/top-products", Permission::kRead,
             [api](const Request& req) { return TopProducts(api, req); });
}

}  // namespace stockpile::api
