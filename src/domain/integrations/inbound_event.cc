#include "domain/integrations/inbound_event.h"

#include <array>
#include <boost/json/array.hpp>
#include <cmath>
#include <optional>
#include <utility>

#include "core/cloud_events.h"
#include "core/status_macros.h"
#include "core/time_format.h"
#include "core/uuid.h"
#include "domain/common/ids.h"
#include "domain/common/money.h"
#include "domain/event_catalog.h"

namespace stockpile::domain::integrations {
namespace {

namespace json = boost::json;

constexpr std::array<std::string_view, 7> kAccepted = {
    "sales.sale.completed",
    "inventory.stock.received",
    "inventory.stock.adjusted",
    "inventory.transfer.initiated",
    "inventory.transfer.completed",
    "payment.succeeded",
    "payment.failed"};

core::Status FieldError(std::string_view field, std::string_view what) {
  return core::InvalidArgumentError("'" + std::string(field) + "' " +
                                    std::string(what));
}

// A string member, "" when absent; an error when present with another type.
core::Result<std::string> OptString(const json::object& o, std::string_view key,
                                    std::string_view where = {}) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return std::string();
  if (!v->is_string()) {
    return FieldError(std::string(where) + std::string(key),
                      "must be a string");
  }
  return std::string(v->get_string());
}

core::Result<std::string> ReqId(const json::object& o, std::string_view key,
                                std::string_view where = {}) {
  ASSIGN_OR_RETURN(std::string id, OptString(o, key, where));
  const std::string field = std::string(where) + std::string(key);
  if (id.empty()) return FieldError(field, "is required");
  RETURN_IF_ERROR(common::ValidateId(id, field));
  return id;
}

// The product a line is about: productId, or the seeds' itemId.
core::Result<std::string> ProductOf(const json::object& o,
                                    std::string_view where = {}) {
  ASSIGN_OR_RETURN(std::string id, OptString(o, "productId", where));
  if (id.empty()) {
    ASSIGN_OR_RETURN(id, OptString(o, "itemId", where));
  }
  const std::string field = std::string(where) + "productId";
  if (id.empty()) return FieldError(field, "(or 'itemId') is required");
  RETURN_IF_ERROR(common::ValidateId(id, field));
  return id;
}

core::Result<std::string> LocationOf(const json::object& o,
                                     std::string_view key = "locationId") {
  ASSIGN_OR_RETURN(std::string id, OptString(o, key));
  if (id.empty()) return std::string("main");
  RETURN_IF_ERROR(common::ValidateId(id, key));
  return id;
}

// A whole number, also when sent as 5.0 (the seeds' quantities are floats).
core::Result<std::optional<int64_t>> OptWhole(const json::object& o,
                                              std::string_view key,
                                              std::string_view where = {}) {
  const json::value* v = o.if_contains(key);
  const std::string field = std::string(where) + std::string(key);
  if (v == nullptr || v->is_null()) return std::optional<int64_t>();
  if (v->is_int64()) {
    ASSIGN_OR_RETURN(int64_t q, common::ParseQuantity(*v, field));
    return std::optional<int64_t>(q);
  }
  if (v->is_double()) {
    const double d = v->get_double();
    constexpr auto kMax = static_cast<double>(common::kMaxQuantity);
    if (std::isfinite(d) && std::floor(d) == d && std::fabs(d) <= kMax) {
      return std::optional<int64_t>(static_cast<int64_t>(d));
    }
    return FieldError(field, "must be a whole number");
  }
  if (v->is_uint64()) return FieldError(field, "is out of range");
  return FieldError(field, "must be a number");
}

core::Result<int64_t> PositiveQuantity(const json::object& o,
                                       std::string_view where = {}) {
  ASSIGN_OR_RETURN(std::optional<int64_t> q, OptWhole(o, "quantity", where));
  const std::string field = std::string(where) + "quantity";
  if (!q) return FieldError(field, "is required");
  if (*q <= 0) return FieldError(field, "must be greater than 0");
  return *q;
}

core::Status CopyNumber(const json::object& from, std::string_view key,
                        json::object& to, std::string_view where = {}) {
  const json::value* v = from.if_contains(key);
  if (v == nullptr || v->is_null()) return core::Status::Ok();
  if (!v->is_number()) {
    return FieldError(std::string(where) + std::string(key),
                      "must be a number");
  }
  const double d = v->to_number<double>();
  if (!std::isfinite(d) || d < 0) {
    return FieldError(std::string(where) + std::string(key),
                      "must be a non-negative number");
  }
  to[key] = *v;
  return core::Status::Ok();
}

core::Status CopyString(const json::object& from, std::string_view key,
                        json::object& to) {
  ASSIGN_OR_RETURN(std::string s, OptString(from, key));
  if (!s.empty()) to[key] = s;
  return core::Status::Ok();
}

core::Result<json::object> SaleLine(const json::object& line,
                                    std::string_view where) {
  json::object out;
  ASSIGN_OR_RETURN(std::string product, ProductOf(line, where));
  out["productId"] = product;
  ASSIGN_OR_RETURN(out["quantity"], PositiveQuantity(line, where));
  RETURN_IF_ERROR(CopyNumber(line, "unitPrice", out, where));
  RETURN_IF_ERROR(CopyNumber(line, "amount", out, where));
  return out;
}

core::Result<json::object> NormaliseSale(const json::object& p) {
  json::object out;
  ASSIGN_OR_RETURN(out["saleId"], ReqId(p, "saleId"));
  ASSIGN_OR_RETURN(out["locationId"], LocationOf(p));
  json::array lines;
  if (const json::value* v = p.if_contains("lines")) {
    if (!v->is_array() || v->get_array().empty()) {
      return FieldError("lines", "must be a non-empty array");
    }
    const json::array& in = v->get_array();
    for (size_t i = 0; i < in.size(); ++i) {
      const std::string where = "lines[" + std::to_string(i) + "].";
      if (!in[i].is_object()) return FieldError(where, "must be an object");
      ASSIGN_OR_RETURN(json::object line, SaleLine(in[i].get_object(), where));
      lines.push_back(std::move(line));
    }
  } else {  // the seeds' one-item sale
    ASSIGN_OR_RETURN(json::object line, SaleLine(p, ""));
    lines.push_back(std::move(line));
  }
  out["lines"] = std::move(lines);
  return out;
}

core::Result<json::object> NormaliseReceipt(const json::object& p) {
  json::object out;
  ASSIGN_OR_RETURN(out["productId"], ProductOf(p));
  ASSIGN_OR_RETURN(out["locationId"], LocationOf(p));
  ASSIGN_OR_RETURN(out["quantity"], PositiveQuantity(p));
  RETURN_IF_ERROR(CopyString(p, "receiptId", out));
  RETURN_IF_ERROR(CopyString(p, "lotNumber", out));
  RETURN_IF_ERROR(CopyString(p, "expiryDate", out));
  return out;
}

// Either a signed `delta`, or an absolute `onHand` (a stock count, as the
// seeds' INVENTORY_UPDATED reports it).
core::Result<json::object> NormaliseAdjustment(const json::object& p) {
  json::object out;
  ASSIGN_OR_RETURN(out["productId"], ProductOf(p));
  ASSIGN_OR_RETURN(out["locationId"], LocationOf(p));
  ASSIGN_OR_RETURN(std::optional<int64_t> delta, OptWhole(p, "delta"));
  ASSIGN_OR_RETURN(std::optional<int64_t> on_hand, OptWhole(p, "onHand"));
  if (delta.has_value() == on_hand.has_value()) {
    return core::InvalidArgumentError(
        "exactly one of 'delta' (a signed change) and 'onHand' (a counted "
        "level) is required");
  }
  if (delta && *delta == 0) return FieldError("delta", "must not be 0");
  if (on_hand && *on_hand < 0) return FieldError("onHand", "must be >= 0");
  if (delta) out["delta"] = *delta;
  if (on_hand) out["onHand"] = *on_hand;
  ASSIGN_OR_RETURN(std::string reason, OptString(p, "reason"));
  if (reason.empty()) reason = on_hand ? "cycle_count" : "correction";
  out["reason"] = reason;
  RETURN_IF_ERROR(CopyString(p, "transactionId", out));
  return out;
}

core::Result<json::object> NormaliseTransfer(const json::object& p,
                                             bool completed,
                                             std::string_view event_id) {
  json::object out;
  ASSIGN_OR_RETURN(std::string id, OptString(p, "transferId"));
  if (id.empty() && !completed) id = "tr-" + std::string(event_id);
  if (id.empty()) return FieldError("transferId", "is required");
  RETURN_IF_ERROR(common::ValidateId(id, "transferId"));
  out["transferId"] = id;
  ASSIGN_OR_RETURN(out["productId"], ProductOf(p));
  if (completed) return out;
  ASSIGN_OR_RETURN(out["fromLocationId"], ReqId(p, "fromLocationId"));
  ASSIGN_OR_RETURN(out["toLocationId"], ReqId(p, "toLocationId"));
  ASSIGN_OR_RETURN(out["quantity"], PositiveQuantity(p));
  return out;
}

core::Result<json::object> NormalisePayment(const json::object& p,
                                            std::string_view event_id) {
  json::object out;
  ASSIGN_OR_RETURN(out["orderId"], ReqId(p, "orderId"));
  const json::value* amount = p.if_contains("amount");
  if (amount == nullptr) return FieldError("amount", "is required");
  ASSIGN_OR_RETURN(int64_t minor, common::ParseMoney(*amount, "amount"));
  if (minor <= 0) return FieldError("amount", "must be greater than 0");
  out["amount"] = common::MoneyToJson(minor);
  ASSIGN_OR_RETURN(std::string id, OptString(p, "paymentId"));
  if (id.empty()) id = "pay-" + std::string(event_id);
  RETURN_IF_ERROR(common::ValidateId(id, "paymentId"));
  out["paymentId"] = id;
  RETURN_IF_ERROR(CopyString(p, "currency", out));
  RETURN_IF_ERROR(CopyString(p, "reason", out));
  return out;
}

core::Result<json::object> Normalise(std::string_view type,
                                     const json::object& p,
                                     std::string_view event_id) {
  if (type == "sales.sale.completed") return NormaliseSale(p);
  if (type == "inventory.stock.received") return NormaliseReceipt(p);
  if (type == "inventory.stock.adjusted") return NormaliseAdjustment(p);
  if (type == "inventory.transfer.initiated") {
    return NormaliseTransfer(p, false, event_id);
  }
  if (type == "inventory.transfer.completed") {
    return NormaliseTransfer(p, true, event_id);
  }
  return NormalisePayment(p, event_id);  // payment.succeeded / failed
}

core::Result<std::string> CanonicalAccepted(std::string_view sent) {
  const std::string_view canonical = CanonicalEventType(sent);
  if (canonical.empty()) {
    return FieldError("eventType", "'" + std::string(sent) +
                                       "' is not a known event type or seed "
                                       "alias (docs/events.md)");
  }
  for (std::string_view t : kAccepted) {
    if (t == canonical) return std::string(canonical);
  }
  const EventTypeInfo* info = FindEventType(canonical);
  return FieldError("eventType",
                    "'" + std::string(sent) + "' (" + std::string(canonical) +
                        ") is produced by Stockpile's own " +
                        std::string(info != nullptr ? info->producer : "") +
                        " service and is not accepted on ingest");
}

core::Result<InboundEvent> FromEnvelope(const json::object& body,
                                        std::string_view tenant,
                                        int64_t now_ms) {
  InboundEvent in;
  in.format = "envelope";
  ASSIGN_OR_RETURN(std::string id, OptString(body, "eventId"));
  if (id.empty()) return FieldError("eventId", "is required");
  ASSIGN_OR_RETURN(in.original_type, OptString(body, "eventType"));
  if (in.original_type.empty()) return FieldError("eventType", "is required");
  ASSIGN_OR_RETURN(std::string tenant_id, OptString(body, "tenantId"));
  if (!tenant_id.empty() && tenant_id != tenant) {
    return FieldError("tenantId", "does not match the caller's tenant");
  }
  if (const json::value* m = body.if_contains("metadata")) {
    if (!m->is_object()) return FieldError("metadata", "must be an object");
    ASSIGN_OR_RETURN(in.source, OptString(m->get_object(), "source"));
    ASSIGN_OR_RETURN(in.correlation_id,
                     OptString(m->get_object(), "correlationId"));
  }
  ASSIGN_OR_RETURN(std::string ts, OptString(body, "timestamp"));
  in.occurred_at_ms = now_ms;
  if (!ts.empty()) {
    core::Result<int64_t> parsed = core::ParseRfc3339Millis(ts);
    if (!parsed.ok()) return parsed.status().WithContext("'timestamp'");
    in.occurred_at_ms = *parsed;
  }
  if (core::IsUuid(id)) {
    in.event_id = core::Uuid::Parse(id)->ToString();
  } else {
    if (id.size() > 200) return FieldError("eventId", "is over 200 chars");
    in.event_id = core::Uuid::FromName(in.source, id).ToString();
    in.external_id = id;
  }
  const json::value* payload = body.if_contains("payload");
  if (payload == nullptr || !payload->is_object()) {
    return FieldError("payload", "must be an object");
  }
  in.payload = payload->get_object();
  return in;
}

core::Result<InboundEvent> FromCloudEvent(json::object ce,
                                          std::string_view tenant,
                                          int64_t now_ms) {
  InboundEvent in;
  in.format = "cloudevents";
  // The decoder wants a canonical routing key and a time; a sender may use
  // a seed name and leave `time` out (it is optional in CloudEvents).
  ASSIGN_OR_RETURN(in.original_type, OptString(ce, "type"));
  if (in.original_type.empty()) return FieldError("type", "is required");
  ASSIGN_OR_RETURN(std::string canonical, CanonicalAccepted(in.original_type));
  ce["type"] = canonical;
  if (!ce.contains("time")) ce["time"] = core::FormatRfc3339Millis(now_ms);
  if (!ce.contains("data")) return FieldError("data", "must be an object");
  core::CloudEventOptions options;
  options.default_tenant = std::string(tenant);
  ASSIGN_OR_RETURN(core::Event e, core::CloudEventToEvent(ce, options));
  if (e.tenant_id != tenant) {
    return FieldError("tenantid", "does not match the caller's tenant");
  }
  in.event_id = e.event_id;
  if (const json::value* ext = e.metadata.if_contains("externalId")) {
    if (ext->is_string()) in.external_id = std::string(ext->get_string());
  }
  in.source = std::string(e.source());
  in.correlation_id = std::string(e.correlation_id());
  in.occurred_at_ms = e.timestamp_ms;
  in.payload = std::move(e.payload);
  return in;
}

}  // namespace

std::span<const std::string_view> AcceptedIngestTypes() { return kAccepted; }

core::Result<InboundEvent> ParseInboundEvent(const json::object& body,
                                             std::string_view tenant,
                                             int64_t now_ms) {
  InboundEvent in;
  if (core::IsCloudEvent(body)) {
    ASSIGN_OR_RETURN(in, FromCloudEvent(body, tenant, now_ms));
  } else {
    ASSIGN_OR_RETURN(in, FromEnvelope(body, tenant, now_ms));
  }
  ASSIGN_OR_RETURN(in.canonical_type, CanonicalAccepted(in.original_type));
  if (in.source.size() > 200) return FieldError("source", "is over 200 chars");
  ASSIGN_OR_RETURN(in.payload,
                   Normalise(in.canonical_type, in.payload, in.event_id));
  return in;
}

}  // namespace stockpile::domain::integrations
