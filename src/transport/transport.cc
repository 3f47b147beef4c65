#include "transport/transport.h"

#include <string>

#include "core/topic_pattern.h"

namespace stockpile::transport {

std::string_view ConnectionStateName(ConnectionState state) {
  switch (state) {
    case ConnectionState::kConnecting:
      return "connecting";
    case ConnectionState::kConnected:
      return "connected";
    case ConnectionState::kReconnecting:
      return "reconnecting";
    case ConnectionState::kClosed:
      return "closed";
  }
  return "unknown";
}

std::string DeadLetterQueue(std::string_view queue) {
  std::string name(queue);
  name += ".dlq";
  return name;
}

bool IsDeadLetterQueue(std::string_view queue) {
  return queue == "dlq" || queue.ends_with(".dlq");
}

core::Status ValidateQueueName(std::string_view name) {
  // Same alphabet as a routing key, and no wildcard words.
  core::Status s = core::ValidateRoutingKey(name);
  if (!s.ok()) return s.WithContext("queue name");
  if (IsDeadLetterQueue(name)) {
    return core::InvalidArgumentError("queue name '" + std::string(name) +
                                      "': the last word 'dlq' is reserved "
                                      "for dead-letter queues");
  }
  return core::Status::Ok();
}

}  // namespace stockpile::transport
