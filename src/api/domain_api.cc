#include "api/domain_api.h"

namespace stockpile::api {

domain::common::CommandContext CommandContextOf(const Request& request) {
  const Principal& who = request.caller();
  return domain::common::CommandContext{
      .tenant = who.tenant,
      .user_id = who.subject,
      .correlation_id = request.correlation_id};
}

}  // namespace stockpile::api
