#include "transport/kafka_client.h"

#include <librdkafka/rdkafka.h>

#include <string>

namespace stockpile::transport {
namespace {

void OnLog(const rd_kafka_t* rk, int level, const char* facility,
           const char* message) {
  auto* events = static_cast<KafkaClientEvents*>(rd_kafka_opaque(rk));
  if (events == nullptr) return;
  // syslog levels: <= 3 error, 4 warning, 5-6 notice/info, 7 debug.
  obs::LogLevel ours = level <= 3   ? obs::LogLevel::kError
                       : level == 4 ? obs::LogLevel::kWarn
                       : level <= 6 ? obs::LogLevel::kDebug
                                    : obs::LogLevel::kTrace;
  if (!events->logger().Enabled(ours)) return;
  events->logger().Log(ours, "librdkafka",
                       {{"facility", facility}, {"message", message}});
}

void OnError(rd_kafka_t* rk, int err, const char* reason, void* opaque) {
  (void)rk;
  auto* events = static_cast<KafkaClientEvents*>(opaque);
  if (events == nullptr) return;
  events->OnClientError(err == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN, reason);
}

}  // namespace

void KafkaClientEvents::OnClientError(bool all_brokers_down,
                                      std::string_view reason) {
  (void)all_brokers_down;
  logger_.Warn("Kafka client error", {{"reason", reason}});
}

void KafkaConfDeleter::operator()(rd_kafka_conf_s* conf) const {
  rd_kafka_conf_destroy(conf);
}

core::Status SetKafkaConf(rd_kafka_conf_s* conf, std::string_view key,
                          std::string_view value) {
  char err[512];
  std::string k(key);
  std::string v(value);
  if (rd_kafka_conf_set(conf, k.c_str(), v.c_str(), err, sizeof err) !=
      RD_KAFKA_CONF_OK) {
    return core::InvalidArgumentError("Kafka setting " + k + "=" + v + ": " +
                                      err);
  }
  return core::Status::Ok();
}

core::Result<KafkaConf> NewKafkaConf(const KafkaEndpoint& endpoint,
                                     const KafkaOptions& options,
                                     KafkaClientEvents* events) {
  KafkaConf conf(rd_kafka_conf_new());
  core::Status s = SetKafkaConf(conf.get(), "bootstrap.servers",
                                endpoint.bootstrap_servers());
  if (s.ok()) s = SetKafkaConf(conf.get(), "client.id", options.client_id);
  if (s.ok()) {
    s = SetKafkaConf(conf.get(), "socket.timeout.ms",
                     std::to_string(options.request_timeout.count()));
  }
  if (!s.ok()) return s;
  rd_kafka_conf_set_opaque(conf.get(), events);
  rd_kafka_conf_set_log_cb(conf.get(), OnLog);
  rd_kafka_conf_set_error_cb(conf.get(), OnError);
  return conf;
}

core::Status KafkaErrorStatus(int err, std::string_view context) {
  auto code = static_cast<rd_kafka_resp_err_t>(err);
  std::string message = std::string(context) + ": " + rd_kafka_err2str(code);
  switch (code) {
    case RD_KAFKA_RESP_ERR_NO_ERROR:
      return core::Status::Ok();
    case RD_KAFKA_RESP_ERR__MSG_TIMED_OUT:
    case RD_KAFKA_RESP_ERR__TIMED_OUT:
    case RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT:
      return core::DeadlineExceededError(message);
    case RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE:
    case RD_KAFKA_RESP_ERR__INVALID_ARG:
    case RD_KAFKA_RESP_ERR_TOPIC_EXCEPTION:
      return core::InvalidArgumentError(message);
    case RD_KAFKA_RESP_ERR__PURGE_QUEUE:
    case RD_KAFKA_RESP_ERR__PURGE_INFLIGHT:
    case RD_KAFKA_RESP_ERR__DESTROY:
      return core::CancelledError(message);
    case RD_KAFKA_RESP_ERR__FATAL:
    case RD_KAFKA_RESP_ERR__STATE:
      return core::InternalError(message);
    default:
      return core::UnavailableError(message);
  }
}

}  // namespace stockpile::transport
