#include "domain/purchasing/purchase_order_service.h"

#include <map>
#include <set>
#include <utility>

#include "core/status_macros.h"
#include "core/time_format.h"
#include "domain/common/calendar_day.h"
#include "domain/common/ids.h"
#include "domain/common/money.h"
#include "domain/purchasing/lead_time.h"

namespace stockpile::domain::purchasing {
namespace {

constexpr std::string_view kSource = "purchasing";
using Events = std::vector<core::Event>;

core::Status CheckQuantity(int64_t q, std::string_view what) {
  if (q <= 0 || q > common::kMaxQuantity) {
    return core::InvalidArgumentError(std::string(what) +
                                      " must be a positive integer");
  }
  return core::Status::Ok();
}

// A missing referenced entity in a request body is bad input (422), not an
// unknown resource (404).
core::Status AsBadInput(const core::Status& s) {
  if (s.code() == core::StatusCode::kNotFound) {
    return core::InvalidArgumentError(s.message());
  }
  return s;
}

int64_t CurrentYear(const core::Clock& clock) {
  constexpr int64_t kMsPerDay = 86'400'000;
  int64_t ms = clock.NowMillis();
  int64_t days = ms >= 0 ? ms / kMsPerDay : (ms - kMsPerDay + 1) / kMsPerDay;
  int64_t year = 0;
  unsigned month = 0, day = 0;
  core::CivilFromDays(days, year, month, day);
  return year;
}

core::Status NoOrder(std::string_view id) {
  return core::NotFoundError("no purchase order '" + std::string(id) + "'");
}

}  // namespace

PurchaseOrderService::PurchaseOrderService(
    const common::DomainDeps& deps, const catalog::CatalogService& catalog,
    const tenant::TenantSettingsService* calendars)
    : deps_(deps),
      catalog_(catalog),
      calendars_(calendars),
      orders_(*deps.store, deps.repository),
      numbers_(*deps.store, deps.repository) {}

core::Result<catalog::SupplierState> PurchaseOrderService::PriceLines(
    const common::CommandContext& ctx, const NewPurchaseOrder& order,
    std::vector<PurchaseOrderLine>& lines, std::string& currency) const {
  if (order.lines.empty()) {
    return core::InvalidArgumentError("'lines' must have at least one line");
  }
  RETURN_IF_ERROR(common::ValidateId(order.supplier_id, "supplierId"));
  RETURN_IF_ERROR(common::ValidateId(order.location_id, "locationId"));
  ASSIGN_OR_RETURN(catalog::LocationsState locations,
                   catalog_.GetLocations(ctx.tenant));
  if (!locations.Contains(order.location_id)) {
    return core::InvalidArgumentError("no location '" + order.location_id +
                                      "'");
  }
  core::Result<catalog::SupplierState> supplier =
      catalog_.GetSupplier(ctx.tenant, order.supplier_id);
  if (!supplier.ok()) return AsBadInput(supplier.status());
  std::set<std::string> seen;
  for (size_t i = 0; i < order.lines.size(); ++i) {
    const NewPurchaseOrderLine& in = order.lines[i];
    const std::string at = "lines[" + std::to_string(i) + "]";
    RETURN_IF_ERROR(common::ValidateId(in.product_id, at + ".productId"));
    RETURN_IF_ERROR(CheckQuantity(in.quantity, at + ".quantity"));
    if (!seen.insert(in.product_id).second) {
      return core::InvalidArgumentError(at + ": product '" + in.product_id +
                                        "' is on another line already");
    }
    core::Result<catalog::ProductState> product =
        catalog_.GetProduct(ctx.tenant, in.product_id);
    if (!product.ok()) return AsBadInput(product.status());
    if (product->deleted) {
      return core::InvalidArgumentError(at + ": product '" + in.product_id +
                                        "' is deleted");
    }
    if (currency.empty()) currency = product->currency;
    int64_t cost = 0;
    if (in.unit_cost_minor) {
      cost = *in.unit_cost_minor;
    } else {
      auto price = supplier->prices_minor.find(in.product_id);
      if (price == supplier->prices_minor.end()) {
        return core::InvalidArgumentError(at + ": supplier '" +
                                          order.supplier_id +
                                          "' has no price for product '" +
                                          in.product_id + "'; give a unitCost");
      }
      cost = price->second;
    }
    if (cost < 0) {
      return core::InvalidArgumentError(at + ".unitCost must not be negative");
    }
    lines.push_back(PurchaseOrderLine{.product_id = in.product_id,
                                      .quantity = in.quantity,
                                      .unit_cost_minor = cost});
  }
  int64_t total = 0;
  for (const PurchaseOrderLine& l : lines) {
    if (l.unit_cost_minor > 0 &&
        l.quantity > (common::kMaxMoneyMinor - total) / l.unit_cost_minor) {
      return core::InvalidArgumentError("the order's total is out of range");
    }
    total += l.quantity * l.unit_cost_minor;
  }
  if (currency.empty()) currency = "USD";
  return std::move(supplier).value();
}

core::Result<std::string> PurchaseOrderService::AssignNumber(
    const common::CommandContext& ctx, const std::string& id) {
  const int64_t year = CurrentYear(*deps_.clock);
  std::string number;
  RETURN_IF_ERROR(
      numbers_
          .Execute(
              ctx.tenant, PoNumberStream(year),
              [&](const PoNumberState& s, int64_t) -> core::Result<Events> {
                number = s.NumberOf(id);
                if (!number.empty()) return Events{};
                number = FormatPoNumber(year, s.last + 1);
                Events out;
                out.push_back(common::NewEvent(
                    deps_, ctx, kSource, std::string(kPoNumberAssigned),
                    "po_number", std::to_string(year),
                    {{"purchaseOrderId", id},
                     {"poNumber", number},
                     {"sequence", s.last + 1}}));
                return out;
              })
          .status());
  return number;
}

core::Result<PurchaseOrderState> PurchaseOrderService::Create(
    const common::CommandContext& ctx, NewPurchaseOrder order) {
  if (order.id.empty()) order.id = "po-" + deps_.ids->NextString();
  RETURN_IF_ERROR(common::ValidateId(order.id, "purchase order id"));
  std::vector<PurchaseOrderLine> lines;
  std::string currency;
  ASSIGN_OR_RETURN(catalog::SupplierState supplier,
                   PriceLines(ctx, order, lines, currency));
  const int64_t lead_days =
      order.lead_time_days.value_or(supplier.lead_time_days);
  core::Result<LeadTime> lead =
      ExpectedDelivery(calendars_, ctx.tenant, supplier.region, lead_days,
                       deps_.clock->NowMillis());
  if (!lead.ok()) return lead.status().WithContext("'leadTimeDays'");
  ASSIGN_OR_RETURN(auto existing,
                   orders_.Load(ctx.tenant, PurchaseOrderStream(order.id)));
  if (existing.version != 0) {
    return core::AlreadyExistsError("purchase order '" + order.id +
                                    "' already exists");
  }
  ASSIGN_OR_RETURN(std::string number, AssignNumber(ctx, order.id));
  PurchaseOrderState result;
  auto committed = orders_.Execute(
      ctx.tenant, PurchaseOrderStream(order.id),
      [&](const PurchaseOrderState&, int64_t version) -> core::Result<Events> {
        if (version != 0) {
          return core::AlreadyExistsError("purchase order '" + order.id +
                                          "' already exists");
        }
        int64_t total = 0;
        for (const PurchaseOrderLine& l : lines) {
          total += l.quantity * l.unit_cost_minor;
        }
        const bool auto_approve = order.auto_approve_limit_minor &&
                                  total < *order.auto_approve_limit_minor;
        boost::json::object created{
            {"purchaseOrderId", order.id},
            {"poNumber", number},
            {"supplierId", order.supplier_id},
            {"locationId", order.location_id},
            {"lines", OrderLinesToJson(lines)},
            {"totalAmount", common::MoneyToJson(total)},
            {"currency", currency},
            {"source", order.source},
            {"status", auto_approve ? "approved" : "pending"},
            {"leadTimeDays", lead->business_days},
            {"expectedDeliveryDate", common::FormatDay(lead->due_day)}};
        if (!lead->region.empty()) created["leadTimeRegion"] = lead->region;
        Events out;
        out.push_back(
            common::NewEvent(deps_, ctx, kSource, std::string(kPoCreated),
                             "purchase_order", order.id, std::move(created)));
        if (auto_approve) {
          out.push_back(common::NewEvent(
              deps_, ctx, kSource, std::string(kPoApproved), "purchase_order",
              order.id,
              {{"purchaseOrderId", order.id}, {"approvedBy", "auto"}}));
        }
        result = PurchaseOrderState{};
        for (const core::Event& e : out) result.Apply(e);
        return out;
      });
  if (!committed.ok()) return committed.status();
  return result;
}

core::Result<PurchaseOrderState> PurchaseOrderService::Transition(
    const common::CommandContext& ctx, std::string_view id,
    const std::function<core::Result<core::Event>(const PurchaseOrderState&)>&
        decide) {
  RETURN_IF_ERROR(common::ValidateId(id, "purchase order id"));
  PurchaseOrderState result;
  auto committed = orders_.Execute(
      ctx.tenant, PurchaseOrderStream(id),
      [&](const PurchaseOrderState& s, int64_t) -> core::Result<Events> {
        if (!s.exists) return NoOrder(id);
        ASSIGN_OR_RETURN(core::Event e, decide(s));
        result = s;
        result.Apply(e);
        Events out;
        out.push_back(std::move(e));
        return out;
      });
  if (!committed.ok()) return committed.status();
  return result;
}

namespace {

core::Status ValidateDocument(const NewDocument& d) {
  auto bad = [](std::string_view field, std::string_view why) {
    return core::InvalidArgumentError("'" + std::string(field) + "' " +
                                      std::string(why));
  };
  if (d.file_name.empty() || d.file_name.size() > 255) {
    return bad("fileName", "must be 1 to 255 characters");
  }
  for (unsigned char c : d.file_name) {
    if (c < 0x20 || c == 0x7f)
      return bad("fileName", "has a control character");
  }
  const size_t slash = d.content_type.find('/');
  if (slash == std::string::npos || slash == 0 ||
      slash + 1 == d.content_type.size() || d.content_type.size() > 255 ||
      d.content_type.find_first_of(" \t\r\n") != std::string::npos) {
    return bad("contentType", "must be a MIME type such as application/pdf");
  }
  if (d.size_bytes < 0) return bad("sizeBytes", "must not be negative");
  if (!d.url.empty() &&
      ((!d.url.starts_with("http://") && !d.url.starts_with("https://")) ||
       d.url.size() > 2048 ||
       d.url.find_first_of(" \t\r\n") != std::string::npos)) {
    return bad("url", "must be an http:// or https:// URL");
  }
  return core::Status::Ok();
}

}  // namespace

core::Result<boost::json::object> PurchaseOrderService::AttachDocument(
    const common::CommandContext& ctx, std::string_view id,
    const NewDocument& document) {
  RETURN_IF_ERROR(ValidateDocument(document));
  const std::string document_id = "doc-" + deps_.ids->NextString();
  ASSIGN_OR_RETURN(
      PurchaseOrderState after,
      Transition(ctx, id,
                 [&](const PurchaseOrderState& s) -> core::Result<core::Event> {
                   boost::json::object payload{
                       {"documentId", document_id},
                       {"purchaseOrderId", s.id},
                       {"fileName", document.file_name},
                       {"contentType", document.content_type},
                       {"sizeBytes", document.size_bytes}};
                   if (!document.url.empty()) payload["url"] = document.url;
                   return common::NewEvent(
                       deps_, ctx, kSource, std::string(kDocumentUploaded),
                       "document", document_id, std::move(payload));
                 }));
  return after.documents.back();
}

core::Result<PurchaseOrderState> PurchaseOrderService::Approve(
    const common::CommandContext& ctx, std::string_view id) {
  return Transition(
      ctx, id, [&](const PurchaseOrderState& s) -> core::Result<core::Event> {
        if (s.status != "pending") {
          return core::ConflictError("purchase order " + s.po_number + " is " +
                                     s.status +
                                     ", only a pending one can be "
                                     "approved");
        }
        return common::NewEvent(
            deps_, ctx, kSource, std::string(kPoApproved), "purchase_order",
            s.id,
            {{"purchaseOrderId", s.id},
             {"approvedBy", ctx.user_id.empty() ? "unknown" : ctx.user_id}});
      });
}

core::Result<PurchaseOrderState> PurchaseOrderService::Receive(
    const common::CommandContext& ctx, std::string_view id,
    std::vector<ReceivedLine> lines) {
  if (lines.empty()) {
    return core::InvalidArgumentError("'lines' must have at least one line");
  }
  std::map<std::string, int64_t> wanted;  // product -> units, summed
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string at = "lines[" + std::to_string(i) + "]";
    RETURN_IF_ERROR(common::ValidateId(lines[i].product_id, at + ".productId"));
    RETURN_IF_ERROR(CheckQuantity(lines[i].quantity, at + ".quantity"));
    wanted[lines[i].product_id] += lines[i].quantity;
  }
  return Transition(
      ctx, id, [&](const PurchaseOrderState& s) -> core::Result<core::Event> {
        if (s.status != "approved" && s.status != "partially_received") {
          return core::ConflictError("purchase order " + s.po_number + " is " +
                                     s.status +
                                     ", only an approved one can be received");
        }
        PurchaseOrderState after = s;
        boost::json::array received;
        for (const auto& [product, quantity] : wanted) {
          PurchaseOrderLine* line = nullptr;
          for (PurchaseOrderLine& l : after.lines) {
            if (l.product_id == product) line = &l;
          }
          if (line == nullptr) {
            return core::InvalidArgumentError("product '" + product +
                                              "' is not on purchase order " +
                                              s.po_number);
          }
          if (quantity > line->quantity - line->received) {
            return core::InvalidArgumentError(
                "over-receipt of '" + product +
                "': " + std::to_string(quantity) + " received but only " +
                std::to_string(line->quantity - line->received) + " of " +
                std::to_string(line->quantity) + " are outstanding");
          }
          line->received += quantity;
          received.push_back(boost::json::object{{"productId", product},
                                                 {"quantity", quantity}});
        }
        bool complete = true;
        for (const PurchaseOrderLine& l : after.lines) {
          complete = complete && l.received == l.quantity;
        }
        return common::NewEvent(
            deps_, ctx, kSource, std::string(kPoReceived), "purchase_order",
            s.id,
            {{"purchaseOrderId", s.id},
             {"locationId", s.location_id},
             {"lines", std::move(received)},
             {"receiptNumber", s.receipts + 1},
             {"status", complete ? "received" : "partially_received"}});
      });
}

core::Result<PurchaseOrderState> PurchaseOrderService::Cancel(
    const common::CommandContext& ctx, std::string_view id) {
  return Transition(
      ctx, id, [&](const PurchaseOrderState& s) -> core::Result<core::Event> {
        if (s.status != "pending" && s.status != "approved") {
          return core::ConflictError("purchase order " + s.po_number + " is " +
                                     s.status +
                                     ", only a pending or approved "
                                     "one can be cancelled");
        }
        return common::NewEvent(deps_, ctx, kSource, std::string(kPoCancelled),
                                "purchase_order", s.id,
                                {{"purchaseOrderId", s.id}});
      });
}

core::Result<PurchaseOrderState> PurchaseOrderService::Get(
    std::string_view tenant, std::string_view id) const {
  RETURN_IF_ERROR(common::ValidateId(id, "purchase order id"));
  ASSIGN_OR_RETURN(auto loaded, orders_.Load(tenant, PurchaseOrderStream(id)));
  if (!loaded.state.exists) return NoOrder(id);
  return loaded.state;
}

}  // namespace stockpile::domain::purchasing
