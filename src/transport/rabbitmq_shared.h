// RabbitMqShared: what the parts of one RabbitMqTransport (its publisher and
// every subscription, each on its own connection and I/O thread) share —
// where the broker is, the names, the topology declared so far (redeclared
// on every new connection) and the connection counters.
//
// Ownership: owned by the RabbitMqTransport; its publisher and subscriptions
// hold a reference and must not outlive it.
// Thread-safety: safe for concurrent use.
#ifndef STOCKPILE_TRANSPORT_RABBITMQ_SHARED_H_
#define STOCKPILE_TRANSPORT_RABBITMQ_SHARED_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "core/result.h"
#include "obs/logger.h"
#include "transport/amqp_connection.h"
#include "transport/amqp_names.h"
#include "transport/reconnect_backoff.h"
#include "transport/transport.h"

namespace stockpile::transport {

class RabbitMqShared {
 public:
  RabbitMqShared(AmqpEndpoint endpoint, std::string prefix,
                 AmqpSettings settings, BackoffOptions backoff,
                 obs::Logger logger)
      : endpoint_(std::move(endpoint)),
        names_(prefix),
        prefix_(std::move(prefix)),
        settings_(settings),
        backoff_(backoff),
        log_(std::move(logger)) {}

  const AmqpNames& names() const { return names_; }
  const obs::Logger& log() const { return log_; }
  const BackoffOptions& backoff() const { return backoff_; }

  // Opens a connection named "<prefix> <role>" (as the broker lists it)
  // and declares the topology known so far.
  core::Result<std::unique_ptr<AmqpConnection>> Connect(
      std::string_view role) const;

  // Declares `topology` on a connection of its own, then remembers it.
  core::Status Declare(const Topology& topology);

  // True when `logical` is a declared queue or the dead-letter queue of one.
  bool HasQueue(std::string_view logical) const;

  std::atomic<uint64_t> reconnects{0};   // new connections after a loss
  std::atomic<uint64_t> returned{0};     // unroutable published events
  std::atomic<uint64_t> undecodable{0};  // consumed bodies dead-lettered

 private:
  Topology Snapshot() const;

  // Immutable after construction.
  const AmqpEndpoint endpoint_;
  const AmqpNames names_;
  const std::string prefix_;
  const AmqpSettings settings_;
  const BackoffOptions backoff_;
  const obs::Logger log_;

  mutable std::mutex mu_;
  Topology topology_;  // GUARDED_BY(mu_); one entry per queue
};

}  // namespace stockpile::transport

#endif  // STOCKPILE_TRANSPORT_RABBITMQ_SHARED_H_
