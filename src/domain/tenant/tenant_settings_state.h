// TenantSettingsState: a tenant's calendar settings (stream
// "tenant-settings" of the tenant), folded from tenant.settings.updated,
// whose payload is the settings as written (calendar_settings.h).
//
// Thread-safety: a plain value.
#ifndef STOCKPILE_DOMAIN_TENANT_TENANT_SETTINGS_STATE_H_
#define STOCKPILE_DOMAIN_TENANT_TENANT_SETTINGS_STATE_H_

#include <boost/json/object.hpp>
#include <string_view>

#include "core/event.h"
#include "core/result.h"
#include "domain/calendar/calendar_settings.h"

namespace stockpile::domain::tenant {

inline constexpr std::string_view kTenantSettingsUpdated =
    "tenant.settings.updated";
inline constexpr std::string_view kTenantSettingsStream = "tenant-settings";

struct TenantSettingsState {
  static constexpr int kSnapshotSchema = 1;

  bool exists = false;
  calendar::CalendarSettings settings;

  // A payload that no longer parses (e.g. a zone removed from the tz
  // database) leaves the previous settings in place.
  void Apply(const core::Event& e);
  boost::json::object ToSnapshot() const;
  static core::Result<TenantSettingsState> FromSnapshot(
      const boost::json::object& o);
};

}  // namespace stockpile::domain::tenant

#endif  // STOCKPILE_DOMAIN_TENANT_TENANT_SETTINGS_STATE_H_
