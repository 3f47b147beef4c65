#include "transport/kafka_producer.h"

#include <librdkafka/rdkafka.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <utility>

#include "core/status_macros.h"
#include "transport/kafka_client.h"

namespace stockpile::transport {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// Headroom past librdkafka's own message.timeout.ms before Send stops
// waiting for a report librdkafka should have given by then.
constexpr milliseconds kReportMargin{5000};
// How often the poller asks a cluster it is not connected to for metadata.
constexpr milliseconds kProbeInterval{500};

// The delivery reports one Send waits for.
struct Batch {
  std::mutex mu;
  std::condition_variable cv;
  size_t remaining = 0;                   // guarded by mu
  std::vector<rd_kafka_resp_err_t> errs;  // guarded by mu
  std::vector<bool> reported;             // guarded by mu
};

// The opaque of one message: librdkafka owns it until its delivery report.
struct Ticket {
  std::shared_ptr<Batch> batch;
  size_t index;
};

}  // namespace

struct KafkaProducer::Impl final : KafkaClientEvents {
  explicit Impl(const KafkaOptions& opts)
      : KafkaClientEvents(opts.logger.Named("kafka.producer")), options(opts) {}

  ~Impl() override {
    stop.store(true);
    if (poller.joinable()) poller.join();
    if (rk != nullptr) {
      rd_kafka_purge(rk, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
      rd_kafka_flush(rk, 1000);  // serves the purged reports (tickets)
      rd_kafka_destroy(rk);
    }
  }

  void OnClientError(bool all_brokers_down, std::string_view reason) override {
    if (!all_brokers_down) {
      KafkaClientEvents::OnClientError(false, reason);
      return;
    }
    ConnectionState expected = ConnectionState::kConnected;
    if (state.compare_exchange_strong(expected,
                                      ConnectionState::kReconnecting)) {
      logger().Warn("Kafka connection lost", {{"reason", reason}});
    }
  }

  void MarkConnected() {
    ConnectionState s = state.load();
    while (s != ConnectionState::kConnected && s != ConnectionState::kClosed) {
      if (state.compare_exchange_weak(s, ConnectionState::kConnected)) {
        if (s == ConnectionState::kReconnecting) {
          reconnects.fetch_add(1);
          logger().Info("Kafka connection recovered");
        }
        return;
      }
    }
  }

  static void OnDelivery(rd_kafka_t* handle, const rd_kafka_message_t* m,
                         void* opaque) {
    (void)handle;
    auto* self = static_cast<Impl*>(static_cast<KafkaClientEvents*>(opaque));
    auto* ticket = static_cast<Ticket*>(m->_private);
    self->in_flight.fetch_sub(1);
    if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR) self->MarkConnected();
    {
      std::lock_guard lock(ticket->batch->mu);
      ticket->batch->errs[ticket->index] = m->err;
      ticket->batch->reported[ticket->index] = true;
      --ticket->batch->remaining;
    }
    ticket->batch->cv.notify_all();
    delete ticket;
  }

  // Serves callbacks; while not connected, probes the cluster.
  void Poll() {
    auto next_probe = Clock::now();
    while (!stop.load()) {
      rd_kafka_poll(rk, 100);
      if (state.load() == ConnectionState::kConnected ||
          Clock::now() < next_probe) {
        continue;
      }
      const struct rd_kafka_metadata* md = nullptr;
      if (rd_kafka_metadata(rk, 0, nullptr, &md, 1000) ==
          RD_KAFKA_RESP_ERR_NO_ERROR) {
        rd_kafka_metadata_destroy(md);
        MarkConnected();
      }
      next_probe = Clock::now() + kProbeInterval;
    }
  }

  // Enqueues record `i` of `batch`; librdkafka owns the ticket on success.
  rd_kafka_resp_err_t Produce(const KafkaRecord& r,
                              const std::shared_ptr<Batch>& batch, size_t i,
                              Clock::time_point deadline) {
    while (true) {
      rd_kafka_headers_t* headers = rd_kafka_headers_new(r.headers.size());
      for (const KafkaHeader& h : r.headers) {
        rd_kafka_header_add(headers, h.key.data(),
                            static_cast<ssize_t>(h.key.size()), h.value.data(),
                            static_cast<ssize_t>(h.value.size()));
      }
      auto* ticket = new Ticket{batch, i};
      rd_kafka_vu_t vus[6] = {};
      vus[0].vtype = RD_KAFKA_VTYPE_TOPIC;
      vus[0].u.cstr = r.topic.c_str();
      vus[1].vtype = RD_KAFKA_VTYPE_KEY;
      vus[1].u.mem = {const_cast<char*>(r.key.data()), r.key.size()};
      vus[2].vtype = RD_KAFKA_VTYPE_VALUE;
      vus[2].u.mem = {const_cast<char*>(r.value.data()), r.value.size()};
      vus[3].vtype = RD_KAFKA_VTYPE_MSGFLAGS;
      vus[3].u.i = RD_KAFKA_MSG_F_COPY;
      vus[4].vtype = RD_KAFKA_VTYPE_HEADERS;
      vus[4].u.headers = headers;
      vus[5].vtype = RD_KAFKA_VTYPE_OPAQUE;
      vus[5].u.ptr = ticket;
      rd_kafka_error_t* error = rd_kafka_produceva(rk, vus, 6);
      rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR_NO_ERROR;
      if (error != nullptr) {
        err = rd_kafka_error_code(error);
        rd_kafka_error_destroy(error);
      }
      if (err == RD_KAFKA_RESP_ERR_NO_ERROR) {
        in_flight.fetch_add(1);
        return err;
      }
      delete ticket;
      rd_kafka_headers_destroy(headers);
      if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL || Clock::now() >= deadline) {
        return err;
      }
      std::this_thread::sleep_for(milliseconds(5));  // the poller drains it
    }
  }

  // Immutable after construction.
  const KafkaOptions options;
  rd_kafka_t* rk = nullptr;  // owned
  std::thread poller;

  std::atomic<bool> stop{false};
  std::atomic<ConnectionState> state{ConnectionState::kConnecting};
  std::atomic<uint64_t> reconnects{0};
  std::atomic<uint64_t> in_flight{0};
};

KafkaProducer::KafkaProducer(std::unique_ptr<Impl> impl)
    : impl_(std::move(impl)) {}

KafkaProducer::~KafkaProducer() = default;

core::Result<std::unique_ptr<KafkaProducer>> KafkaProducer::Open(
    const KafkaEndpoint& endpoint, const KafkaOptions& options) {
  auto impl = std::make_unique<Impl>(options);
  ASSIGN_OR_RETURN(KafkaConf conf, NewKafkaConf(endpoint, options, impl.get()));
  RETURN_IF_ERROR(SetKafkaConf(conf.get(), "enable.idempotence", "true"));
  RETURN_IF_ERROR(SetKafkaConf(conf.get(), "acks", "all"));
  RETURN_IF_ERROR(SetKafkaConf(conf.get(), "linger.ms", "2"));
  RETURN_IF_ERROR(SetKafkaConf(
      conf.get(), "message.timeout.ms",
      std::to_string(std::max<int64_t>(1, options.publish_timeout.count()))));
  rd_kafka_conf_set_dr_msg_cb(conf.get(), &Impl::OnDelivery);
  char err[512];
  impl->rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf.get(), err, sizeof err);
  if (impl->rk == nullptr) {
    return core::InvalidArgumentError(std::string("Kafka producer: ") + err);
  }
  (void)conf.release();  // rd_kafka_new took it
  Impl* raw = impl.get();
  impl->poller = std::thread([raw] { raw->Poll(); });
  return std::unique_ptr<KafkaProducer>(new KafkaProducer(std::move(impl)));
}

std::vector<core::Status> KafkaProducer::Send(
    std::span<const KafkaRecord> records) {
  std::vector<core::Status> out(records.size());
  if (records.empty()) return out;
  auto batch = std::make_shared<Batch>();
  batch->remaining = records.size();
  batch->errs.assign(records.size(), RD_KAFKA_RESP_ERR_NO_ERROR);
  batch->reported.assign(records.size(), false);
  auto deadline = Clock::now() + impl_->options.publish_timeout + kReportMargin;
  for (size_t i = 0; i < records.size(); ++i) {
    rd_kafka_resp_err_t err = impl_->Produce(records[i], batch, i, deadline);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      std::lock_guard lock(batch->mu);
      batch->errs[i] = err;
      batch->reported[i] = true;
      --batch->remaining;
    }
  }
  std::unique_lock lock(batch->mu);
  // On timeout, tickets still held by librdkafka keep `batch` alive; their
  // reports land there unread.
  batch->cv.wait_until(lock, deadline, [&] { return batch->remaining == 0; });
  for (size_t i = 0; i < records.size(); ++i) {
    if (batch->reported[i]) {
      out[i] = KafkaErrorStatus(batch->errs[i],
                                "event to topic " + records[i].topic);
    } else {
      out[i] = core::DeadlineExceededError(
          "no delivery report for the event to topic " + records[i].topic +
          " within " +
          std::to_string(
              (impl_->options.publish_timeout + kReportMargin).count()) +
          " ms");
    }
  }
  return out;
}

core::Status KafkaProducer::EnsureTopics(std::span<const std::string> topics) {
  for (const std::string& topic : topics) {
    rd_kafka_topic_t* rkt =
        rd_kafka_topic_new(impl_->rk, topic.c_str(), nullptr);
    if (rkt == nullptr) {
      return KafkaErrorStatus(rd_kafka_last_error(), "topic " + topic);
    }
    auto deadline = Clock::now() + impl_->options.request_timeout;
    core::Status status;
    while (true) {
      const struct rd_kafka_metadata* md = nullptr;
      auto left =
          std::chrono::duration_cast<milliseconds>(deadline - Clock::now());
      rd_kafka_resp_err_t err = rd_kafka_metadata(
          impl_->rk, 0, rkt, &md,
          static_cast<int>(std::max<int64_t>(1, left.count())));
      if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
        status = core::UnavailableError(
            std::string("no Kafka broker answered for topic ") + topic + ": " +
            rd_kafka_err2str(err));
        break;
      }
      rd_kafka_resp_err_t topic_err =
          md->topic_cnt == 1 ? md->topics[0].err
                             : RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART;
      rd_kafka_metadata_destroy(md);
      impl_->MarkConnected();
      if (topic_err == RD_KAFKA_RESP_ERR_NO_ERROR) break;
      if (Clock::now() >= deadline) {
        std::string message = "Kafka topic " + topic;
        message += " does not exist and the cluster did not create it (";
        message += rd_kafka_err2str(topic_err);
        message += "): create it, e.g. kafka-topics.sh --create --topic ";
        message += topic;
        status = core::FailedPreconditionError(message);
        break;
      }
      std::this_thread::sleep_for(milliseconds(50));  // being created
    }
    rd_kafka_topic_destroy(rkt);
    RETURN_IF_ERROR(status);
  }
  return core::Status::Ok();
}

ConnectionState KafkaProducer::state() const { return impl_->state.load(); }
uint64_t KafkaProducer::reconnects() const { return impl_->reconnects.load(); }
uint64_t KafkaProducer::in_flight() const { return impl_->in_flight.load(); }

}  // namespace stockpile::transport
