#include "domain/purchasing/purchase_order_state.h"

#include <boost/json/array.hpp>

#include "core/time_format.h"
#include "domain/common/json_fields.h"
#include "domain/common/money.h"

namespace stockpile::domain::purchasing {

using common::JsonInt;
using common::JsonString;

namespace {

boost::json::value OrNull(const std::string& s) {
  if (s.empty()) return nullptr;
  return boost::json::value(s);
}

// leadTimeDays, leadTimeRegion, expectedDeliveryDate of a created payload
// or a snapshot.
void ReadLeadTime(const boost::json::object& o, PurchaseOrderState& s) {
  s.lead_time_days = JsonInt(o, "leadTimeDays");
  s.lead_time_region = JsonString(o, "leadTimeRegion");
  s.expected_delivery_date = JsonString(o, "expectedDeliveryDate");
}

}  // namespace

std::string PurchaseOrderStream(std::string_view purchase_order_id) {
  return "purchase-order-" + std::string(purchase_order_id);
}

boost::json::array OrderLinesToJson(const std::vector<PurchaseOrderLine>& l) {
  boost::json::array out;
  for (const PurchaseOrderLine& x : l) {
    out.push_back(boost::json::object{
        {"productId", x.product_id},
        {"quantity", x.quantity},
        {"unitCost", common::MoneyToJson(x.unit_cost_minor)}});
  }
  return out;
}

std::vector<PurchaseOrderLine> OrderLinesFromJson(const boost::json::value* v) {
  std::vector<PurchaseOrderLine> out;
  if (v == nullptr || !v->is_array()) return out;
  for (const boost::json::value& item : v->get_array()) {
    const boost::json::object* o = item.if_object();
    if (o == nullptr) continue;
    PurchaseOrderLine line{.product_id = JsonString(*o, "productId"),
                           .quantity = JsonInt(*o, "quantity"),
                           .received = JsonInt(*o, "receivedQuantity")};
    if (const boost::json::value* c = o->if_contains("unitCost")) {
      core::Result<int64_t> m = common::ParseMoney(*c, "unitCost");
      if (m.ok()) line.unit_cost_minor = *m;
    }
    out.push_back(std::move(line));
  }
  return out;
}

bool PurchaseOrderState::IsOpen() const {
  return status == "pending" || status == "approved" ||
         status == "partially_received";
}

int64_t PurchaseOrderState::Outstanding(std::string_view product_id) const {
  if (!IsOpen()) return 0;
  int64_t n = 0;
  for (const PurchaseOrderLine& l : lines) {
    if (l.product_id == product_id) n += l.quantity - l.received;
  }
  return n;
}

boost::json::object PurchaseOrderState::ToJson() const {
  boost::json::array ls;
  for (const PurchaseOrderLine& l : lines) {
    ls.push_back(boost::json::object{
        {"productId", l.product_id},
        {"quantity", l.quantity},
        {"receivedQuantity", l.received},
        {"unitCost", common::MoneyToJson(l.unit_cost_minor)}});
  }
  boost::json::object o{
      {"id", id},
      {"poNumber", po_number},
      {"supplierId", supplier_id},
      {"locationId", location_id},
      {"status", status},
      {"lines", std::move(ls)},
      {"totalAmount", common::MoneyToJson(total_minor)},
      {"currency", currency},
      {"source", source},
      {"createdAt", core::FormatRfc3339Millis(created_at_ms)},
      {"updatedAt", core::FormatRfc3339Millis(updated_at_ms)}};
  if (!approved_by.empty()) o["approvedBy"] = approved_by;
  o["leadTimeDays"] = lead_time_days;
  o["leadTimeRegion"] = OrNull(lead_time_region);
  o["expectedDeliveryDate"] = OrNull(expected_delivery_date);
  boost::json::array docs;
  for (const boost::json::object& d : documents) docs.push_back(d);
  o["documents"] = std::move(docs);
  return o;
}

void PurchaseOrderState::Apply(const core::Event& e) {
  const boost::json::object& p = e.payload;
  const std::string_view type = e.event_type;
  if (type == kPoCreated) {
    exists = true;
    id = JsonString(p, "purchaseOrderId");
    po_number = JsonString(p, "poNumber");
    supplier_id = JsonString(p, "supplierId");
    location_id = JsonString(p, "locationId");
    currency = JsonString(p, "currency");
    source = JsonString(p, "source");
    ReadLeadTime(p, *this);
    status = "pending";
    lines = OrderLinesFromJson(p.if_contains("lines"));
    total_minor = 0;
    for (const PurchaseOrderLine& l : lines) {
      total_minor += l.quantity * l.unit_cost_minor;
    }
    created_at_ms = e.timestamp_ms;
  } else if (type == kPoApproved) {
    status = "approved";
    approved_by = JsonString(p, "approvedBy");
  } else if (type == kPoReceived) {
    for (const PurchaseOrderLine& r :
         OrderLinesFromJson(p.if_contains("lines"))) {
      for (PurchaseOrderLine& l : lines) {
        if (l.product_id == r.product_id) {
          l.received += r.quantity;
          break;
        }
      }
    }
    status = JsonString(p, "status");
    ++receipts;
  } else if (type == kPoCancelled) {
    status = "cancelled";
  } else if (type == kDocumentUploaded) {
    boost::json::object d = p;
    d.erase("purchaseOrderId");
    d["uploadedAt"] = core::FormatRfc3339Millis(e.timestamp_ms);
    documents.push_back(std::move(d));
  } else {
    return;
  }
  updated_at_ms = e.timestamp_ms;
}

boost::json::object PurchaseOrderState::ToSnapshot() const {
  boost::json::object o = ToJson();
  o["createdAtMs"] = created_at_ms;
  o["updatedAtMs"] = updated_at_ms;
  o["receipts"] = receipts;
  return o;
}

core::Result<PurchaseOrderState> PurchaseOrderState::FromSnapshot(
    const boost::json::object& o) {
  PurchaseOrderState s;
  s.exists = true;
  s.id = JsonString(o, "id");
  s.po_number = JsonString(o, "poNumber");
  s.supplier_id = JsonString(o, "supplierId");
  s.location_id = JsonString(o, "locationId");
  s.currency = JsonString(o, "currency");
  s.status = JsonString(o, "status");
  s.source = JsonString(o, "source");
  s.approved_by = JsonString(o, "approvedBy");
  ReadLeadTime(o, s);
  s.lines = OrderLinesFromJson(o.if_contains("lines"));
  s.receipts = JsonInt(o, "receipts");
  s.created_at_ms = JsonInt(o, "createdAtMs");
  s.updated_at_ms = JsonInt(o, "updatedAtMs");
  if (const boost::json::value* docs = o.if_contains("documents");
      docs != nullptr && docs->is_array()) {
    for (const boost::json::value& d : docs->get_array()) {
      if (d.is_object()) s.documents.push_back(d.get_object());
    }
  }
  if (s.id.empty() || s.status.empty()) {
    return core::InternalError("purchase order snapshot is malformed");
  }
  for (const PurchaseOrderLine& l : s.lines) {
    s.total_minor += l.quantity * l.unit_cost_minor;
  }
  return s;
}

}  // namespace stockpile::domain::purchasing
