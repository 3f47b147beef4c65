#include "transport/kafka_mock_cluster.h"

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <string>
#include <utility>

#include "transport/kafka_client.h"

namespace stockpile::transport {

struct KafkaMockCluster::Impl {
  ~Impl() {
    if (cluster != nullptr) rd_kafka_mock_cluster_destroy(cluster);
    if (host != nullptr) rd_kafka_destroy(host);
  }

  rd_kafka_t* host = nullptr;  // the client the mock cluster lives in
  rd_kafka_mock_cluster_t* cluster = nullptr;
};

KafkaMockCluster::KafkaMockCluster(std::unique_ptr<Impl> impl)
    : impl_(std::move(impl)) {}

KafkaMockCluster::~KafkaMockCluster() = default;

core::Result<std::unique_ptr<KafkaMockCluster>> KafkaMockCluster::Start(
    int brokers) {
  if (brokers < 1) return core::InvalidArgumentError("brokers must be >= 1");
  auto impl = std::make_unique<Impl>();
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  char err[512];
  // Its own log lines (e.g. "mock cluster enabled") are not wanted.
  rd_kafka_conf_set(conf, "log_level", "0", err, sizeof err);
  impl->host = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
  if (impl->host == nullptr) {
    rd_kafka_conf_destroy(conf);
    return core::InternalError(std::string("mock cluster host: ") + err);
  }
  impl->cluster = rd_kafka_mock_cluster_new(impl->host, brokers);
  if (impl->cluster == nullptr) {
    return core::InternalError("rd_kafka_mock_cluster_new failed");
  }
  return std::unique_ptr<KafkaMockCluster>(
      new KafkaMockCluster(std::move(impl)));
}

std::string KafkaMockCluster::url() const {
  return std::string("kafka://") +
         rd_kafka_mock_cluster_bootstraps(impl_->cluster);
}

core::Status KafkaMockCluster::CreateTopic(const std::string& topic,
                                           int partitions) {
  return KafkaErrorStatus(
      rd_kafka_mock_topic_create(impl_->cluster, topic.c_str(), partitions, 1),
      "creating mock topic " + topic);
}

core::Status KafkaMockCluster::SetBrokerDown(int broker_id) {
  return KafkaErrorStatus(
      rd_kafka_mock_broker_set_down(impl_->cluster, broker_id),
      "mock broker down");
}

core::Status KafkaMockCluster::SetBrokerUp(int broker_id) {
  return KafkaErrorStatus(
      rd_kafka_mock_broker_set_up(impl_->cluster, broker_id), "mock broker up");
}

}  // namespace stockpile::transport
