#include "domain/integrations/integration_service.h"

#include <boost/json/array.hpp>
#include <set>
#include <utility>
#include <vector>

#include "core/status_macros.h"
#include "core/time_format.h"

namespace stockpile::domain::integrations {
namespace {

namespace json = boost::json;

constexpr std::string_view kSource = "integrations";
constexpr std::string_view kSale = "sales.sale.completed";

std::string StreamOf(std::string_view event_id) {
  return "ingest-" + std::string(event_id);
}

// The (product, location) pairs a stock movement touches.
std::vector<std::pair<std::string, std::string>> Touched(
    const InboundEvent& in) {
  std::vector<std::pair<std::string, std::string>> out;
  const json::object& p = in.payload;
  auto str = [&](std::string_view key) {
    const json::value* v = p.if_contains(key);
    return v != nullptr && v->is_string() ? std::string(v->get_string())
                                          : std::string();
  };
  if (in.canonical_type == kSale) {
    for (const json::value& line : p.at("lines").get_array()) {
      out.emplace_back(std::string(line.at("productId").get_string()),
                       str("locationId"));
    }
  } else if (in.canonical_type == "inventory.transfer.initiated") {
    out.emplace_back(str("productId"), str("fromLocationId"));
    out.emplace_back(str("productId"), str("toLocationId"));
  } else if (in.canonical_type.starts_with("inventory.")) {
    out.emplace_back(str("productId"), str("locationId"));
  }
  return out;
}

}  // namespace

IntegrationService::IntegrationService(const common::DomainDeps& deps,
                                       const catalog::CatalogReader& catalog)
    : deps_(deps), catalog_(catalog) {}

core::Status IntegrationService::CheckReferences(std::string_view tenant,
                                                 const InboundEvent& in) const {
  const auto touched = Touched(in);
  if (touched.empty()) return core::Status::Ok();
  ASSIGN_OR_RETURN(catalog::LocationsState locations,
                   catalog_.GetLocations(tenant));
  std::set<std::string> seen;
  for (const auto& [product, location] : touched) {
    if (!location.empty() && !locations.Contains(location)) {
      return core::InvalidArgumentError("unknown location '" + location + "'");
    }
    if (!seen.insert(product).second) continue;
    core::Result<catalog::ProductState> p =
        catalog_.GetProduct(tenant, product);
    if (!p.ok() && p.status().code() != core::StatusCode::kNotFound) {
      return p.status();
    }
    if (!p.ok() || p->deleted) {
      return core::InvalidArgumentError("unknown product '" + product + "'");
    }
  }
  return core::Status::Ok();
}

core::Event IntegrationService::Record(const common::CommandContext& ctx,
                                       const InboundEvent& in) const {
  common::CommandContext record_ctx = ctx;
  if (!in.correlation_id.empty()) record_ctx.correlation_id = in.correlation_id;
  json::object origin{
      {"format", in.format},
      {"originalType", in.original_type},
      {"occurredAt", core::FormatRfc3339Millis(in.occurred_at_ms)}};
  if (!in.source.empty()) origin["source"] = in.source;
  if (!in.external_id.empty()) origin["externalId"] = in.external_id;

  core::Event e;
  if (in.canonical_type == kSale) {
    json::object payload = in.payload;
    payload["origin"] = std::move(origin);
    const std::string sale_id(payload.at("saleId").get_string());
    e = common::NewEvent(deps_, record_ctx, kSource, std::string(kSale), "sale",
                         sale_id, std::move(payload));
  } else {
    json::object payload{{"canonicalType", in.canonical_type},
                         {"origin", std::move(origin)},
                         {"data", in.payload}};
    e = common::NewEvent(deps_, record_ctx, kSource,
                         std::string(kIntegrationReceived), "integration_event",
                         in.event_id, std::move(payload));
  }
  e.event_id = in.event_id;
  return e;
}

core::Result<IngestResult> IntegrationService::Ingest(
    const common::CommandContext& ctx, const json::object& body) {
  ASSIGN_OR_RETURN(
      InboundEvent in,
      ParseInboundEvent(body, ctx.tenant, deps_.clock->NowMillis()));
  IngestResult result;
  result.event_id = in.event_id;
  result.canonical_type = in.canonical_type;
  const std::string stream = StreamOf(in.event_id);

  // Seen before: answer the first record. (Two first sends racing both
  // append; the store keeps one and answers both with it.)
  core::Result<std::vector<core::EventPtr>> earlier =
      deps_.store->ReadStream(ctx.tenant, stream, 1, 1);
  if (earlier.ok() && !earlier->empty()) {
    result.event_type = earlier->front()->event_type;
    result.position = earlier->front()->position;
    result.duplicate = true;
    return result;
  }
  if (!earlier.ok() && earlier.status().code() != core::StatusCode::kNotFound) {
    return earlier.status();
  }

  RETURN_IF_ERROR(CheckReferences(ctx.tenant, in));
  std::vector<core::Event> batch;
  batch.push_back(Record(ctx, in));
  result.event_type = batch.front().event_type;
  ASSIGN_OR_RETURN(store::AppendResult appended,
                   deps_.store->Append(ctx.tenant, stream,
                                       store::ExpectedVersion::NoStream(),
                                       std::move(batch)));
  result.position = appended.first_position;
  return result;
}

std::string_view RecordedType(const core::Event& record) {
  return record.PayloadString("canonicalType");
}

const json::object& RecordedData(const core::Event& record) {
  static const json::object kEmpty;  // NOLINT: an immutable constant
  const json::value* data = record.payload.if_contains("data");
  return data != nullptr && data->is_object() ? data->get_object() : kEmpty;
}

}  // namespace stockpile::domain::integrations
