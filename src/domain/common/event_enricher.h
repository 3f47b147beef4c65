// EventEnricher: a stage every event built by the domain services passes
// through (NewEvent, command_context.h) before it is appended: it may add
// metadata, never change the envelope's other fields.
//
//   command -> decide -> NewEvent -> EventEnricher::Enrich -> Append
//
// The one enricher today is the tenant's business calendar
// (tenant/tenant_settings_service.h: metadata.businessContext); several
// are combined with EnricherChain.
//
// Thread-safety: Enrich is called from any command thread at once; an
// implementation must be safe for concurrent use.
#ifndef STOCKPILE_DOMAIN_COMMON_EVENT_ENRICHER_H_
#define STOCKPILE_DOMAIN_COMMON_EVENT_ENRICHER_H_

#include <vector>

#include "core/event.h"

namespace stockpile::domain::common {

class EventEnricher {
 public:
  virtual ~EventEnricher() = default;
  // Adds metadata to `event` (tenant, type, timestamp and payload are set).
  // It must not fail a command: what it cannot compute it leaves out.
  virtual void Enrich(core::Event& event) const = 0;
};

// Runs enrichers in order. Borrows them; they must outlive the chain.
class EnricherChain final : public EventEnricher {
 public:
  explicit EnricherChain(std::vector<const EventEnricher*> stages)
      : stages_(std::move(stages)) {}
  void Enrich(core::Event& event) const override {
    for (const EventEnricher* s : stages_) s->Enrich(event);
  }

 private:
  const std::vector<const EventEnricher*> stages_;
};

}  // namespace stockpile::domain::common

#endif  // STOCKPILE_DOMAIN_COMMON_EVENT_ENRICHER_H_
