// KafkaMockCluster: librdkafka's in-process mock Kafka cluster (brokers
// that speak the real protocol on loopback ports), for tests of the Kafka
// transport on machines without a Kafka broker. Not a real broker: no
// disk, no replication, no CreateTopics; topics are auto-created with 4
// partitions unless created here first.
//
//   ASSIGN_OR_RETURN(auto cluster, KafkaMockCluster::Start(1));
//   MakeKafkaTransport({.url = cluster->url()});
//   cluster->SetBrokerDown(1);   // brokers are numbered 1..n
//
// Ownership: clients connected to it must be destroyed first.
// Thread-safety: safe for concurrent use.
#ifndef STOCKPILE_TRANSPORT_KAFKA_MOCK_CLUSTER_H_
#define STOCKPILE_TRANSPORT_KAFKA_MOCK_CLUSTER_H_

#include <memory>
#include <string>

#include "core/result.h"
#include "core/status.h"

namespace stockpile::transport {

class KafkaMockCluster {
 public:
  static core::Result<std::unique_ptr<KafkaMockCluster>> Start(int brokers);
  ~KafkaMockCluster();

  KafkaMockCluster(const KafkaMockCluster&) = delete;
  KafkaMockCluster& operator=(const KafkaMockCluster&) = delete;

  // "kafka://127.0.0.1:<port>,..." of every broker.
  std::string url() const;

  core::Status CreateTopic(const std::string& topic, int partitions);
  // Closes the broker's connections and refuses new ones, or ends that.
  core::Status SetBrokerDown(int broker_id);
  core::Status SetBrokerUp(int broker_id);

 private:
  struct Impl;
  explicit KafkaMockCluster(std::unique_ptr<Impl> impl);

  std::unique_ptr<Impl> impl_;
};

}  // namespace stockpile::transport

#endif  // STOCKPILE_TRANSPORT_KAFKA_MOCK_CLUSTER_H_
