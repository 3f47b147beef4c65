// IntegrationService: the integration ingest (DESIGN.md §4 flow 3). Other
// systems — a POS, a WMS, a payment gateway — send their events in the
// standard envelope or as CloudEvents; each accepted event is recorded once
// on the log, and the services that own the effect react to the record:
//
//   POST /integrations/events -> ParseInboundEvent -> Ingest
//     -> "sales.sale.completed"            (a POS sale is a fact of its own)
//     -> "integration.event.received"      (a receipt, adjustment, transfer
//                                           or payment, wrapped: these types
//                                           are produced by Stockpile's own
//                                           services, which act on the
//                                           wrapper and emit their events)
//     -> inventory.integrations / billing.integrations consumers
//
// Each recorded event has its own stream "ingest-<eventId>" and keeps the
// sender's eventId, so re-sending an event is a no-op that answers the
// original record (duplicate = true): ingest is idempotent by eventId.
// Products and locations named by a stock movement must exist in the
// caller's tenant (InvalidArgument otherwise) — a typo is refused at once,
// not parked later.
//
// Ownership: borrows deps and the catalog reader, which must outlive it.
// Thread-safety: safe for concurrent use.
#ifndef STOCKPILE_DOMAIN_INTEGRATIONS_INTEGRATION_SERVICE_H_
#define STOCKPILE_DOMAIN_INTEGRATIONS_INTEGRATION_SERVICE_H_

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/event.h"
#include "core/result.h"
#include "domain/catalog/catalog_reader.h"
#include "domain/common/command_context.h"
#include "domain/integrations/inbound_event.h"

namespace stockpile::domain::integrations {

inline constexpr std::string_view kIntegrationReceived =
    "integration.event.received";

struct IngestResult {
  std::string event_id;        // the recorded event's id
  std::string event_type;      // the recorded type (see the header comment)
  std::string canonical_type;  // what the sender's type means
  int64_t position = 0;        // of the record on the log
  bool duplicate = false;      // the event had been ingested before
};

class IntegrationService {
 public:
  IntegrationService(const common::DomainDeps& deps,
                     const catalog::CatalogReader& catalog);

  core::Result<IngestResult> Ingest(const common::CommandContext& ctx,
                                    const boost::json::object& body);

 private:
  core::Status CheckReferences(std::string_view tenant,
                               const InboundEvent& in) const;
  core::Event Record(const common::CommandContext& ctx,
                     const InboundEvent& in) const;

  // Immutable after construction.
  const common::DomainDeps deps_;
  const catalog::CatalogReader& catalog_;
};

// The normalised data of an integration.event.received record (its
// payload's "data") and what it means ("canonicalType").
std::string_view RecordedType(const core::Event& record);
const boost::json::object& RecordedData(const core::Event& record);

}  // namespace stockpile::domain::integrations

#endif  // STOCKPILE_DOMAIN_INTEGRATIONS_INTEGRATION_SERVICE_H_
