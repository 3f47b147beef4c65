// AmqpNames: the RabbitMQ names of Stockpile's topology, all under one
// prefix ("stockpile" in production; tests use a unique prefix each so they
// can share a broker):
//
//   <prefix>.events        durable topic exchange every event is published to
//   <prefix>.dlx           durable direct exchange of dead letters
//   <prefix>.<queue>       durable queue of a service, dead-lettering to
//                          <prefix>.dlx with routing key <queue>
//   <prefix>.<queue>.dlq   its dead-letter queue, bound to <prefix>.dlx
//
// Thread-safety: immutable value.
#ifndef STOCKPILE_TRANSPORT_AMQP_NAMES_H_
#define STOCKPILE_TRANSPORT_AMQP_NAMES_H_

#include <string>
#include <string_view>
#include <utility>

namespace stockpile::transport {

class AmqpNames {
 public:
  explicit AmqpNames(std::string prefix) : prefix_(std::move(prefix)) {}

  std::string events_exchange() const { return prefix_ + ".events"; }
  std::string dead_letter_exchange() const { return prefix_ + ".dlx"; }
  // `logical` is a transport queue name ("orders", or "orders.dlq").
  std::string Queue(std::string_view logical) const {
    return prefix_ + "." + std::string(logical);
  }

 private:
  std::string prefix_;
};

}  // namespace stockpile::transport

#endif  // STOCKPILE_TRANSPORT_AMQP_NAMES_H_
