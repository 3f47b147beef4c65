// The event catalog: the one place that lists every event type Stockpile
// produces, who produces and consumes it, its payload fields and its current
// schema version, and the seed systems' names accepted on ingest as aliases
// (DESIGN.md §3). docs/events.md is generated from it
// (`stockpile events catalog > docs/events.md`); a test fails when they differ.
//
//   const EventTypeInfo* info = FindEventType("order.created");
//   std::string_view canonical = CanonicalEventType("OrderCreated");
//
// Thread-safety: the catalog is immutable; every function is thread-safe.
#ifndef STOCKPILE_DOMAIN_EVENT_CATALOG_H_
#define STOCKPILE_DOMAIN_EVENT_CATALOG_H_

#include <span>
#include <string>
#include <string_view>

namespace stockpile::domain {

enum class FieldType { kString, kInteger, kNumber, kBoolean, kObject, kArray };

struct PayloadField {
  std::string_view name;
  FieldType type;
  bool required;
  std::string_view description;
};

struct EventTypeInfo {
  std::string_view type;            // canonical routing key
  std::string_view aggregate_type;  // aggregateType of events of this type
  int schema_version;               // current payload version
  std::string_view producer;        // service that emits it
  std::string_view consumers;       // services that react to it
  std::string_view description;
  std::span<const PayloadField> fields;
  std::span<const std::string_view> aliases;  // seed names accepted on ingest
};

// Every event type, in catalog order.
std::span<const EventTypeInfo> EventCatalog();

// The entry for a canonical type, or nullptr.
const EventTypeInfo* FindEventType(std::string_view type);

// Maps a canonical name or a seed alias ("SALE_COMPLETED", "OrderCreated",
// "payment.success", ...) to the canonical type; "" when unknown.
std::string_view CanonicalEventType(std::string_view name);

std::string_view FieldTypeName(FieldType type);

// docs/events.md, rendered from the catalog.
std::string RenderEventCatalogMarkdown();

}  // namespace stockpile::domain

#endif  // STOCKPILE_DOMAIN_EVENT_CATALOG_H_
