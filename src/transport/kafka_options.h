// KafkaOptions: how a KafkaTransport reaches and uses a Kafka cluster.
//
//   MakeKafkaTransport({.url = "kafka://k1:9092,k2:9092"});
//
// Thread-safety: a plain value.
#ifndef STOCKPILE_TRANSPORT_KAFKA_OPTIONS_H_
#define STOCKPILE_TRANSPORT_KAFKA_OPTIONS_H_

#include <chrono>
#include <string>

#include "obs/logger.h"

namespace stockpile::transport {

struct KafkaOptions {
  std::string url;  // kafka://host[:port][,host[:port]...] (kafka_url.h)
  std::string client_id = "stockpile";
  // How long Publish waits for the delivery reports of a batch; librdkafka
  // retries (idempotently) within it, across broker outages, then gives up
  // with DeadlineExceeded (librdkafka's message.timeout.ms).
  std::chrono::milliseconds publish_timeout{30000};
  // Bound of one metadata or offset request (DeclareTopology, joining a
  // group); past it the call fails with Unavailable.
  std::chrono::milliseconds request_timeout{10000};
  // A consumer not heard from for this long is dropped from its group and
  // its partitions are rebalanced (Kafka allows 6000..300000).
  std::chrono::milliseconds session_timeout{10000};
  // How soon a consumer of a wildcard pattern sees a newly created topic.
  std::chrono::milliseconds metadata_refresh{10000};
  // Connection losses and recoveries (warn / info), undecodable messages
  // (error), librdkafka's own warnings.
  obs::Logger logger = obs::Logger::Discard();
};

}  // namespace stockpile::transport

#endif  // STOCKPILE_TRANSPORT_KAFKA_OPTIONS_H_
