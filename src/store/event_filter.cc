#include "store/event_filter.h"

#include "core/status_macros.h"
#include "store/append_validation.h"

namespace stockpile::store {

core::Result<EventFilter> EventFilter::Make(const ReadFilter& filter) {
  RETURN_IF_ERROR(ValidateReadFilter(filter));
  EventFilter f;
  f.tenant_ = filter.tenant;
  f.all_tenants_ = filter.all_tenants;
  for (const std::string& text : filter.type_patterns) {
    if (text == "#") {
      f.patterns_.clear();
      break;
    }
    ASSIGN_OR_RETURN(core::TopicPattern p, core::TopicPattern::Parse(text));
    f.patterns_.push_back(std::move(p));
  }
  f.all_types_ = f.patterns_.empty();
  return f;
}

bool EventFilter::Matches(std::string_view tenant,
                          std::string_view event_type) const {
  if (!all_tenants_ && tenant != tenant_) return false;
  if (all_types_) return true;
  for (const core::TopicPattern& p : patterns_) {
    if (p.Matches(event_type)) return true;
  }
  return false;
}

}  // namespace stockpile::store
