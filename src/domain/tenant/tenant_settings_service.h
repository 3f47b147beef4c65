// TenantSettingsService: each tenant's business calendar — its settings
// (GET/PUT /api/v1/tenant/settings), recorded as tenant.settings.updated
// in the tenant's "tenant-settings" stream — and the enrichment stage that
// stamps every event the domain services build with
// metadata.businessContext computed from that calendar:
//
//   PUT settings -> Update -> tenant.settings.updated -> calendar cache
//   NewEvent -> Enrich -> metadata.businessContext {timezone, localTime,
//               businessHours, region, season, seasonalFactor}
//
// A tenant without settings gets the default calendar (UTC, no region,
// Monday-Friday 09:00-17:00). Calendars are cached per tenant: loaded
// from the store on a tenant's first event, replaced by Update, and by
// Apply for updates made by another process (the app feeds it
// tenant.settings.updated from the log); a newer stream version always
// wins.
//
// Errors: InvalidArgument naming the field (Update).
//
// Ownership: borrows DomainDeps. Thread-safety: safe for concurrent use.
#ifndef STOCKPILE_DOMAIN_TENANT_TENANT_SETTINGS_SERVICE_H_
#define STOCKPILE_DOMAIN_TENANT_TENANT_SETTINGS_SERVICE_H_

#include <boost/json/object.hpp>
#include <cstdint>
#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>

#include "core/event.h"
#include "core/result.h"
#include "domain/calendar/business_calendar.h"
#include "domain/common/aggregate_repository.h"
#include "domain/common/command_context.h"
#include "domain/common/event_enricher.h"
#include "domain/tenant/tenant_settings_state.h"

namespace stockpile::domain::tenant {

class TenantSettingsService final : public common::EventEnricher {
 public:
  // Its own tenant.settings.updated events are enriched too.
  explicit TenantSettingsService(const common::DomainDeps& deps);

  // The tenant's effective settings: {timezone, region, currency,
  // businessHours, holidays, seasonalFactors (all 12 months)} — what is
  // unset comes from the region pack or the defaults.
  core::Result<boost::json::object> Get(std::string_view tenant) const;

  // Replaces the tenant's settings with `body` (validated field by field)
  // and answers as Get. Settings equal to the current ones append nothing.
  core::Result<boost::json::object> Update(const common::CommandContext& ctx,
                                           const boost::json::object& body);

  // The tenant's calendar (the default one when it has none, or when the
  // store cannot be read — then it is not cached).
  std::shared_ptr<const calendar::BusinessCalendar> Calendar(
      std::string_view tenant) const;

  // Caches the calendar of a tenant.settings.updated read from the log.
  void Apply(const core::Event& e) const;

  // metadata.businessContext from the event's tenant calendar.
  void Enrich(core::Event& e) const override;

 private:
  struct Cached {
    int64_t version = 0;
    std::shared_ptr<const calendar::BusinessCalendar> calendar;
  };

  void Cache(const std::string& tenant, int64_t version,
             std::shared_ptr<const calendar::BusinessCalendar> cal) const;
  boost::json::object Effective(const calendar::BusinessCalendar& cal) const;

  // Immutable after construction.
  common::DomainDeps deps_;
  const std::shared_ptr<const calendar::BusinessCalendar> default_;
  common::AggregateRepository<TenantSettingsState> repo_;

  mutable std::shared_mutex mu_;
  mutable std::map<std::string, Cached, std::less<>> cache_;  // GUARDED_BY(mu_)
};

}  // namespace stockpile::domain::tenant

#endif  // STOCKPILE_DOMAIN_TENANT_TENANT_SETTINGS_SERVICE_H_
