// EventFilter: a ReadFilter compiled for matching (parsed topic patterns),
// shared by the backends' ReadAll and subscriptions.
//
// Thread-safety: immutable after Make(); share freely.
#ifndef STOCKPILE_STORE_EVENT_FILTER_H_
#define STOCKPILE_STORE_EVENT_FILTER_H_

#include <string>
#include <string_view>
#include <vector>

#include "core/event.h"
#include "core/result.h"
#include "core/topic_pattern.h"
#include "store/store_types.h"

namespace stockpile::store {

class EventFilter {
 public:
  // InvalidArgument for a bad pattern or a missing tenant
  // (ValidateReadFilter).
  static core::Result<EventFilter> Make(const ReadFilter& filter);

  bool Matches(const core::Event& event) const {
    return Matches(event.tenant_id, event.event_type);
  }
  // The same from the two fields it looks at (lets a backend skip decoding
  // rows that do not match).
  bool Matches(std::string_view tenant, std::string_view event_type) const;
  // True when every event type passes (no pattern, or a "#" pattern).
  bool all_types() const { return all_types_; }
  bool all_tenants() const { return all_tenants_; }
  const std::string& tenant() const { return tenant_; }

 private:
  EventFilter() = default;

  std::vector<core::TopicPattern> patterns_;
  std::string tenant_;
  bool all_tenants_ = false;
  bool all_types_ = true;
};

}  // namespace stockpile::store

#endif  // STOCKPILE_STORE_EVENT_FILTER_H_
