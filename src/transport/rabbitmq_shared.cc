#include "transport/rabbitmq_shared.h"

#include <algorithm>
#include <string>
#include <utility>

#include "core/status_macros.h"

namespace stockpile::transport {

Topology RabbitMqShared::Snapshot() const {
  std::lock_guard lock(mu_);
  return topology_;
}

core::Result<std::unique_ptr<AmqpConnection>> RabbitMqShared::Connect(
    std::string_view role) const {
  ASSIGN_OR_RETURN(std::unique_ptr<AmqpConnection> conn,
                   AmqpConnection::Open(endpoint_, settings_,
                                        prefix_ + " " + std::string(role)));
  RETURN_IF_ERROR(conn->Declare(names_, Snapshot()));
  return conn;
}

core::Status RabbitMqShared::Declare(const Topology& topology) {
  // I/O outside the lock; then merge into what later connections redeclare.
  ASSIGN_OR_RETURN(
      std::unique_ptr<AmqpConnection> conn,
      AmqpConnection::Open(endpoint_, settings_, prefix_ + " declare"));
  RETURN_IF_ERROR(conn->Declare(names_, topology));
  std::lock_guard lock(mu_);
  for (const QueueSpec& spec : topology.queues) {
    auto it =
        std::find_if(topology_.queues.begin(), topology_.queues.end(),
                     [&](const QueueSpec& q) { return q.name == spec.name; });
    if (it == topology_.queues.end()) {
      topology_.queues.push_back(spec);
      continue;
    }
    for (const std::string& b : spec.bindings) {
      if (std::find(it->bindings.begin(), it->bindings.end(), b) ==
          it->bindings.end()) {
        it->bindings.push_back(b);
      }
    }
  }
  return core::Status::Ok();
}

bool RabbitMqShared::HasQueue(std::string_view logical) const {
  std::lock_guard lock(mu_);
  return std::any_of(topology_.queues.begin(), topology_.queues.end(),
                     [&](const QueueSpec& q) {
                       return q.name == logical ||
                              DeadLetterQueue(q.name) == logical;
                     });
}

}  // namespace stockpile::transport
