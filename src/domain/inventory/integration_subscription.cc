#include "domain/inventory/integration_subscription.h"

#include <boost/json/array.hpp>
#include <string>

#include "core/status_macros.h"
#include "domain/common/json_fields.h"
#include "domain/integrations/integration_service.h"
#include "runtime/handler_outcome.h"

namespace stockpile::domain::inventory {
namespace {

namespace json = boost::json;
using common::JsonInt;
using common::JsonString;

common::CommandContext ContextOf(const core::Event& e, std::string seed) {
  return common::CommandContext{
      .tenant = e.tenant_id, .cause = &e, .event_id_seed = std::move(seed)};
}

core::Status ApplySale(InventoryService& inventory, const core::Event& sale) {
  const std::string location = JsonString(sale.payload, "locationId");
  const json::value* lines = sale.payload.if_contains("lines");
  if (lines == nullptr || !lines->is_array()) {
    return core::InvalidArgumentError("sale without lines");
  }
  const json::array& all = lines->get_array();
  for (size_t i = 0; i < all.size(); ++i) {
    const json::object& line = all[i].as_object();
    Adjustment a{.product_id = JsonString(line, "productId"),
                 .location_id = location,
                 .delta = -JsonInt(line, "quantity"),
                 .reason = "sale"};
    RETURN_IF_ERROR(
        inventory
            .Adjust(ContextOf(sale, sale.event_id + "#" + std::to_string(i)), a)
            .status()
            .WithContext("sale line " + std::to_string(i)));
  }
  return core::Status::Ok();
}

// The adjustment that brings (product, location) to a counted onHand; none
// when it is there already.
core::Status ApplyCount(InventoryService& inventory,
                        const common::CommandContext& ctx,
                        const json::object& data) {
  Adjustment a{.product_id = JsonString(data, "productId"),
               .location_id = JsonString(data, "locationId"),
               .reason = JsonString(data, "reason")};
  ASSIGN_OR_RETURN(ProductInventory now,
                   inventory.GetInventory(ctx.tenant, a.product_id));
  int64_t on_hand = 0;
  for (const PositionView& p : now.locations) {
    if (p.location_id == a.location_id) on_hand = p.on_hand;
  }
  a.delta = JsonInt(data, "onHand") - on_hand;
  if (a.delta == 0) return core::Status::Ok();
  return inventory.Adjust(ctx, a).status();
}

core::Status ApplyRecord(InventoryService& inventory,
                         const core::Event& record) {
  const std::string_view type = integrations::RecordedType(record);
  const json::object& data = integrations::RecordedData(record);
  const common::CommandContext ctx = ContextOf(record, record.event_id);
  if (type == "inventory.stock.received") {
    Receipt r{.product_id = JsonString(data, "productId"),
              .location_id = JsonString(data, "locationId"),
              .quantity = JsonInt(data, "quantity"),
              .lot_number = JsonString(data, "lotNumber"),
              .expiry_date = JsonString(data, "expiryDate")};
    return inventory.Receive(ctx, r).status();
  }
  if (type == "inventory.stock.adjusted") {
    if (data.contains("onHand")) return ApplyCount(inventory, ctx, data);
    Adjustment a{.product_id = JsonString(data, "productId"),
                 .location_id = JsonString(data, "locationId"),
                 .delta = JsonInt(data, "delta"),
                 .reason = JsonString(data, "reason")};
    return inventory.Adjust(ctx, a).status();
  }
  if (type == "inventory.transfer.initiated") {
    Transfer t{.transfer_id = JsonString(data, "transferId"),
               .product_id = JsonString(data, "productId"),
               .from_location_id = JsonString(data, "fromLocationId"),
               .to_location_id = JsonString(data, "toLocationId"),
               .quantity = JsonInt(data, "quantity")};
    core::Status started = inventory.StartTransfer(ctx, t).status();
    // The sender's transfer is already under way: this is a redelivery.
    if (started.code() == core::StatusCode::kAlreadyExists) {
      return core::Status::Ok();
    }
    return started;
  }
  if (type == "inventory.transfer.completed") {
    return inventory
        .CompleteTransfer(ctx, JsonString(data, "productId"),
                          JsonString(data, "transferId"))
        .status();
  }
  return core::Status::Ok();
}

// The ledger refusing a movement will refuse it again: park it at once.
runtime::HandlerOutcome Outcome(const core::Status& status) {
  if (status.code() == core::StatusCode::kNotFound) {
    return runtime::HandlerOutcome::Permanent(status.ToString());
  }
  return runtime::HandlerOutcome::FromStatus(status);
}

}  // namespace

runtime::ConsumerOptions IntegrationStockSubscription(
    InventoryService& inventory) {
  runtime::ConsumerOptions options;
  options.name = std::string(kIntegrationSubscription);
  options.type_patterns = {"sales.sale.completed",
                           std::string(integrations::kIntegrationReceived)};
  options.handler = [&inventory](const core::EventPtr& e,
                                 runtime::HandlerContext&) {
    if (e->event_type == "sales.sale.completed") {
      return Outcome(ApplySale(inventory, *e));
    }
    return Outcome(ApplyRecord(inventory, *e));
  };
  return options;
}

}  // namespace stockpile::domain::inventory
