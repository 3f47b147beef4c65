#include "domain/catalog/product_state.h"

#include "core/uuid.h"
#include "domain/common/json_fields.h"
#include "domain/common/money.h"

namespace stockpile::domain::catalog {

std::string ProductStream(std::string_view product_id) {
  return "product-" + std::string(product_id);
}

std::string SkuStream(std::string_view sku) {
  // A sku may hold any characters; its name-based UUID is a valid stream name.
  return "sku-" + core::Uuid::FromName("stockpile.sku", sku).ToString();
}

boost::json::object ProductState::ToJson() const {
  boost::json::object o;
  o["productId"] = id;
  o["sku"] = sku;
  o["name"] = name;
  o["price"] = common::MoneyToJson(price_minor);
  o["currency"] = currency;
  o["unit"] = unit;
  o["reorderPoint"] = reorder_point;
  o["allowBackorder"] = allow_backorder;
  o["active"] = active;
  o["deleted"] = deleted;
  return o;
}

void ProductState::ApplyFields(const boost::json::object& f) {
  if (f.contains("sku")) sku = common::JsonString(f, "sku");
  if (f.contains("name")) name = common::JsonString(f, "name");
  if (f.contains("currency")) currency = common::JsonString(f, "currency");
  if (f.contains("unit")) unit = common::JsonString(f, "unit");
  if (const boost::json::value* v = f.if_contains("price")) {
    core::Result<int64_t> p = common::ParseMoney(*v, "price");
    if (p.ok()) price_minor = *p;
  }
  if (const boost::json::value* v = f.if_contains("reorderPoint")) {
    core::Result<int64_t> q = common::ParseQuantity(*v, "reorderPoint");
    if (q.ok()) reorder_point = *q;
  }
  if (const boost::json::value* v = f.if_contains("allowBackorder")) {
    if (v->is_bool()) allow_backorder = v->get_bool();
  }
  if (const boost::json::value* v = f.if_contains("active")) {
    if (v->is_bool()) active = v->get_bool();
  }
}

void ProductState::Apply(const core::Event& e) {
  if (e.event_type == kProductCreated) {
    *this = ProductState();
    exists = true;
    id = common::JsonString(e.payload, "productId");
    ApplyFields(e.payload);
  } else if (e.event_type == kProductUpdated) {
    if (const boost::json::value* c = e.payload.if_contains("changes")) {
      if (c->is_object()) ApplyFields(c->get_object());
    }
  } else if (e.event_type == kProductDeleted) {
    deleted = true;
    active = false;
  }
}

core::Result<ProductState> ProductState::FromSnapshot(
    const boost::json::object& o) {
  ProductState s;
  s.exists = true;
  s.id = common::JsonString(o, "productId");
  s.ApplyFields(o);
  if (const boost::json::value* v = o.if_contains("deleted")) {
    if (v->is_bool()) s.deleted = v->get_bool();
  }
  return s;
}

void SkuState::Apply(const core::Event& e) {
  if (e.event_type == kSkuClaimed) {
    product_id = std::string(e.PayloadString("productId"));
  } else if (e.event_type == kSkuReleased &&
             e.PayloadString("productId") == product_id) {
    product_id.clear();
  }
}

boost::json::object SkuState::ToSnapshot() const {
  return boost::json::object{{"productId", product_id}};
}

core::Result<SkuState> SkuState::FromSnapshot(const boost::json::object& o) {
  SkuState s;
  s.product_id = common::JsonString(o, "productId");
  return s;
}

}  // namespace stockpile::domain::catalog
