#include "domain/tenant/tenant_settings_state.h"

namespace stockpile::domain::tenant {

void TenantSettingsState::Apply(const core::Event& e) {
  if (e.event_type != kTenantSettingsUpdated) return;
  core::Result<calendar::CalendarSettings> parsed =
      calendar::ParseCalendarSettings(e.payload);
  if (!parsed.ok()) return;
  exists = true;
  settings = std::move(parsed).value();
}

boost::json::object TenantSettingsState::ToSnapshot() const {
  return {{"exists", exists},
          {"settings", calendar::CalendarSettingsToJson(settings)}};
}

core::Result<TenantSettingsState> TenantSettingsState::FromSnapshot(
    const boost::json::object& o) {
  TenantSettingsState s;
  const boost::json::value* settings = o.if_contains("settings");
  if (settings == nullptr || !settings->is_object()) {
    return core::InvalidArgumentError("tenant settings snapshot: no settings");
  }
  auto parsed = calendar::ParseCalendarSettings(settings->get_object());
  if (!parsed.ok()) return parsed.status();
  s.settings = std::move(parsed).value();
  const boost::json::value* exists = o.if_contains("exists");
  s.exists = exists != nullptr && exists->is_bool() && exists->get_bool();
  return s;
}

}  // namespace stockpile::domain::tenant
