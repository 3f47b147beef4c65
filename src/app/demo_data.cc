#include "app/demo_data.h"

#include <array>
#include <cstdio>
#include <string>

#include "core/status_macros.h"

namespace stockpile::app {
namespace {

struct DemoProduct {
  const char* name;
  int64_t price_minor;
  int64_t reorder_point;
  int64_t main_stock;
  int64_t east_stock;
};

// A small grocery and household range; some start close to their reorder
// point so that the first orders raise low-stock alerts.
constexpr std::array<DemoProduct, 20> kProducts = {{
    {"Arabica coffee beans 1kg", 2450, 10, 40, 15},
    {"Green tea 100 bags", 695, 8, 25, 10},
    {"Whole milk 1L", 149, 30, 120, 60},
    {"Oat drink 1L", 229, 15, 12, 8},
    {"Sourdough loaf", 450, 10, 30, 0},
    {"Free-range eggs x12", 389, 20, 60, 30},
    {"Basmati rice 5kg", 1299, 5, 18, 6},
    {"Olive oil extra virgin 750ml", 899, 6, 7, 4},
    {"Dark chocolate 85%", 279, 12, 50, 20},
    {"Sparkling water 6x1.5L", 499, 10, 35, 15},
    {"Laundry detergent 2L", 1150, 5, 14, 5},
    {"Dish soap 500ml", 249, 8, 22, 10},
    {"Paper towels x6", 699, 6, 20, 8},
    {"Toothpaste 75ml", 329, 10, 9, 6},
    {"Shampoo 400ml", 599, 6, 16, 4},
    {"AA batteries x8", 899, 4, 25, 10},
    {"LED bulb E27 9W", 499, 5, 30, 12},
    {"Notebook A5 dotted", 749, 5, 40, 0},
    {"Ballpoint pens x10", 399, 6, 5, 3},
    {"Reusable shopping bag", 199, 10, 80, 40},
}};

std::string ProductId(size_t i) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "product-%03zu", i + 1);
  return buf;
}

std::string Sku(size_t i) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "DEMO-%04zu", i + 1);
  return buf;
}

bool Exists(const core::Status& s) {
  return s.code() == core::StatusCode::kAlreadyExists;
}

// Replenishment rules at `main`: oat drink and toothpaste start low, so
// the first review raises a purchase order for each (the oat drink's waits
// for approval, the toothpaste's is under its limit); sourdough and
// detergent order once the first orders take them low.
core::Status LoadDemoRules(DomainServices& services,
                           const domain::common::CommandContext& ctx) {
  using domain::purchasing::ReplenishmentRule;
  const std::array<ReplenishmentRule, 4> rules = {{
      {.product_id = ProductId(3),
       .reorder_point = 15,
       .reorder_quantity = 48,
       .safety_stock = 5,
       .supplier_id = "sup-fresh"},
      {.product_id = ProductId(4),
       .reorder_point = 10,
       .min_quantity = 20,
       .max_quantity = 60,
       .safety_stock = 4,
       .supplier_id = "sup-fresh",
       .auto_approve_limit_minor = 20000},
      {.product_id = ProductId(10),
       .reorder_point = 5,
       .reorder_quantity = 12,
       .supplier_id = "sup-home",
       .auto_approve_limit_minor = 5000},
      {.product_id = ProductId(13),
       .reorder_point = 10,
       .reorder_quantity = 40,
       .safety_stock = 3,
       .supplier_id = "sup-home",
       .auto_approve_limit_minor = 10000},
  }};
  for (const ReplenishmentRule& rule : rules) {
    RETURN_IF_ERROR(
        services.replenishment().PutRule(ctx, rule).status().WithContext(
            "demo rule of " + rule.product_id));
    // Already low: the low-stock event came before the rule existed.
    RETURN_IF_ERROR(services.replenishment()
                        .Review(ctx, rule.product_id, rule.location_id,
                                domain::purchasing::kPeriodicReviewReason)
                        .status()
                        .WithContext("demo review of " + rule.product_id));
  }
  return core::Status::Ok();
}

}  // namespace

core::Result<DemoSummary> LoadDemoData(DomainServices& services,
                                       std::string_view tenant) {
  const domain::common::CommandContext ctx{.tenant = std::string(tenant),
                                           .user_id = "demo-loader",
                                           .correlation_id = ""};
  domain::catalog::CatalogService& catalog = services.catalog();

  auto locations = catalog.GetLocations(tenant);
  if (!locations.ok()) return locations.status();
  for (const domain::catalog::NewLocation& loc :
       {domain::catalog::NewLocation{"wh-east", "East warehouse", 10},
        domain::catalog::NewLocation{"store-downtown", "Downtown store", 20}}) {
    if (locations->Contains(loc.id)) continue;
    core::Status s = catalog.CreateLocation(ctx, loc);
    if (!s.ok() && !Exists(s)) return s.WithContext("demo location " + loc.id);
  }

  DemoSummary summary;
  for (size_t i = 0; i < kProducts.size(); ++i) {
    const DemoProduct& p = kProducts[i];
    auto created =
        catalog.CreateProduct(ctx, {.id = ProductId(i),
                                    .sku = Sku(i),
                                    .name = p.name,
                                    .price_minor = p.price_minor,
                                    .reorder_point = p.reorder_point});
    ++summary.products_total;
    if (!created.ok()) {
      if (Exists(created.status())) continue;  // loaded on an earlier start
      return created.status().WithContext("demo product " + ProductId(i));
    }
    ++summary.products_created;
    for (const auto& [location, quantity] :
         {std::pair<const char*, int64_t>{"main", p.main_stock},
          {"wh-east", p.east_stock}}) {
      if (quantity <= 0) continue;
      RETURN_IF_ERROR(services.inventory()
                          .Receive(ctx, {.product_id = ProductId(i),
                                         .location_id = location,
                                         .quantity = quantity,
                                         .lot_number = "DEMO-OPENING"})
                          .status()
                          .WithContext("demo stock of " + ProductId(i)));
    }
  }

  const std::array<domain::catalog::SupplierFields, 2> suppliers = {{
      {.id = "sup-fresh",
       .name = "Fresh Foods Wholesale",
       .email = "orders@fresh.example",
       .lead_time_days = 2,
       .prices_minor = {{ProductId(2), 95},
                        {ProductId(3), 150},
                        {ProductId(4), 280},
                        {ProductId(5), 240}}},
      {.id = "sup-home",
       .name = "HomeGoods Distribution",
       .email = "sales@homegoods.example",
       .lead_time_days = 5,
       .prices_minor = {{ProductId(10), 720},
                        {ProductId(11), 150},
                        {ProductId(12), 430},
                        {ProductId(13), 190}}},
  }};
  for (const domain::catalog::SupplierFields& s : suppliers) {
    if (catalog.GetSupplier(tenant, s.id).ok()) continue;
    auto created = catalog.CreateSupplier(ctx, s);
    if (!created.ok() && !Exists(created.status())) {
      return created.status().WithContext("demo supplier " + s.id);
    }
  }
  RETURN_IF_ERROR(LoadDemoRules(services, ctx));
  return summary;
}

}  // namespace stockpile::app
