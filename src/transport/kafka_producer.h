// KafkaProducer: the one idempotent producer (enable.idempotence=true,
// acks=all) of a KafkaTransport, used by Publish and by subscriptions that
// dead-letter. Send returns only when the cluster has acknowledged every
// record (written to all in-sync replicas) or reported why not.
//
//   std::vector<core::Status> r = producer->Send(records);  // one per record
//
// A background thread serves librdkafka's callbacks (delivery reports,
// errors) and tracks the connection state: "connected" once a broker
// answers, "reconnecting" when librdkafka reports all brokers down, and
// "connected" again (one more reconnect) when one answers again.
//
// Ownership: owns its librdkafka handle and thread.
// Thread-safety: safe for concurrent use.
#ifndef STOCKPILE_TRANSPORT_KAFKA_PRODUCER_H_
#define STOCKPILE_TRANSPORT_KAFKA_PRODUCER_H_

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/result.h"
#include "core/status.h"
#include "transport/kafka_options.h"
#include "transport/kafka_url.h"
#include "transport/transport.h"

namespace stockpile::transport {

struct KafkaHeader {
  std::string key;
  std::string value;
};

struct KafkaRecord {
  std::string topic;
  std::string key;  // partitioning: one key stays in one partition, in order
  std::string value;
  std::vector<KafkaHeader> headers;
};

class KafkaProducer {
 public:
  // InvalidArgument when librdkafka rejects the configuration. Does not
  // wait for the cluster.
  static core::Result<std::unique_ptr<KafkaProducer>> Open(
      const KafkaEndpoint& endpoint, const KafkaOptions& options);
  // Unsent records fail with Cancelled (their Send returns).
  ~KafkaProducer();

  KafkaProducer(const KafkaProducer&) = delete;
  KafkaProducer& operator=(const KafkaProducer&) = delete;

  // One Status per record: ok once acknowledged; DeadlineExceeded when not
  // acknowledged within options.publish_timeout (the cluster may still
  // have it: publishing again is safe, consumers dedupe by eventId);
  // InvalidArgument (too large), Unavailable or Internal otherwise.
  std::vector<core::Status> Send(std::span<const KafkaRecord> records);

  // Asks the cluster for these topics, which creates them where the
  // cluster auto-creates topics. Unavailable when no broker answers within
  // options.request_timeout; FailedPrecondition naming the topic when it
  // does not exist and was not created.
  core::Status EnsureTopics(std::span<const std::string> topics);

  ConnectionState state() const;
  uint64_t reconnects() const;
  uint64_t in_flight() const;  // sent, delivery report not yet received

 private:
  struct Impl;
  explicit KafkaProducer(std::unique_ptr<Impl> impl);

  std::unique_ptr<Impl> impl_;
};

}  // namespace stockpile::transport

#endif  // STOCKPILE_TRANSPORT_KAFKA_PRODUCER_H_
