#include "domain/common/demand_lines.h"

#include <boost/json/array.hpp>

#include "domain/common/json_fields.h"

namespace stockpile::domain::common {
namespace {

// The lines of `array_field` with a product and a positive quantity; the
// location from each line, else `location`.
void AppendLines(const core::Event& e, std::string_view array_field,
                 const std::string& location, std::vector<DemandLine>& out) {
  const boost::json::value* lines = e.payload.if_contains(array_field);
  if (lines == nullptr || !lines->is_array()) return;
  for (const boost::json::value& v : lines->get_array()) {
    const boost::json::object* line = v.if_object();
    if (line == nullptr) continue;
    DemandLine d{JsonString(*line, "productId"),
                 JsonString(*line, "locationId"), JsonInt(*line, "quantity")};
    if (d.location_id.empty()) d.location_id = location;
    if (d.location_id.empty()) d.location_id = "main";
    if (!d.product_id.empty() && d.quantity > 0) out.push_back(std::move(d));
  }
}

}  // namespace

std::vector<DemandLine> DemandLineReader::Read(const core::Event& e) {
  std::vector<DemandLine> out;
  if (e.event_type == "inventory.stock.committed") {
    AppendLines(e, "lines", "main", out);
  } else if (e.event_type == "sales.sale.completed") {
    auto& seen = sales_[e.tenant_id];
    if (!seen.insert(e.event_id).second) return out;  // redelivered
    AppendLines(e, "lines", std::string(e.PayloadString("locationId")), out);
  } else if (e.event_type == "inventory.stock.adjusted" &&
             e.PayloadString("reason") == "sale") {
    int64_t delta = 0;
    if (!e.PayloadInt("delta", delta) || delta >= 0) return out;
    auto it = sales_.find(e.tenant_id);
    if (it != sales_.end() && it->second.contains(e.causation_id())) {
      return out;
    }
    std::string product(e.PayloadString("productId"));
    std::string location(e.PayloadString("locationId"));
    if (product.empty()) return out;
    out.push_back({std::move(product),
                   location.empty() ? "main" : std::move(location), -delta});
  }
  return out;
}

}  // namespace stockpile::domain::common
