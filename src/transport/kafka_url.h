// ParseKafkaUrl: the --transport URL of the Kafka backend,
//
//   kafka://host[:port][,host[:port]...]      (port defaults to 9092)
//
//   ASSIGN_OR_RETURN(KafkaEndpoint e, ParseKafkaUrl("kafka://k1:9092,k2"));
//   e.bootstrap_servers()   // "k1:9092,k2:9092"
//
// The brokers listed are only the bootstrap list: the client learns the
// rest of the cluster from them. Credentials, a path or a query are not
// accepted (InvalidArgument says so) rather than silently ignored.
//
// Thread-safety: a pure function; KafkaEndpoint is an immutable value.
#ifndef STOCKPILE_TRANSPORT_KAFKA_URL_H_
#define STOCKPILE_TRANSPORT_KAFKA_URL_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace stockpile::transport {

inline constexpr uint16_t kKafkaDefaultPort = 9092;

struct KafkaBroker {
  std::string host;  // name, IPv4, or IPv6 without brackets
  uint16_t port = kKafkaDefaultPort;
};

struct KafkaEndpoint {
  std::vector<KafkaBroker> brokers;  // at least one

  // librdkafka's bootstrap.servers: "host:port,host:port" (IPv6 in []).
  std::string bootstrap_servers() const;
};

// InvalidArgument naming what is wrong (scheme, empty host, bad port, ...).
core::Result<KafkaEndpoint> ParseKafkaUrl(std::string_view url);

}  // namespace stockpile::transport

#endif  // STOCKPILE_TRANSPORT_KAFKA_URL_H_
