#include "bus/handler_scope.h"

namespace stockpile::bus::internal {

constinit thread_local int t_handler_depth = 0;

}  // namespace stockpile::bus::internal
