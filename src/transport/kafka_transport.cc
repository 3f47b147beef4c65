#include "transport/kafka_transport.h"

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/event_codec.h"
#include "core/status_macros.h"
#include "core/topic_pattern.h"
#include "transport/kafka_producer.h"
#include "transport/kafka_subscription.h"
#include "transport/kafka_topics.h"
#include "transport/kafka_url.h"

namespace stockpile::transport {
namespace {

KafkaRecord RecordFor(const core::Event& e) {
  KafkaRecord r;
  r.topic = KafkaTopicForEventType(e.event_type);
  r.key = e.aggregate_id.empty() ? e.event_id : e.aggregate_id;
  r.value = core::EncodeEvent(e);
  r.headers = {{"eventType", e.event_type},
               {"tenantId", e.tenant_id},
               {"correlationId", std::string(e.correlation_id())}};
  return r;
}

class KafkaTransport final : public Transport {
 public:
  KafkaTransport(KafkaEndpoint endpoint, const KafkaOptions& options,
                 std::unique_ptr<KafkaProducer> producer)
      : endpoint_(std::move(endpoint)),
        options_(options),
        producer_(std::move(producer)) {}

  core::Status DeclareTopology(const Topology& topology) override {
    std::vector<std::pair<std::string, std::vector<core::TopicPattern>>> parsed;
    std::set<std::string> topics;
    for (const QueueSpec& q : topology.queues) {
      RETURN_IF_ERROR(ValidateQueueName(q.name));
      std::vector<core::TopicPattern> patterns;
      for (const std::string& b : q.bindings) {
        ASSIGN_OR_RETURN(core::TopicPattern p, core::TopicPattern::Parse(b));
        if (auto topic = KafkaTopicForPattern(b)) topics.insert(*topic);
        patterns.push_back(std::move(p));
      }
      topics.insert(KafkaDeadLetterTopic(q.name));
      parsed.emplace_back(q.name, std::move(patterns));
    }
    std::vector<std::string> list(topics.begin(), topics.end());
    RETURN_IF_ERROR(producer_->EnsureTopics(list));
    std::lock_guard lock(mu_);
    for (auto& [name, patterns] : parsed) {
      std::vector<core::TopicPattern>& known = queues_[name];
      for (core::TopicPattern& p : patterns) {
        bool dup = std::any_of(known.begin(), known.end(), [&](const auto& k) {
          return k.text() == p.text();
        });
        if (!dup) known.push_back(std::move(p));
      }
    }
    return core::Status::Ok();
  }

  PublishResult Publish(std::span<const core::EventPtr> events) override {
    PublishResult result;
    std::vector<KafkaRecord> records;
    records.reserve(events.size());
    for (size_t i = 0; i < events.size(); ++i) {
      core::Status s = events[i] == nullptr
                           ? core::InvalidArgumentError("null event")
                           : core::ValidateRoutingKey(events[i]->event_type);
      if (!s.ok()) {
        // Nothing of an invalid batch is sent.
        result.status = s.WithContext("event " + std::to_string(i));
        for (size_t j = 0; j < events.size(); ++j) {
          result.unconfirmed.push_back(j);
        }
        return result;
      }
      records.push_back(RecordFor(*events[i]));
    }
    std::vector<core::Status> sent = producer_->Send(records);
    uint64_t confirmed = 0;
    uint64_t unroutable = 0;
    {
      std::lock_guard lock(mu_);
      for (size_t i = 0; i < sent.size(); ++i) {
        if (!sent[i].ok()) {
          if (result.status.ok()) result.status = sent[i];
          result.unconfirmed.push_back(i);
          continue;
        }
        ++confirmed;
        if (!Routed(events[i]->event_type)) ++unroutable;
      }
    }
    published_.fetch_add(confirmed);
    returned_.fetch_add(unroutable);
    if (!result.status.ok()) {
      result.status = result.status.WithContext(
          std::to_string(result.unconfirmed.size()) + " of " +
          std::to_string(events.size()) + " events not confirmed");
    }
    return result;
  }

  core::Result<std::unique_ptr<Subscription>> Consume(
      std::string_view queue, const ConsumeOptions& options) override {
    if (options.prefetch == 0) {
      return core::InvalidArgumentError("prefetch must be at least 1");
    }
    bool dlq = IsDeadLetterQueue(queue);
    std::string base(dlq ? queue.substr(0, queue.size() - 4) : queue);
    KafkaSubscriptionSpec spec{.group_id = KafkaGroupId(queue),
                               .prefetch = options.prefetch};
    {
      std::lock_guard lock(mu_);
      auto it = queues_.find(base);
      if (it == queues_.end()) {
        return core::NotFoundError("queue '" + std::string(queue) +
                                   "' is not declared");
      }
      if (dlq) {
        spec.topics = {KafkaDeadLetterTopic(base)};
      } else {
        spec.filter = it->second;
        spec.dead_letter_topic = KafkaDeadLetterTopic(base);
        spec.topics = TopicsOf(it->second);
        if (spec.filter.empty()) spec.topics.clear();  // bound to nothing
      }
    }
    return OpenKafkaSubscription(endpoint_, options_, *producer_,
                                 std::move(spec));
  }

  TransportStats Stats() const override {
    return {.state = producer_->state(),
            .reconnects = producer_->reconnects(),
            .unconfirmed = producer_->in_flight(),
            .returned = returned_.load(),
            .published = published_.load()};
  }

 private:
  // The topics `patterns` can match; the all-topics regex when one of them
  // starts with a wildcard.
  static std::vector<std::string> TopicsOf(
      const std::vector<core::TopicPattern>& patterns) {
    std::set<std::string> topics;
    for (const core::TopicPattern& p : patterns) {
      std::optional<std::string> topic = KafkaTopicForPattern(p.text());
      if (!topic) return {std::string(kKafkaAllContextTopics)};
      topics.insert(*topic);
    }
    return {topics.begin(), topics.end()};
  }

  // Requires mu_.
  bool Routed(std::string_view event_type) const {
    for (const auto& [name, patterns] : queues_) {
      for (const core::TopicPattern& p : patterns) {
        if (p.Matches(event_type)) return true;
      }
    }
    return false;
  }

  // Immutable after construction.
  const KafkaEndpoint endpoint_;
  const KafkaOptions options_;
  const std::unique_ptr<KafkaProducer> producer_;

  std::atomic<uint64_t> published_{0};
  std::atomic<uint64_t> returned_{0};

  mutable std::mutex mu_;
  // Guarded by mu_: declared queues and their patterns.
  std::map<std::string, std::vector<core::TopicPattern>, std::less<>> queues_;
};

}  // namespace

core::Result<std::unique_ptr<Transport>> MakeKafkaTransport(
    const KafkaOptions& options) {
  ASSIGN_OR_RETURN(KafkaEndpoint endpoint, ParseKafkaUrl(options.url));
  ASSIGN_OR_RETURN(std::unique_ptr<KafkaProducer> producer,
                   KafkaProducer::Open(endpoint, options));
  return std::unique_ptr<Transport>(std::make_unique<KafkaTransport>(
      std::move(endpoint), options, std::move(producer)));
}

}  // namespace stockpile::transport
