#include "domain/purchasing/replenishment_service.h"

#include <limits>
#include <set>
#include <utility>
#include <vector>

#include "core/status_macros.h"
#include "domain/common/ids.h"
#include "domain/common/json_fields.h"
#include "domain/common/money.h"

namespace stockpile::domain::purchasing {
namespace {

constexpr std::string_view kSource = "purchasing";
using Events = std::vector<core::Event>;

core::Status AsBadInput(const core::Status& s) {
  if (s.code() == core::StatusCode::kNotFound) {
    return core::InvalidArgumentError(s.message());
  }
  return s;
}

}  // namespace

ReplenishmentService::ReplenishmentService(
    const common::DomainDeps& deps, const catalog::CatalogService& catalog,
    const inventory::InventoryService& inventory,
    PurchaseOrderService& purchase_orders,
    const common::KeyedView<PurchaseOrderState>* orders, DemandSources demand)
    : deps_(deps),
      catalog_(catalog),
      inventory_(inventory),
      purchase_orders_(purchase_orders),
      orders_(orders),
      demand_(demand),
      rules_(*deps.store, deps.repository),
      order_streams_(*deps.store, deps.repository) {}

core::Result<RuleState> ReplenishmentService::PutRule(
    const common::CommandContext& ctx, ReplenishmentRule rule) {
  RETURN_IF_ERROR(common::ValidateId(rule.product_id, "productId"));
  if (rule.location_id.empty()) rule.location_id = "main";
  RETURN_IF_ERROR(common::ValidateId(rule.location_id, "locationId"));
  RETURN_IF_ERROR(rule.Validate());
  RETURN_IF_ERROR(common::ValidateId(rule.supplier_id, "supplierId"));
  ASSIGN_OR_RETURN(catalog::ProductState product,
                   catalog_.GetProduct(ctx.tenant, rule.product_id));
  if (product.deleted) {
    return core::NotFoundError("product '" + rule.product_id + "' is deleted");
  }
  ASSIGN_OR_RETURN(catalog::LocationsState locations,
                   catalog_.GetLocations(ctx.tenant));
  if (!locations.Contains(rule.location_id)) {
    return core::InvalidArgumentError("'locationId': no location '" +
                                      rule.location_id + "'");
  }
  core::Result<catalog::SupplierState> supplier =
      catalog_.GetSupplier(ctx.tenant, rule.supplier_id);
  if (!supplier.ok()) {
    return AsBadInput(supplier.status()).WithContext("'supplierId'");
  }
  if (!supplier->prices_minor.contains(rule.product_id)) {
    return core::InvalidArgumentError(
        "'supplierId': supplier '" + rule.supplier_id +
        "' has no price for product '" + rule.product_id +
        "' (add one to the supplier's prices)");
  }
  RuleState result;
  auto committed = rules_.Execute(
      ctx.tenant, RuleStream(rule.product_id, rule.location_id),
      [&](const RuleState& s, int64_t) -> core::Result<Events> {
        result = s;
        if (s.exists && s.rule.ToJson() == rule.ToJson()) return Events{};
        Events out;
        out.push_back(common::NewEvent(
            deps_, ctx, kSource, std::string(kRuleSet), "replenishment",
            common::PositionId(rule.product_id, rule.location_id),
            rule.ToJson()));
        result.Apply(out.back());
        return out;
      });
  if (!committed.ok()) return committed.status();
  return result;
}

core::Result<RuleState> ReplenishmentService::GetRule(
    std::string_view tenant, std::string_view product_id,
    std::string_view location_id) const {
  RETURN_IF_ERROR(common::ValidateId(product_id, "productId"));
  RETURN_IF_ERROR(common::ValidateId(location_id, "locationId"));
  ASSIGN_OR_RETURN(auto loaded,
                   rules_.Load(tenant, RuleStream(product_id, location_id)));
  if (!loaded.state.exists) {
    return core::NotFoundError("no replenishment rule for '" +
                               std::string(product_id) + "' at '" +
                               std::string(location_id) + "'");
  }
  return loaded.state;
}

core::Result<int64_t> ReplenishmentService::OnOrder(
    std::string_view tenant, const RuleState& state) const {
  const ReplenishmentRule& rule = state.rule;
  int64_t on_order = 0;
  std::set<std::string> counted;
  for (const auto& [id, quantity] : state.recent) {
    counted.insert(id);
    ASSIGN_OR_RETURN(auto po,
                     order_streams_.Load(tenant, PurchaseOrderStream(id)));
    if (po.version == 0) {
      on_order += quantity;  // triggered; its purchase order is on its way
    } else if (po.state.location_id == rule.location_id) {
      on_order += po.state.Outstanding(rule.product_id);
    }
  }
  if (orders_ != nullptr) {
    std::string next;
    const std::vector<PurchaseOrderState> open = orders_->ByKey(
        tenant, "", std::numeric_limits<size_t>::max(),
        [&](const PurchaseOrderState& po) {
          return po.location_id == rule.location_id &&
                 !counted.contains(po.id) &&
                 po.Outstanding(rule.product_id) > 0;
        },
        &next);
    for (const PurchaseOrderState& po : open) {
      on_order += po.Outstanding(rule.product_id);
    }
  }
  return on_order;
}

core::Result<std::string> ReplenishmentService::Review(
    const common::CommandContext& ctx, std::string_view product_id,
    std::string_view location_id, std::string_view reason) {
  RETURN_IF_ERROR(common::ValidateId(product_id, "productId"));
  RETURN_IF_ERROR(common::ValidateId(location_id, "locationId"));
  std::string triggered;
  auto committed = rules_.Execute(
      ctx.tenant, RuleStream(product_id, location_id),
      [&](const RuleState& s, int64_t) -> core::Result<Events> {
        triggered.clear();
        if (!s.exists) return Events{};
        const ReplenishmentRule& rule = s.rule;
        ASSIGN_OR_RETURN(inventory::ProductInventory inv,
                         inventory_.GetInventory(ctx.tenant, product_id));
        int64_t available = 0;
        for (const inventory::PositionView& p : inv.locations) {
          if (p.location_id == location_id) available = p.available;
        }
        ASSIGN_OR_RETURN(int64_t on_order, OnOrder(ctx.tenant, s));
        const int64_t position = available + on_order;
        // A static rule that does not order needs no supplier.
        if (!rule.dynamic_reorder_point && position > rule.reorder_point) {
          return Events{};
        }
        ASSIGN_OR_RETURN(catalog::SupplierState supplier,
                         catalog_.GetSupplier(ctx.tenant, rule.supplier_id));
        ASSIGN_OR_RETURN(EffectiveReorderPoint rp,
                         RuleReorderPoint(demand_, ctx.tenant, rule, supplier,
                                          deps_.clock->NowMillis()));
        if (position > rp.reorder_point) return Events{};
        auto price = supplier.prices_minor.find(rule.product_id);
        if (price == supplier.prices_minor.end()) {
          return core::FailedPreconditionError(
              "supplier '" + rule.supplier_id + "' has no price for '" +
              rule.product_id + "' any more; fix the supplier or the rule");
        }
        triggered = "po-" + deps_.ids->NextString();
        boost::json::object payload{
            {"productId", product_id},
            {"locationId", location_id},
            {"quantity", rule.OrderQuantity(position)},
            {"supplierId", rule.supplier_id},
            {"unitCost", common::MoneyToJson(price->second)},
            {"available", available},
            {"onOrder", on_order},
            {"reorderPoint", rp.reorder_point},
            {"ruleReorderPoint", rule.reorder_point},
            {"leadTimeDays", RuleLeadTimeDays(rule, supplier)},
            {"reason", reason},
            {"purchaseOrderId", triggered}};
        rp.AddToPayload(payload);
        if (rule.auto_approve_limit_minor) {
          payload["autoApproveLimit"] =
              common::MoneyToJson(*rule.auto_approve_limit_minor);
        }
        Events out;
        out.push_back(common::NewEvent(
            deps_, ctx, kSource, std::string(kReplenishmentTriggered),
            "replenishment", common::PositionId(product_id, location_id),
            std::move(payload)));
        return out;
      });
  if (!committed.ok()) return committed.status();
  return triggered;
}

core::Status ReplenishmentService::HandleStockLow(const core::Event& e) {
  const std::string product(e.PayloadString("productId"));
  const std::string location(e.PayloadString("locationId"));
  const common::CommandContext ctx{.tenant = e.tenant_id, .cause = &e};
  return Review(ctx, product, location.empty() ? "main" : location,
                kLowStockReason)
      .status();
}

core::Status ReplenishmentService::HandleTriggered(const core::Event& e) {
  const boost::json::object& p = e.payload;
  NewPurchaseOrder order{
      .id = common::JsonString(p, "purchaseOrderId"),
      .supplier_id = common::JsonString(p, "supplierId"),
      .location_id = common::JsonString(p, "locationId"),
      .lines = {{.product_id = common::JsonString(p, "productId"),
                 .quantity = common::JsonInt(p, "quantity")}},
      .source = "replenishment"};
  if (p.contains("leadTimeDays")) {
    order.lead_time_days = common::JsonInt(p, "leadTimeDays");
  }
  if (const boost::json::value* c = p.if_contains("unitCost")) {
    ASSIGN_OR_RETURN(order.lines[0].unit_cost_minor,
                     common::ParseMoney(*c, "unitCost"));
  }
  if (const boost::json::value* l = p.if_contains("autoApproveLimit")) {
    ASSIGN_OR_RETURN(order.auto_approve_limit_minor,
                     common::ParseMoney(*l, "autoApproveLimit"));
  }
  if (order.id.empty()) {
    return core::InvalidArgumentError(
        "replenishment.triggered without purchaseOrderId");
  }
  const common::CommandContext ctx{.tenant = e.tenant_id, .cause = &e};
  core::Result<PurchaseOrderState> created =
      purchase_orders_.Create(ctx, std::move(order));
  if (created.status().code() == core::StatusCode::kAlreadyExists) {
    return core::Status::Ok();  // a redelivery: the order exists
  }
  return created.status();
}

core::Status ReplenishmentService::ReviewAll(
    const common::KeyedView<RuleState>& rules) {
  core::Status first;
  for (const std::string& tenant : rules.Tenants()) {
    std::string next;
    const std::vector<RuleState> all = rules.ByKey(
        tenant, "", std::numeric_limits<size_t>::max(),
        [](const RuleState& s) { return s.exists; }, &next);
    const common::CommandContext ctx{.tenant = tenant,
                                     .user_id = "replenishment-review"};
    for (const RuleState& s : all) {
      core::Status st = Review(ctx, s.rule.product_id, s.rule.location_id,
                               kPeriodicReviewReason)
                            .status();
      if (!st.ok() && first.ok()) first = st;
    }
  }
  return first;
}

}  // namespace stockpile::domain::purchasing
