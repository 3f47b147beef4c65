#include "runtime/saga_store.h"

#include <string>

namespace stockpile::runtime {
namespace {

std::string Describe(const SagaId& id) {
  return "saga '" + id.saga + "' instance '" + id.key + "' of tenant '" +
         id.tenant + "'";
}

}  // namespace

core::Status SagaNotFound(const SagaId& id) {
  return core::NotFoundError("no " + Describe(id));
}

core::Status SagaConflict(const SagaId& id, int64_t expected, int64_t stored) {
  return core::ConflictError(Describe(id) + " is at version " +
                             std::to_string(stored) + ", expected " +
                             std::to_string(expected));
}

}  // namespace stockpile::runtime
