#include "domain/catalog/supplier_state.h"

#include "domain/common/money.h"

namespace stockpile::domain::catalog {

std::string SupplierStream(std::string_view supplier_id) {
  return "supplier-" + std::string(supplier_id);
}

boost::json::object SupplierState::ToJson() const {
  boost::json::object prices;
  for (const auto& [product, minor] : prices_minor) {
    prices[product] = common::MoneyToJson(minor);
  }
  boost::json::object o{{"supplierId", id},
                        {"name", name},
                        {"email", email},
                        {"leadTimeDays", lead_time_days},
                        {"prices", std::move(prices)}};
  if (!region.empty()) o["region"] = region;
  return o;
}

void SupplierState::Apply(const core::Event& e) {
  if (e.event_type != kSupplierCreated && e.event_type != kSupplierUpdated) {
    return;
  }
  core::Result<SupplierState> s = FromSnapshot(e.payload);
  if (s.ok()) *this = std::move(s).value();
}

core::Result<SupplierState> SupplierState::FromSnapshot(
    const boost::json::object& o) {
  SupplierState s;
  s.exists = true;
  if (const auto* v = o.if_contains("supplierId"); v && v->is_string()) {
    s.id = std::string(v->get_string());
  }
  if (const auto* v = o.if_contains("name"); v && v->is_string()) {
    s.name = std::string(v->get_string());
  }
  if (const auto* v = o.if_contains("email"); v && v->is_string()) {
    s.email = std::string(v->get_string());
  }
  if (const auto* v = o.if_contains("region"); v && v->is_string()) {
    s.region = std::string(v->get_string());
  }
  if (const auto* v = o.if_contains("leadTimeDays")) {
    core::Result<int64_t> d = common::ParseQuantity(*v, "leadTimeDays");
    if (d.ok()) s.lead_time_days = *d;
  }
  if (const auto* v = o.if_contains("prices"); v && v->is_object()) {
    for (const auto& kv : v->get_object()) {
      core::Result<int64_t> p = common::ParseMoney(kv.value(), "price");
      if (p.ok()) s.prices_minor[std::string(kv.key())] = *p;
    }
  }
  return s;
}

}  // namespace stockpile::domain::catalog
