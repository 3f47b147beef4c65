#include "domain/inventory/reservation_service.h"

#include <algorithm>
#include <set>
#include <utility>

#include "core/status_macros.h"
#include "domain/common/ids.h"
#include "domain/common/money.h"
#include "domain/inventory/stock_levels.h"

namespace stockpile::domain::inventory {

namespace {

constexpr std::string_view kSource = "inventory";
using Events = std::vector<core::Event>;

// Allocates `need` from the state's locations, never from lots expired on
// `today`. With `backorder`, what the stock cannot cover is backordered at
// the line's named location, else at the first location in the order.
// False when it cannot; `available` is then what the allowed locations
// have in total.
template <typename Need>
bool Allocate(const StockItemState& s, const Need& need,
              const std::vector<std::string>& location_order,
              std::string_view today, bool backorder,
              std::vector<Allocation>& out, int64_t& available) {
  std::map<std::string, int64_t> left;
  available = 0;
  for (const std::string& loc : location_order) {
    const int64_t a = std::max<int64_t>(0, s.At(loc).Available(today));
    left[loc] = a;
    available += a;
  }
  std::map<std::string, int64_t> taken;
  std::map<std::string, int64_t> waiting;  // backordered
  for (const auto& [loc, q] : need.at) {
    auto it = left.find(loc);
    if (it == left.end()) return false;
    const int64_t take = std::min(q, it->second);
    if (take < q && !backorder) return false;
    it->second -= take;
    taken[loc] += take;
    waiting[loc] += q - take;
  }
  int64_t rest = need.anywhere;
  for (const std::string& loc : location_order) {
    const int64_t take = std::min(rest, left[loc]);
    if (take > 0) taken[loc] += take;
    rest -= take;
  }
  if (rest > 0) {
    if (!backorder || location_order.empty()) return false;
    waiting[location_order.front()] += rest;
  }
  out.clear();
  for (const std::string& loc : location_order) {
    Allocation a{loc, taken[loc], {}, waiting[loc]};
    if (a.quantity > 0 || a.backordered > 0) out.push_back(std::move(a));
  }
  return true;
}

ReservationOutcome OutcomeOf(const ReservationState& s) {
  ReservationOutcome out;
  switch (s.status) {
    case ReservationState::Status::kReserved:
    case ReservationState::Status::kCommitted:
      out.reserved = true;
      out.lines = s.lines;
      break;
    case ReservationState::Status::kFailed:
      out.shortages = s.shortages;
      out.reason = s.reason;
      break;
    case ReservationState::Status::kReleased:
      out.reason = "the reservation was released";
      break;
    case ReservationState::Status::kNone:
      break;
  }
  return out;
}

common::CommandContext ReactingTo(const core::Event& e) {
  return common::CommandContext{.tenant = e.tenant_id, .cause = &e};
}

std::string OrderIdOf(const core::Event& e) {
  std::string_view id = e.PayloadString("orderId");
  return std::string(id.empty() ? std::string_view(e.aggregate_id) : id);
}

}  // namespace

ReservationService::ReservationService(const common::DomainDeps& deps,
                                       const catalog::CatalogReader& catalog)
    : deps_(deps),
      catalog_(catalog),
      items_(*deps.store, deps.repository),
      reservations_(*deps.store, deps.repository) {}

core::Status ReservationService::HoldProduct(
    const common::CommandContext& ctx, std::string_view order_id,
    const std::string& product_id, const ProductNeed& need,
    const std::vector<std::string>& location_order, bool& shortage,
    int64_t& available, std::vector<Allocation>& held) {
  shortage = false;
  available = 0;
  core::Result<catalog::ProductState> product =
      catalog_.GetProduct(ctx.tenant, product_id);
  if (!product.ok() && product.status().code() != core::StatusCode::kNotFound) {
    return product.status();
  }
  if (!product.ok() || product->deleted) {
    shortage = true;  // an unknown or retired product has no stock
    return core::Status::Ok();
  }
  const int64_t reorder_point = product->reorder_point;
  const EventMaker make = InventoryEventMaker(deps_, ctx);
  const std::string today = Today(deps_);
  return items_
      .Execute(
          ctx.tenant, StockStream(product_id),
          [&](const StockItemState& s, int64_t) -> core::Result<Events> {
            shortage = false;
            auto it = s.holds.find(std::string(order_id));
            if (it != s.holds.end()) {  // taken by an interrupted call
              held = it->second;
              return Events{};
            }
            std::vector<Allocation> alloc;
            if (!Allocate(s, need, location_order, today,
                          product->allow_backorder, alloc, available)) {
              shortage = true;
              return Events{};
            }
            held = alloc;
            Events events;
            events.push_back(make(std::string(kPositionReserved),
                                  "inventory_item", product_id,
                                  {{"orderId", order_id},
                                   {"productId", product_id},
                                   {"allocations", AllocationsToJson(alloc)}}));
            AddLevelEvents(s, product_id, reorder_point, today, make, events);
            return events;
          })
      .status();
}

core::Status ReservationService::SettleHolds(
    const common::CommandContext& ctx, std::string_view order_id,
    const std::vector<std::string>& products, std::string_view type,
    std::vector<ReservedLine>* settled) {
  const EventMaker make = InventoryEventMaker(deps_, ctx);
  const std::string today = Today(deps_);
  for (const std::string& product_id : products) {
    core::Result<catalog::ProductState> product =
        catalog_.GetProduct(ctx.tenant, product_id);
    if (!product.ok() &&
        product.status().code() != core::StatusCode::kNotFound) {
      return product.status();
    }
    const int64_t reorder_point = product.ok() ? product->reorder_point : 0;
    RETURN_IF_ERROR(
        items_
            .Execute(
                ctx.tenant, StockStream(product_id),
                [&](const StockItemState& s, int64_t) -> core::Result<Events> {
                  auto it = s.holds.find(std::string(order_id));
                  if (it == s.holds.end()) return Events{};
                  std::vector<Allocation> held = it->second;
                  if (type == kPositionCommitted) {
                    // The shipment takes good lots first-expiry-first-out.
                    for (Allocation& a : held) {
                      a.lots = TakeFefo(s.At(a.location_id).lots, a.quantity,
                                        today, true);
                    }
                  }
                  Events events;
                  events.push_back(
                      make(std::string(type), "inventory_item", product_id,
                           {{"orderId", order_id},
                            {"productId", product_id},
                            {"allocations", AllocationsToJson(held)}}));
                  AddBackorderFills(s, product_id, today, make, events);
                  AddLevelEvents(s, product_id, reorder_point, today, make,
                                 events);
                  if (settled != nullptr) {
                    std::erase_if(*settled, [&](const ReservedLine& l) {
                      return l.product_id == product_id;
                    });
                    for (Allocation& a : held) {
                      settled->push_back(ReservedLine{product_id, a.location_id,
                                                      a.quantity,
                                                      std::move(a.lots), 0});
                    }
                  }
                  return events;
                })
            .status());
  }
  return core::Status::Ok();
}

core::Status ReservationService::RecordOutcome(
    const common::CommandContext& ctx, std::string_view order_id,
    std::string_view type, boost::json::object payload) {
  return reservations_
      .Execute(ctx.tenant, ReservationStream(order_id),
               [&](const ReservationState& s, int64_t) -> core::Result<Events> {
                 using St = ReservationState::Status;
                 bool allowed = s.status == St::kReserved;  // committed
                 if (type == kStockReserved || type == kReservationFailed) {
                   allowed = s.status == St::kNone;
                 } else if (type == kStockReleased) {
                   allowed = s.status == St::kNone || s.status == St::kReserved;
                 }
                 if (!allowed) return Events{};
                 Events out;
                 out.push_back(common::NewEvent(
                     deps_, ctx, kSource, std::string(type),
                     "inventory_reservation", std::string(order_id), payload));
                 return out;
               })
      .status();
}

core::Result<ReservationOutcome> ReservationService::Reserve(
    const common::CommandContext& ctx, std::string_view order_id,
    const std::vector<ReservationRequest>& lines) {
  RETURN_IF_ERROR(common::ValidateId(order_id, "orderId"));
  if (lines.empty()) {
    return core::InvalidArgumentError("an order needs at least one line");
  }
  std::map<std::string, ProductNeed> needs;  // sorted: the fixed hold order
  for (const ReservationRequest& l : lines) {
    RETURN_IF_ERROR(common::ValidateId(l.product_id, "productId"));
    if (l.quantity <= 0 || l.quantity > common::kMaxQuantity) {
      return core::InvalidArgumentError("quantity of '" + l.product_id +
                                        "' must be a positive integer");
    }
    ProductNeed& need = needs[l.product_id];
    need.total += l.quantity;
    if (l.location_id.empty()) {
      need.anywhere += l.quantity;
    } else {
      RETURN_IF_ERROR(common::ValidateId(l.location_id, "locationId"));
      need.at[l.location_id] += l.quantity;
    }
  }
  ASSIGN_OR_RETURN(auto settled,
                   reservations_.Load(ctx.tenant, ReservationStream(order_id)));
  if (settled.state.status != ReservationState::Status::kNone) {
    const ReservationState::Status st = settled.state.status;
    if (st == ReservationState::Status::kFailed ||
        st == ReservationState::Status::kReleased) {
      // Settled as holding nothing: free whatever an interrupted earlier
      // call of this order still holds.
      std::vector<std::string> products;
      products.reserve(needs.size());
      for (const auto& [product_id, need] : needs) {
        products.push_back(product_id);
      }
      RETURN_IF_ERROR(SettleHolds(ctx, order_id, products, kPositionReleased));
    }
    return OutcomeOf(settled.state);
  }
  ASSIGN_OR_RETURN(catalog::LocationsState locations,
                   catalog_.GetLocations(ctx.tenant));
  std::vector<std::string> location_order;
  for (const catalog::Location& l : locations.InAllocationOrder()) {
    location_order.push_back(l.id);
  }

  ReservationOutcome outcome;
  std::vector<std::string> products;
  for (const auto& [product_id, need] : needs) {
    products.push_back(product_id);
    bool shortage = false;
    int64_t available = 0;
    std::vector<Allocation> held;
    if (outcome.shortages.empty()) {
      RETURN_IF_ERROR(HoldProduct(ctx, order_id, product_id, need,
                                  location_order, shortage, available, held));
    } else {
      // Already failing: only find out whether this product is short too.
      ASSIGN_OR_RETURN(auto s,
                       items_.LoadShared(ctx.tenant, StockStream(product_id)));
      core::Result<catalog::ProductState> product =
          catalog_.GetProduct(ctx.tenant, product_id);
      const bool backorder =
          product.ok() && !product->deleted && product->allow_backorder;
      shortage = !Allocate(*s.state, need, location_order, Today(deps_),
                           backorder, held, available);
    }
    if (shortage) {
      outcome.shortages.push_back(Shortage{product_id, need.total, available});
      continue;
    }
    for (const Allocation& a : held) {
      outcome.lines.push_back(ReservedLine{
          product_id, a.location_id, a.quantity, {}, a.backordered});
    }
  }

  if (!outcome.shortages.empty()) {
    RETURN_IF_ERROR(SettleHolds(ctx, order_id, products, kPositionReleased));
    outcome.lines.clear();
    outcome.reason = "insufficient stock";
    RETURN_IF_ERROR(
        RecordOutcome(ctx, order_id, kReservationFailed,
                      {{"orderId", order_id},
                       {"reason", outcome.reason},
                       {"shortages", ShortagesToJson(outcome.shortages)}}));
    return outcome;
  }
  outcome.reserved = true;
  boost::json::object reserved{{"orderId", order_id},
                               {"lines", LinesToJson(outcome.lines)}};
  int64_t backordered = 0;
  for (const ReservedLine& l : outcome.lines) backordered += l.backordered;
  if (backordered > 0) reserved["backordered"] = backordered;
  RETURN_IF_ERROR(
      RecordOutcome(ctx, order_id, kStockReserved, std::move(reserved)));
  return outcome;
}

core::Status ReservationService::Release(const common::CommandContext& ctx,
                                         std::string_view order_id,
                                         std::string_view reason) {
  RETURN_IF_ERROR(common::ValidateId(order_id, "orderId"));
  ASSIGN_OR_RETURN(auto loaded,
                   reservations_.Load(ctx.tenant, ReservationStream(order_id)));
  const ReservationState& s = loaded.state;
  if (s.status != ReservationState::Status::kNone &&
      s.status != ReservationState::Status::kReserved) {
    return core::Status::Ok();
  }
  std::vector<std::string> products;
  for (const ReservedLine& l : s.lines) products.push_back(l.product_id);
  std::sort(products.begin(), products.end());
  products.erase(std::unique(products.begin(), products.end()), products.end());
  RETURN_IF_ERROR(SettleHolds(ctx, order_id, products, kPositionReleased));
  // `reason` is for the caller's logs; the event's payload is fixed by
  // the catalog: {orderId, lines}.
  static_cast<void>(reason);
  return RecordOutcome(
      ctx, order_id, kStockReleased,
      {{"orderId", order_id}, {"lines", LinesToJson(s.lines)}});
}

core::Status ReservationService::Commit(const common::CommandContext& ctx,
                                        std::string_view order_id) {
  RETURN_IF_ERROR(common::ValidateId(order_id, "orderId"));
  ASSIGN_OR_RETURN(auto loaded,
                   reservations_.Load(ctx.tenant, ReservationStream(order_id)));
  const ReservationState& s = loaded.state;
  switch (s.status) {
    case ReservationState::Status::kCommitted:
      return core::Status::Ok();
    case ReservationState::Status::kNone:
      return core::NotFoundError("order '" + std::string(order_id) +
                                 "' has no reservation");
    case ReservationState::Status::kFailed:
    case ReservationState::Status::kReleased:
      return core::FailedPreconditionError("order '" + std::string(order_id) +
                                           "' holds no stock to commit");
    case ReservationState::Status::kReserved:
      break;
  }
  std::vector<std::string> products;
  for (const ReservedLine& l : s.lines) products.push_back(l.product_id);
  std::sort(products.begin(), products.end());
  products.erase(std::unique(products.begin(), products.end()), products.end());
  // Nothing ships while part of the order waits for stock (backorders
  // only shrink, so what is checked here cannot grow before the commit).
  for (const std::string& product_id : products) {
    ASSIGN_OR_RETURN(auto stock,
                     items_.LoadShared(ctx.tenant, StockStream(product_id)));
    auto hold = stock.state->holds.find(std::string(order_id));
    if (hold == stock.state->holds.end()) continue;
    for (const Allocation& a : hold->second) {
      if (a.backordered > 0) {
        return core::FailedPreconditionError(
            std::to_string(a.backordered) + " of '" + product_id +
            "' for order '" + std::string(order_id) +
            "' are still on backorder");
      }
    }
  }
  // The lines as shipped, with the lots taken; a product whose hold was
  // committed by an interrupted earlier call keeps its reserved line.
  std::vector<ReservedLine> shipped = s.lines;
  RETURN_IF_ERROR(
      SettleHolds(ctx, order_id, products, kPositionCommitted, &shipped));
  std::stable_sort(shipped.begin(), shipped.end(),
                   [](const ReservedLine& a, const ReservedLine& b) {
                     return a.product_id < b.product_id;
                   });
  return RecordOutcome(
      ctx, order_id, kStockCommitted,
      {{"orderId", order_id}, {"lines", LinesToJson(shipped)}});
}

core::Result<ReservationState> ReservationService::GetReservation(
    std::string_view tenant, std::string_view order_id) const {
  RETURN_IF_ERROR(common::ValidateId(order_id, "orderId"));
  ASSIGN_OR_RETURN(auto loaded,
                   reservations_.Load(tenant, ReservationStream(order_id)));
  ReservationState s = std::move(loaded.state);
  if (s.status != ReservationState::Status::kReserved) return s;
  // inventory.stock.reserved tells the backorders as they were; the fills
  // since are in the products' streams, in the order's holds.
  std::set<std::string> waiting;
  for (const ReservedLine& l : s.lines) {
    if (l.backordered > 0) waiting.insert(l.product_id);
  }
  for (const std::string& product_id : waiting) {
    ASSIGN_OR_RETURN(auto stock,
                     items_.LoadShared(tenant, StockStream(product_id)));
    auto hold = stock.state->holds.find(std::string(order_id));
    if (hold == stock.state->holds.end()) continue;
    for (ReservedLine& l : s.lines) {
      if (l.product_id != product_id) continue;
      for (const Allocation& a : hold->second) {
        if (a.location_id != l.location_id) continue;
        l.quantity = a.quantity;
        l.backordered = a.backordered;
      }
    }
  }
  return s;
}

core::Status ReservationService::HandleOrderCreated(const core::Event& e) {
  const boost::json::value* items = e.payload.if_contains("items");
  if (items == nullptr || !items->is_array()) {
    return core::InvalidArgumentError("order.created has no items array");
  }
  std::vector<ReservationRequest> lines;
  for (const boost::json::value& v : items->get_array()) {
    const boost::json::object* item = v.if_object();
    if (item == nullptr) {
      return core::InvalidArgumentError("order.created item is not an object");
    }
    ReservationRequest r;
    if (const auto* p = item->if_contains("productId"); p && p->is_string()) {
      r.product_id = std::string(p->get_string());
    }
    if (const auto* l = item->if_contains("locationId"); l && l->is_string()) {
      r.location_id = std::string(l->get_string());
    }
    const boost::json::value* q = item->if_contains("quantity");
    if (q == nullptr) {
      return core::InvalidArgumentError("order.created item has no quantity");
    }
    ASSIGN_OR_RETURN(r.quantity, common::ParseQuantity(*q, "quantity"));
    lines.push_back(std::move(r));
  }
  return Reserve(ReactingTo(e), OrderIdOf(e), lines).status();
}

core::Status ReservationService::HandleOrderCancelled(const core::Event& e) {
  return Release(ReactingTo(e), OrderIdOf(e), "order cancelled");
}

core::Status ReservationService::HandleOrderShipped(const core::Event& e) {
  return Commit(ReactingTo(e), OrderIdOf(e));
}

}  // namespace stockpile::domain::inventory
