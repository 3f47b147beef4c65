#include "domain/inventory/inventory_service.h"

#include <algorithm>
#include <array>
#include <utility>

#include "core/status_macros.h"
#include "core/time_format.h"
#include "domain/common/ids.h"
#include "domain/common/money.h"

namespace stockpile::domain::inventory {

namespace {

constexpr std::array<std::string_view, 9> kReasons = {
    "damage", "cycle_count", "correction", "sale", "return",
    "theft",  "expired",     "found",      "other"};

core::Status CheckQuantity(int64_t q, std::string_view what) {
  if (q <= 0 || q > common::kMaxQuantity) {
    return core::InvalidArgumentError(std::string(what) +
                                      " must be a positive integer");
  }
  return core::Status::Ok();
}

// YYYY-MM-DD naming a real calendar day.
core::Status CheckDate(std::string_view d) {
  auto digits = [&](size_t from, size_t n, unsigned& out) {
    out = 0;
    for (size_t i = from; i < from + n; ++i) {
      if (d[i] < '0' || d[i] > '9') return false;
      out = out * 10 + static_cast<unsigned>(d[i] - '0');
    }
    return true;
  };
  unsigned y = 0, m = 0, day = 0;
  if (d.size() == 10 && d[4] == '-' && d[7] == '-' && digits(0, 4, y) &&
      digits(5, 2, m) && digits(8, 2, day) && m >= 1 && m <= 12 && day >= 1) {
    int64_t yy = 0;
    unsigned mm = 0, dd = 0;
    core::CivilFromDays(core::DaysFromCivil(y, m, day), yy, mm, dd);
    if (mm == m && dd == day) return core::Status::Ok();
  }
  return core::InvalidArgumentError("expiryDate '" + std::string(d) +
                                    "' is not a YYYY-MM-DD date");
}

// Refuses a movement that makes a location's available negative, or more
// negative than lots expiring under reservations already made it.
core::Status NotNegative(const StockItemState& before,
                         const std::vector<core::Event>& events,
                         std::string_view today) {
  StockItemState after = before.TrialCopy(events);
  for (const core::Event& e : events) after.Apply(e);
  for (const auto& [loc, l] : after.locations) {
    const int64_t was = before.At(loc).Available(today);
    if (l.Available(today) < 0 && l.Available(today) < was) {
      return core::FailedPreconditionError(
          "only " + std::to_string(std::max<int64_t>(0, was)) +
          " available at '" + loc + "'");
    }
  }
  return core::Status::Ok();
}

// What the event payloads call available: never below zero.
int64_t AvailableOn(const LocationStock& l, std::string_view today) {
  return std::max<int64_t>(0, l.Available(today));
}

}  // namespace

InventoryService::InventoryService(const common::DomainDeps& deps,
                                   const catalog::CatalogReader& catalog)
    : deps_(deps), catalog_(catalog), items_(*deps.store, deps.repository) {}

core::Result<int64_t> InventoryService::ReorderPoint(
    std::string_view tenant, std::string_view product_id) const {
  RETURN_IF_ERROR(common::ValidateId(product_id, "productId"));
  ASSIGN_OR_RETURN(catalog::ProductState p,
                   catalog_.GetProduct(tenant, product_id));
  if (p.deleted) {
    return core::NotFoundError("product '" + std::string(product_id) +
                               "' is deleted");
  }
  return p.reorder_point;
}

core::Status InventoryService::CheckLocation(
    std::string_view tenant, std::string_view location_id) const {
  RETURN_IF_ERROR(common::ValidateId(location_id, "locationId"));
  ASSIGN_OR_RETURN(catalog::LocationsState locs, catalog_.GetLocations(tenant));
  if (!locs.Contains(location_id)) {
    return core::NotFoundError("no location '" + std::string(location_id) +
                               "'");
  }
  return core::Status::Ok();
}

core::Result<ProductInventory> InventoryService::Run(
    const common::CommandContext& ctx, std::string_view product_id,
    const std::function<core::Status(const StockItemState&,
                                     std::string_view today, const EventMaker&,
                                     std::vector<core::Event>&)>& decide) {
  ASSIGN_OR_RETURN(int64_t reorder_point, ReorderPoint(ctx.tenant, product_id));
  const EventMaker make = InventoryEventMaker(deps_, ctx);
  const std::string today = Today(deps_);
  StockItemState final_state;
  auto committed = items_.Execute(
      ctx.tenant, StockStream(product_id),
      [&](const StockItemState& s,
          int64_t) -> core::Result<std::vector<core::Event>> {
        std::vector<core::Event> events;
        RETURN_IF_ERROR(decide(s, today, make, events));
        RETURN_IF_ERROR(NotNegative(s, events, today));
        AddBackorderFills(s, product_id, today, make, events);
        AddLevelEvents(s, product_id, reorder_point, today, make, events);
        final_state = s.TrialCopy(events);
        for (const core::Event& e : events) final_state.Apply(e);
        return events;
      });
  if (!committed.ok()) return committed.status();
  return MakeProductInventory(product_id, final_state, today);
}

core::Result<ProductInventory> InventoryService::Receive(
    const common::CommandContext& ctx, const Receipt& r) {
  RETURN_IF_ERROR(CheckQuantity(r.quantity, "quantity"));
  if (!r.expiry_date.empty()) RETURN_IF_ERROR(CheckDate(r.expiry_date));
  if (r.lot_number.size() > 100) {
    return core::InvalidArgumentError(
        "lotNumber is longer than 100 characters");
  }
  RETURN_IF_ERROR(CheckLocation(ctx.tenant, r.location_id));
  return Run(
      ctx, r.product_id,
      [&](const StockItemState& s, std::string_view today,
          const EventMaker& make, std::vector<core::Event>& events) {
        if (s.AlreadyReceived(r.purchase_order_id, r.receipt_number)) {
          return core::Status::Ok();
        }
        LocationStock l = s.At(r.location_id);
        AddLots(l.lots, {Lot{r.lot_number, r.expiry_date, r.quantity}});
        l.on_hand += r.quantity;
        boost::json::object p{{"productId", r.product_id},
                              {"locationId", r.location_id},
                              {"quantity", r.quantity},
                              {"onHand", l.on_hand},
                              {"available", AvailableOn(l, today)}};
        if (!r.lot_number.empty()) p["lotNumber"] = r.lot_number;
        if (!r.expiry_date.empty()) p["expiryDate"] = r.expiry_date;
        if (!r.purchase_order_id.empty()) {
          p["purchaseOrderId"] = r.purchase_order_id;
          if (r.receipt_number > 0) p["receiptNumber"] = r.receipt_number;
        }
        events.push_back(make(std::string(kStockReceived), "inventory_position",
                              common::PositionId(r.product_id, r.location_id),
                              std::move(p)));
        return core::Status::Ok();
      });
}

core::Result<ProductInventory> InventoryService::Adjust(
    const common::CommandContext& ctx, const Adjustment& a) {
  if (a.delta == 0 || a.delta > common::kMaxQuantity ||
      a.delta < -common::kMaxQuantity) {
    return core::InvalidArgumentError("delta must be a non-zero integer");
  }
  bool known = false;
  for (std::string_view r : kReasons) known = known || r == a.reason;
  if (!known) {
    return core::InvalidArgumentError(
        "reason '" + a.reason +
        "' is not one of damage, cycle_count, correction, sale, return, "
        "theft, expired, found, other");
  }
  RETURN_IF_ERROR(CheckLocation(ctx.tenant, a.location_id));
  return Run(
      ctx, a.product_id,
      [&](const StockItemState& s, std::string_view today,
          const EventMaker& make, std::vector<core::Event>& events) {
        LocationStock l = s.At(a.location_id);
        // A sale hands out good stock first; a write-off takes the lots
        // that expire first, expired ones included.
        const std::vector<Lot> lots =
            a.delta > 0 ? std::vector<Lot>{{"", "", a.delta}}
                        : TakeFefo(l.lots, -a.delta, today, a.reason == "sale");
        if (a.delta > 0) {
          AddLots(l.lots, lots);
        } else {
          RemoveLots(l.lots, lots);
        }
        l.on_hand += a.delta;
        events.push_back(make(std::string(kStockAdjusted), "inventory_position",
                              common::PositionId(a.product_id, a.location_id),
                              {{"productId", a.product_id},
                               {"locationId", a.location_id},
                               {"delta", a.delta},
                               {"reason", a.reason},
                               {"onHand", l.on_hand},
                               {"available", AvailableOn(l, today)},
                               {"lots", LotsToJson(lots)}}));
        return core::Status::Ok();
      });
}

core::Result<std::string> InventoryService::StartTransfer(
    const common::CommandContext& ctx, Transfer t) {
  if (t.transfer_id.empty()) t.transfer_id = "tr-" + deps_.ids->NextString();
  RETURN_IF_ERROR(common::ValidateId(t.transfer_id, "transferId"));
  RETURN_IF_ERROR(CheckQuantity(t.quantity, "quantity"));
  RETURN_IF_ERROR(CheckLocation(ctx.tenant, t.from_location_id));
  RETURN_IF_ERROR(CheckLocation(ctx.tenant, t.to_location_id));
  if (t.from_location_id == t.to_location_id) {
    return core::InvalidArgumentError(
        "fromLocationId and toLocationId are the same");
  }
  auto done =
      Run(ctx, t.product_id,
          [&](const StockItemState& s, std::string_view today,
              const EventMaker& make, std::vector<core::Event>& events) {
            if (s.transfers.contains(t.transfer_id)) {
              return core::AlreadyExistsError("transfer '" + t.transfer_id +
                                              "' already exists");
            }
            const std::vector<Lot> lots = TakeFefo(
                s.At(t.from_location_id).lots, t.quantity, today, true);
            events.push_back(make(std::string(kTransferInitiated),
                                  "inventory_transfer", t.transfer_id,
                                  {{"transferId", t.transfer_id},
                                   {"productId", t.product_id},
                                   {"fromLocationId", t.from_location_id},
                                   {"toLocationId", t.to_location_id},
                                   {"quantity", t.quantity},
                                   {"lots", LotsToJson(lots)}}));
            return core::Status::Ok();
          });
  if (!done.ok()) return done.status();
  return t.transfer_id;
}

core::Result<ProductInventory> InventoryService::CompleteTransfer(
    const common::CommandContext& ctx, std::string_view product_id,
    std::string_view transfer_id) {
  return Run(
      ctx, product_id,
      [&](const StockItemState& s, std::string_view /*today*/,
          const EventMaker& make, std::vector<core::Event>& events) {
        auto it = s.transfers.find(std::string(transfer_id));
        if (it == s.transfers.end()) {
          return core::NotFoundError("no open transfer '" +
                                     std::string(transfer_id) + "'");
        }
        events.push_back(make(std::string(kTransferCompleted),
                              "inventory_transfer", std::string(transfer_id),
                              {{"transferId", transfer_id},
                               {"productId", product_id},
                               {"toLocationId", it->second.to},
                               {"quantity", it->second.quantity},
                               {"lots", LotsToJson(it->second.lots)}}));
        return core::Status::Ok();
      });
}

core::Result<ProductInventory> InventoryService::GetInventory(
    std::string_view tenant, std::string_view product_id) const {
  RETURN_IF_ERROR(common::ValidateId(product_id, "productId"));
  RETURN_IF_ERROR(catalog_.GetProduct(tenant, product_id).status());
  ASSIGN_OR_RETURN(auto loaded,
                   items_.LoadShared(tenant, StockStream(product_id)));
  return MakeProductInventory(product_id, *loaded.state, Today(deps_));
}

}  // namespace stockpile::domain::inventory
