// KafkaClient helpers shared by the producer and the consumers of the Kafka
// adapter: the librdkafka configuration every client starts from, and the
// mapping of librdkafka errors to Status. librdkafka types are only
// forward-declared here; rdkafka.h stays in the adapter's .cc files.
//
//   ASSIGN_OR_RETURN(KafkaConf conf, NewKafkaConf(endpoint, options, this));
//   RETURN_IF_ERROR(SetKafkaConf(conf.get(), "acks", "all"));
//
// Thread-safety: the free functions are thread-safe.
#ifndef STOCKPILE_TRANSPORT_KAFKA_CLIENT_H_
#define STOCKPILE_TRANSPORT_KAFKA_CLIENT_H_

#include <memory>
#include <string_view>

#include "core/result.h"
#include "core/status.h"
#include "obs/logger.h"
#include "transport/kafka_options.h"
#include "transport/kafka_url.h"

struct rd_kafka_conf_s;

namespace stockpile::transport {

// The opaque of every client this adapter creates: librdkafka's log and
// error callbacks land here (on librdkafka's threads or the polling
// thread, so implementations must be thread-safe).
class KafkaClientEvents {
 public:
  explicit KafkaClientEvents(obs::Logger logger) : logger_(std::move(logger)) {}
  virtual ~KafkaClientEvents() = default;

  // librdkafka's errors: `all_brokers_down` when no broker is reachable.
  virtual void OnClientError(bool all_brokers_down, std::string_view reason);

  const obs::Logger& logger() const { return logger_; }

 private:
  const obs::Logger logger_;
};

struct KafkaConfDeleter {
  void operator()(rd_kafka_conf_s* conf) const;
};
using KafkaConf = std::unique_ptr<rd_kafka_conf_s, KafkaConfDeleter>;

// bootstrap.servers, client.id, logs and errors routed to `events` (which
// must outlive the client made from this configuration).
core::Result<KafkaConf> NewKafkaConf(const KafkaEndpoint& endpoint,
                                     const KafkaOptions& options,
                                     KafkaClientEvents* events);

// InvalidArgument naming the property when librdkafka rejects it.
core::Status SetKafkaConf(rd_kafka_conf_s* conf, std::string_view key,
                          std::string_view value);

// A librdkafka error code as a Status, prefixed with `context`.
core::Status KafkaErrorStatus(int err, std::string_view context);

}  // namespace stockpile::transport

#endif  // STOCKPILE_TRANSPORT_KAFKA_CLIENT_H_
