#include "domain/tenant/tenant_settings_service.h"

#include <mutex>
#include <utility>
#include <vector>

#include "core/status_macros.h"

namespace stockpile::domain::tenant {
namespace {

constexpr std::string_view kSource = "tenant";

}  // namespace

TenantSettingsService::TenantSettingsService(const common::DomainDeps& deps)
    : deps_(deps),
      default_(std::make_shared<const calendar::BusinessCalendar>()),
      repo_(*deps.store, deps.repository) {
  deps_.enricher = this;
}

std::shared_ptr<const calendar::BusinessCalendar>
TenantSettingsService::Calendar(std::string_view tenant) const {
  {
    std::shared_lock lock(mu_);
    auto it = cache_.find(tenant);
    if (it != cache_.end()) return it->second.calendar;
  }
  core::Result<common::Loaded<TenantSettingsState>> loaded =
      repo_.Load(tenant, kTenantSettingsStream);
  if (!loaded.ok()) return default_;
  std::shared_ptr<const calendar::BusinessCalendar> cal = default_;
  if (loaded->state.exists) {
    auto made = calendar::BusinessCalendar::Make(loaded->state.settings);
    if (made.ok()) {
      cal = std::make_shared<const calendar::BusinessCalendar>(
          std::move(made).value());
    }
  }
  Cache(std::string(tenant), loaded->version, cal);
  return cal;
}

void TenantSettingsService::Cache(
    const std::string& tenant, int64_t version,
    std::shared_ptr<const calendar::BusinessCalendar> cal) const {
  std::unique_lock lock(mu_);
  Cached& slot = cache_[tenant];
  if (slot.calendar == nullptr || version > slot.version) {
    slot = Cached{version, std::move(cal)};
  }
}

void TenantSettingsService::Apply(const core::Event& e) const {
  if (e.event_type != kTenantSettingsUpdated) return;
  TenantSettingsState state;
  state.Apply(e);
  if (!state.exists) return;
  auto made = calendar::BusinessCalendar::Make(state.settings);
  if (!made.ok()) return;
  Cache(e.tenant_id, e.stream_version,
        std::make_shared<const calendar::BusinessCalendar>(
            std::move(made).value()));
}

void TenantSettingsService::Enrich(core::Event& e) const {
  e.metadata["businessContext"] =
      Calendar(e.tenant_id)->BusinessContext(e.timestamp_ms);
}

boost::json::object TenantSettingsService::Effective(
    const calendar::BusinessCalendar& cal) const {
  const calendar::CalendarSettings& s = cal.settings();
  const calendar::RegionPack* pack = calendar::FindRegionPack(cal.region());
  std::string currency = s.currency;
  if (currency.empty() && pack != nullptr) currency = pack->currency;
  calendar::CalendarSettings effective = s;
  effective.timezone = cal.time_zone().name();
  effective.business_hours = cal.hours();
  for (int m = 1; m <= 12; ++m) {
    effective.seasonal_factors[m - 1] = cal.MonthFactor(m);
  }
  boost::json::object o = calendar::CalendarSettingsToJson(effective);
  o["region"] = cal.region().empty() ? boost::json::value(nullptr)
                                     : boost::json::value(cal.region());
  o["currency"] = currency.empty() ? boost::json::value(nullptr)
                                   : boost::json::value(currency);
  if (!o.contains("holidays")) o["holidays"] = boost::json::array();
  return o;
}

core::Result<boost::json::object> TenantSettingsService::Get(
    std::string_view tenant) const {
  ASSIGN_OR_RETURN(common::Loaded<TenantSettingsState> loaded,
                   repo_.Load(tenant, kTenantSettingsStream));
  if (!loaded.state.exists) return Effective(*default_);
  ASSIGN_OR_RETURN(calendar::BusinessCalendar cal,
                   calendar::BusinessCalendar::Make(loaded.state.settings));
  return Effective(cal);
}

core::Result<boost::json::object> TenantSettingsService::Update(
    const common::CommandContext& ctx, const boost::json::object& body) {
  ASSIGN_OR_RETURN(calendar::CalendarSettings settings,
                   calendar::ParseCalendarSettings(body));
  ASSIGN_OR_RETURN(calendar::BusinessCalendar made,
                   calendar::BusinessCalendar::Make(settings));
  auto cal =
      std::make_shared<const calendar::BusinessCalendar>(std::move(made));
  ASSIGN_OR_RETURN(
      common::Committed committed,
      repo_.Execute(ctx.tenant, kTenantSettingsStream,
                    [&](const TenantSettingsState& state,
                        int64_t) -> core::Result<std::vector<core::Event>> {
                      std::vector<core::Event> out;
                      if (state.exists && state.settings == settings)
                        return out;
                      out.push_back(common::NewEvent(
                          deps_, ctx, kSource,
                          std::string(kTenantSettingsUpdated), "tenant",
                          ctx.tenant,
                          calendar::CalendarSettingsToJson(settings)));
                      return out;
                    }));
  Cache(ctx.tenant, committed.version, cal);
  return Effective(*cal);
}

}  // namespace stockpile::domain::tenant
