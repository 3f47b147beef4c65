#include "transport/kafka_subscription.h"

#include <librdkafka/rdkafka.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <utility>

#include "core/event_codec.h"
#include "core/status_macros.h"
#include "transport/kafka_client.h"

namespace stockpile::transport {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

using PartitionKey = std::pair<std::string, int32_t>;  // topic, partition

struct PartitionState {
  std::set<int64_t> pending;         // handed out or requeued, not settled
  int64_t next = -1;                 // after the highest offset read; -1: none
  int64_t delivered = -1;            // highest offset the group handed out
  int64_t committed = -1;            // last offset committed by this consumer
  int64_t committed_delivered = -1;  // `delivered` of that commit
};

// One delivery: what Ack needs, and what a dead letter copies.
struct Entry {
  PartitionKey partition;
  int64_t offset = 0;
  core::EventPtr event;
  KafkaRecord raw;  // topic unset
};

struct PartitionListDeleter {
  void operator()(rd_kafka_topic_partition_list_t* l) const {
    rd_kafka_topic_partition_list_destroy(l);
  }
};
using PartitionList =
    std::unique_ptr<rd_kafka_topic_partition_list_t, PartitionListDeleter>;

class KafkaSubscription final : public Subscription, public KafkaClientEvents {
 public:
  KafkaSubscription(const KafkaOptions& options, KafkaProducer& producer,
                    KafkaSubscriptionSpec spec)
      : KafkaClientEvents(options.logger.Named("kafka.consumer")
                              .With({{"group", spec.group_id}})),
        options_(options),
        producer_(producer),
        spec_(std::move(spec)) {}

  ~KafkaSubscription() override {
    PartitionList final_commit;
    {
      std::lock_guard lock(mu_);
      closed_ = true;
      final_commit = CollectCommits(nullptr);
    }
    settled_cv_.notify_all();
    if (rk_ == nullptr) return;
    if (final_commit) {
      rd_kafka_resp_err_t err = rd_kafka_commit(rk_, final_commit.get(), 0);
      if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
        logger().Warn(
            "final offset commit failed; unsettled events will "
            "be delivered again",
            {{"error", rd_kafka_err2str(err)}});
      }
    }
    rd_kafka_consumer_close(rk_);  // leaves the group (revoke callback)
    rd_kafka_destroy(rk_);
  }

  core::Status Start(const KafkaEndpoint& endpoint) {
    ASSIGN_OR_RETURN(KafkaConf conf, NewKafkaConf(endpoint, options_, this));
    rd_kafka_conf_t* c = conf.get();
    RETURN_IF_ERROR(SetKafkaConf(c, "group.id", spec_.group_id));
    RETURN_IF_ERROR(SetKafkaConf(c, "enable.auto.commit", "false"));
    RETURN_IF_ERROR(SetKafkaConf(c, "enable.auto.offset.store", "false"));
    RETURN_IF_ERROR(SetKafkaConf(c, "auto.offset.reset", "earliest"));
    RETURN_IF_ERROR(SetKafkaConf(c, "enable.partition.eof", "false"));
    RETURN_IF_ERROR(
        SetKafkaConf(c, "session.timeout.ms",
                     std::to_string(options_.session_timeout.count())));
    RETURN_IF_ERROR(
        SetKafkaConf(c, "heartbeat.interval.ms",
                     std::to_string(std::max<int64_t>(
                         100, options_.session_timeout.count() / 3))));
    RETURN_IF_ERROR(
        SetKafkaConf(c, "topic.metadata.refresh.interval.ms",
                     std::to_string(options_.metadata_refresh.count())));
    rd_kafka_conf_set_rebalance_cb(c, &KafkaSubscription::OnRebalance);
    char err[512];
    rk_ = rd_kafka_new(RD_KAFKA_CONSUMER, c, err, sizeof err);
    if (rk_ == nullptr) {
      return core::InvalidArgumentError(std::string("Kafka consumer: ") + err);
    }
    (void)conf.release();  // rd_kafka_new took it
    rd_kafka_poll_set_consumer(rk_);
    if (spec_.topics.empty()) return core::Status::Ok();  // nothing bound
    PartitionList topics(rd_kafka_topic_partition_list_new(
        static_cast<int>(spec_.topics.size())));
    for (const std::string& t : spec_.topics) {
      rd_kafka_topic_partition_list_add(topics.get(), t.c_str(),
                                        RD_KAFKA_PARTITION_UA);
    }
    rd_kafka_resp_err_t e = rd_kafka_subscribe(rk_, topics.get());
    if (e != RD_KAFKA_RESP_ERR_NO_ERROR) {
      return KafkaErrorStatus(e, "subscribing group " + spec_.group_id);
    }
    return core::Status::Ok();
  }

  core::Result<std::vector<Delivery>> Poll(
      size_t max_events, std::chrono::milliseconds timeout) override {
    std::lock_guard poll_lock(poll_mu_);
    std::vector<Delivery> out;
    auto deadline = Clock::now() + timeout;
    while (out.size() < max_events) {
      {
        std::unique_lock lock(mu_);
        if (closed_) return core::UnavailableError("subscription is closed");
        while (!requeued_.empty() && out.size() < max_events &&
               unsettled_.size() < spec_.prefetch) {
          HandOut(std::move(requeued_.front()), true, out);
          requeued_.pop_front();
        }
        if (out.size() >= max_events) break;
        if (unsettled_.size() >= spec_.prefetch) {
          if (!out.empty()) break;
          if (!settled_cv_.wait_until(lock, deadline, [&] {
                return unsettled_.size() < spec_.prefetch || closed_ ||
                       !requeued_.empty();
              })) {
            break;
          }
          continue;
        }
      }
      auto left =
          std::chrono::duration_cast<milliseconds>(deadline - Clock::now());
      int wait_ms = out.empty()
                        ? static_cast<int>(std::max<int64_t>(0, left.count()))
                        : 0;
      rd_kafka_message_t* m = rd_kafka_consumer_poll(rk_, wait_ms);
      if (m == nullptr) {
        if (!out.empty() || Clock::now() >= deadline) break;
        continue;
      }
      Read(m, out);
      rd_kafka_message_destroy(m);
    }
    std::lock_guard lock(mu_);
    CommitAsync();
    return out;
  }

  core::Status Ack(uint64_t tag) override {
    {
      std::lock_guard lock(mu_);
      auto it = unsettled_.find(tag);
      if (it == unsettled_.end()) return UnknownTag(tag);
      Settle(it->second);
      unsettled_.erase(it);
      CommitAsync();
    }
    settled_cv_.notify_all();
    return core::Status::Ok();
  }

  core::Status Nack(uint64_t tag, NackAction action) override {
    if (action == NackAction::kDeadLetter && spec_.dead_letter_topic.empty()) {
      return Ack(tag);  // a dead-letter queue's dead letters are discarded
    }
    Entry entry;
    {
      std::lock_guard lock(mu_);
      auto it = unsettled_.find(tag);
      if (it == unsettled_.end()) return UnknownTag(tag);
      if (action == NackAction::kRequeue) {
        requeued_.push_back(std::move(it->second));
      } else {
        entry = std::move(it->second);
      }
      unsettled_.erase(it);
    }
    if (action == NackAction::kRequeue) {
      settled_cv_.notify_all();
      return core::Status::Ok();
    }
    KafkaRecord record = entry.raw;
    record.topic = spec_.dead_letter_topic;
    record.headers.push_back(
        {"deadLetterFrom", entry.partition.first + "/" +
                               std::to_string(entry.partition.second) + "/" +
                               std::to_string(entry.offset)});
    core::Status sent = producer_.Send({&record, 1}).front();
    {
      std::lock_guard lock(mu_);
      if (!sent.ok()) {
        // Still unsettled (unless its partition has moved on meanwhile).
        if (partitions_.contains(entry.partition)) {
          unsettled_.emplace(tag, std::move(entry));
        }
        return sent.WithContext("dead-lettering to " + spec_.dead_letter_topic);
      }
      Settle(entry);
      CommitAsync();
    }
    settled_cv_.notify_all();
    return core::Status::Ok();
  }

 private:
  static core::Status UnknownTag(uint64_t tag) {
    return core::FailedPreconditionError(
        "delivery tag " + std::to_string(tag) +
        " is unknown, already settled, or its partition was reassigned");
  }

  // Takes one message read from librdkafka.
  void Read(rd_kafka_message_t* m, std::vector<Delivery>& out) {
    if (m->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      // Not-yet-existing subscribed topics, transient broker errors:
      // librdkafka keeps retrying.
      logger().Debug("Kafka consumer event",
                     {{"error", rd_kafka_message_errstr(m)}});
      return;
    }
    PartitionKey key(rd_kafka_topic_name(m->rkt), m->partition);
    std::string_view value(static_cast<const char*>(m->payload), m->len);
    core::Result<core::EventPtr> event = decoder_.Decode(value);
    if (!event.ok()) DeadLetterUndecodable(m, key, value, event.status());
    std::lock_guard lock(mu_);
    auto ps = partitions_.find(key);
    if (ps == partitions_.end()) return;  // revoked meanwhile
    ps->second.next = std::max(ps->second.next, m->offset + 1);
    if (!event.ok() || !Wanted((*event)->event_type)) return;  // skipped
    Entry entry{key, m->offset, *event, {}};
    if (m->key != nullptr) {
      entry.raw.key.assign(static_cast<const char*>(m->key), m->key_len);
    }
    entry.raw.value.assign(value);
    CopyHeaders(m, entry.raw.headers);
    bool redelivered = m->offset <= ps->second.delivered;
    ps->second.pending.insert(m->offset);
    HandOut(std::move(entry), redelivered, out);
  }

  // Never handed to a handler: parked in the dead-letter topic (byte for
  // byte) when there is one, and skipped either way.
  void DeadLetterUndecodable(rd_kafka_message_t* m, const PartitionKey& key,
                             std::string_view value, const core::Status& why) {
    core::Status parked = core::NotFoundError("no dead-letter topic");
    if (!spec_.dead_letter_topic.empty()) {
      KafkaRecord record{.topic = spec_.dead_letter_topic,
                         .value = std::string(value)};
      if (m->key != nullptr) {
        record.key.assign(static_cast<const char*>(m->key), m->key_len);
      }
      CopyHeaders(m, record.headers);
      parked = producer_.Send({&record, 1}).front();
    }
    logger().Error("undecodable Kafka message skipped",
                   {{"topic", key.first},
                    {"partition", key.second},
                    {"offset", m->offset},
                    {"error", why},
                    {"dead_lettered", parked.ok()}});
  }

  static void CopyHeaders(rd_kafka_message_t* m,
                          std::vector<KafkaHeader>& out) {
    rd_kafka_headers_t* headers = nullptr;
    if (rd_kafka_message_headers(m, &headers) != RD_KAFKA_RESP_ERR_NO_ERROR) {
      return;
    }
    const char* name = nullptr;
    const void* value = nullptr;
    size_t size = 0;
    for (size_t i = 0;
         rd_kafka_header_get_all(headers, i, &name, &value, &size) ==
         RD_KAFKA_RESP_ERR_NO_ERROR;
         ++i) {
      out.push_back(
          {name, value == nullptr
                     ? std::string()
                     : std::string(static_cast<const char*>(value), size)});
    }
  }

  bool Wanted(std::string_view event_type) const {
    if (spec_.filter.empty()) return true;
    return std::any_of(
        spec_.filter.begin(), spec_.filter.end(),
        [&](const core::TopicPattern& p) { return p.Matches(event_type); });
  }

  // Requires mu_.
  void HandOut(Entry entry, bool redelivered, std::vector<Delivery>& out) {
    auto ps = partitions_.find(entry.partition);
    if (ps != partitions_.end()) {
      ps->second.delivered = std::max(ps->second.delivered, entry.offset);
    }
    uint64_t tag = next_tag_++;
    out.push_back({entry.event, tag, redelivered});
    unsettled_.emplace(tag, std::move(entry));
  }

  // Requires mu_.
  void Settle(const Entry& entry) {
    auto ps = partitions_.find(entry.partition);
    if (ps != partitions_.end()) ps->second.pending.erase(entry.offset);
  }

  // Requires mu_. The commits due for `only` (all partitions when null):
  // offset = lowest unsettled (or next unread), metadata = `delivered`.
  PartitionList CollectCommits(const rd_kafka_topic_partition_list_t* only) {
    PartitionList list(rd_kafka_topic_partition_list_new(4));
    for (auto& [key, ps] : partitions_) {
      if (only != nullptr &&
          rd_kafka_topic_partition_list_find(only, key.first.c_str(),
                                             key.second) == nullptr) {
        continue;
      }
      if (ps.next < 0) continue;  // nothing read yet
      int64_t offset = ps.pending.empty() ? ps.next : *ps.pending.begin();
      if (offset == ps.committed && ps.delivered == ps.committed_delivered) {
        continue;
      }
      rd_kafka_topic_partition_t* p = rd_kafka_topic_partition_list_add(
          list.get(), key.first.c_str(), key.second);
      p->offset = offset;
      std::string meta = std::to_string(ps.delivered);
      p->metadata = std::malloc(meta.size());
      std::memcpy(p->metadata, meta.data(), meta.size());
      p->metadata_size = meta.size();
      ps.committed = offset;
      ps.committed_delivered = ps.delivered;
    }
    if (list->cnt == 0) return nullptr;
    return list;
  }

  // Requires mu_. Enqueues the due commits (non-blocking: librdkafka sends
  // them in order from its own thread; enqueuing under mu_ keeps a later
  // offset from being overtaken by an earlier one).
  void CommitAsync() {
    PartitionList list = CollectCommits(nullptr);
    if (list) (void)rd_kafka_commit(rk_, list.get(), 1);
  }

  static void OnRebalance(rd_kafka_t* rk, rd_kafka_resp_err_t err,
                          rd_kafka_topic_partition_list_t* parts,
                          void* opaque) {
    auto* self = static_cast<KafkaSubscription*>(
        static_cast<KafkaClientEvents*>(opaque));
    if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
      self->Assign(parts);
      rd_kafka_assign(rk, parts);
    } else {
      self->Revoke(parts);
      rd_kafka_assign(rk, nullptr);
    }
  }

  void Assign(const rd_kafka_topic_partition_list_t* parts) {
    PartitionList committed(rd_kafka_topic_partition_list_copy(parts));
    rd_kafka_resp_err_t err =
        rd_kafka_committed(rk_, committed.get(),
                           static_cast<int>(options_.request_timeout.count()));
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      logger().Warn(
          "reading committed offsets failed; redelivered flags "
          "may be missing",
          {{"error", rd_kafka_err2str(err)}});
    }
    std::lock_guard lock(mu_);
    for (int i = 0; i < committed->cnt; ++i) {
      const rd_kafka_topic_partition_t& p = committed->elems[i];
      PartitionState ps;
      if (err == RD_KAFKA_RESP_ERR_NO_ERROR && p.metadata_size > 0) {
        std::string meta(static_cast<const char*>(p.metadata), p.metadata_size);
        ps.delivered = std::strtoll(meta.c_str(), nullptr, 10);
        ps.committed_delivered = ps.delivered;
      }
      ps.committed = p.offset;
      partitions_[{p.topic, p.partition}] = std::move(ps);
    }
    logger().Info("partitions assigned", {{"count", committed->cnt}});
  }

  void Revoke(const rd_kafka_topic_partition_list_t* parts) {
    PartitionList commits;
    {
      std::lock_guard lock(mu_);
      commits = CollectCommits(parts);
      for (int i = 0; i < parts->cnt; ++i) {
        partitions_.erase({parts->elems[i].topic, parts->elems[i].partition});
      }
      std::erase_if(unsettled_, [&](const auto& kv) {
        return !partitions_.contains(kv.second.partition);
      });
      std::erase_if(requeued_, [&](const Entry& e) {
        return !partitions_.contains(e.partition);
      });
    }
    settled_cv_.notify_all();
    if (commits) (void)rd_kafka_commit(rk_, commits.get(), 0);
    logger().Info("partitions revoked", {{"count", parts->cnt}});
  }

  // Immutable after construction (rk_ after Start).
  const KafkaOptions options_;
  KafkaProducer& producer_;  // outlives this subscription
  const KafkaSubscriptionSpec spec_;
  rd_kafka_t* rk_ = nullptr;  // owned

  std::mutex poll_mu_;  // serializes Poll (and guards decoder_)
  core::EventDecoder decoder_;

  std::mutex mu_;
  std::condition_variable settled_cv_;
  // Guarded by mu_.
  bool closed_ = false;
  std::map<PartitionKey, PartitionState> partitions_;  // assigned
  std::map<uint64_t, Entry> unsettled_;                // by delivery tag
  std::deque<Entry> requeued_;  // nacked for redelivery, in nack order
  uint64_t next_tag_ = 1;
};

}  // namespace

core::Result<std::unique_ptr<Subscription>> OpenKafkaSubscription(
    const KafkaEndpoint& endpoint, const KafkaOptions& options,
    KafkaProducer& producer, KafkaSubscriptionSpec spec) {
  auto sub =
      std::make_unique<KafkaSubscription>(options, producer, std::move(spec));
  RETURN_IF_ERROR(sub->Start(endpoint));
  return std::unique_ptr<Subscription>(std::move(sub));
}

}  // namespace stockpile::transport
