// LoadDemoData: the demo catalog `serve --demo` starts with (DESIGN.md §8):
// locations, suppliers with lead times and prices, products with reorder
// points, opening stock and replenishment rules for a few products (two of
// which start low and get a purchase order at once) — in one tenant, through
// the same domain commands the API uses, so every piece is an event in the log.
//
// Idempotent: a product, location or supplier that already exists is left
// as it is (and gets no second opening stock), so restarting with --demo
// changes nothing.
//
// Thread-safety: call once at start, before serving.
#ifndef STOCKPILE_APP_DEMO_DATA_H_
#define STOCKPILE_APP_DEMO_DATA_H_

#include <string_view>

#include "app/domain_services.h"
#include "core/status.h"

namespace stockpile::app {

inline constexpr std::string_view kDemoTenant = "demo";

struct DemoSummary {
  int products_created = 0;
  int products_total = 0;
};

core::Result<DemoSummary> LoadDemoData(DomainServices& services,
                                       std::string_view tenant = kDemoTenant);

}  // namespace stockpile::app

#endif  // STOCKPILE_APP_DEMO_DATA_H_
