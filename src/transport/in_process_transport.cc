#include "transport/in_process_transport.h"

#include <algorithm>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "core/status_macros.h"
#include "core/topic_pattern.h"

namespace stockpile::transport {
namespace {

struct Message {
  core::EventPtr event;
  bool redelivered = false;
};

// One queue. Ready messages are keyed by their enqueue sequence, so a
// requeued message goes back to its original place (as in RabbitMQ).
struct Queue {
  std::vector<core::TopicPattern> bindings;
  std::map<uint64_t, Message> ready;
};

class InProcessTransportImpl;

class InProcessSubscription final : public Subscription {
 public:
  InProcessSubscription(InProcessTransportImpl* transport, std::string queue,
                        uint32_t prefetch)
      : transport_(transport), queue_(std::move(queue)), prefetch_(prefetch) {}
  ~InProcessSubscription() override;

  core::Result<std::vector<Delivery>> Poll(
      size_t max_events, std::chrono::milliseconds timeout) override;
  core::Status Ack(uint64_t tag) override;
  core::Status Nack(uint64_t tag, NackAction action) override;

 private:
  friend class InProcessTransportImpl;

  // Immutable after construction.
  InProcessTransportImpl* const transport_;  // outlives this subscription
  const std::string queue_;
  const uint32_t prefetch_;

  // Guarded by transport_->mu_: delivery tag -> (sequence, message).
  std::map<uint64_t, std::pair<uint64_t, Message>> unacked_;
  uint64_t next_tag_ = 1;  // guarded by transport_->mu_
};

class InProcessTransportImpl final : public InProcessTransport {
 public:
  ~InProcessTransportImpl() override { Close(); }

  core::Status DeclareTopology(const Topology& topology) override {
    // Validate everything before changing anything.
    std::vector<std::vector<core::TopicPattern>> parsed;
    for (const QueueSpec& q : topology.queues) {
      RETURN_IF_ERROR(ValidateQueueName(q.name));
      std::vector<core::TopicPattern> patterns;
      for (const std::string& b : q.bindings) {
        ASSIGN_OR_RETURN(core::TopicPattern p, core::TopicPattern::Parse(b));
        patterns.push_back(std::move(p));
      }
      parsed.push_back(std::move(patterns));
    }
    std::lock_guard lock(mu_);
    if (closed_) return core::UnavailableError("transport is closed");
    for (size_t i = 0; i < topology.queues.size(); ++i) {
      Queue& q = queues_[topology.queues[i].name];
      queues_[DeadLetterQueue(topology.queues[i].name)];
      for (core::TopicPattern& p : parsed[i]) {
        bool known = std::any_of(
            q.bindings.begin(), q.bindings.end(),
            [&](const core::TopicPattern& b) { return b.text() == p.text(); });
        if (!known) q.bindings.push_back(std::move(p));
      }
    }
    return core::Status::Ok();
  }

  PublishResult Publish(std::span<const core::EventPtr> events) override {
    for (size_t i = 0; i < events.size(); ++i) {
      core::Status s = events[i] == nullptr
                           ? core::InvalidArgumentError("null event")
                           : core::ValidateRoutingKey(events[i]->event_type);
      if (!s.ok()) return AllUnconfirmed(events.size(), s);
    }
    {
      std::lock_guard lock(mu_);
      if (closed_) {
        return AllUnconfirmed(events.size(),
                              core::UnavailableError("transport is closed"));
      }
      for (const core::EventPtr& e : events) {
        bool routed = false;
        for (auto& [name, q] : queues_) {
          for (const core::TopicPattern& p : q.bindings) {
            if (p.Matches(e->event_type)) {
              q.ready.emplace(next_seq_++, Message{e, false});
              routed = true;
              break;
            }
          }
        }
        if (!routed) ++returned_;
        ++published_;
      }
    }
    cv_.notify_all();
    return {};
  }

  core::Result<std::unique_ptr<Subscription>> Consume(
      std::string_view queue, const ConsumeOptions& options) override {
    if (options.prefetch == 0) {
      return core::InvalidArgumentError("prefetch must be at least 1");
    }
    std::lock_guard lock(mu_);
    if (closed_) return core::UnavailableError("transport is closed");
    if (queues_.find(queue) == queues_.end()) {
      return core::NotFoundError("queue '" + std::string(queue) +
                                 "' is not declared");
    }
    return std::unique_ptr<Subscription>(
        std::make_unique<InProcessSubscription>(this, std::string(queue),
                                                options.prefetch));
  }

  TransportStats Stats() const override {
    std::lock_guard lock(mu_);
    return {.state = closed_ ? ConnectionState::kClosed
                             : ConnectionState::kConnected,
            .returned = returned_,
            .published = published_};
  }

  void Close() override {
    {
      std::lock_guard lock(mu_);
      closed_ = true;
    }
    cv_.notify_all();
  }

 private:
  friend class InProcessSubscription;

  static PublishResult AllUnconfirmed(size_t n, core::Status status) {
    PublishResult r{.status = std::move(status)};
    for (size_t i = 0; i < n; ++i) r.unconfirmed.push_back(i);
    return r;
  }

  core::Result<std::vector<Delivery>> Poll(InProcessSubscription& sub,
                                           size_t max_events,
                                           std::chrono::milliseconds timeout) {
    std::vector<Delivery> out;
    std::unique_lock lock(mu_);
    auto room = [&] {
      return std::min<size_t>(
          max_events,
          sub.prefetch_ - std::min<size_t>(sub.prefetch_, sub.unacked_.size()));
    };
    Queue& q = queues_.find(sub.queue_)->second;
    cv_.wait_for(lock, timeout,
                 [&] { return closed_ || (room() > 0 && !q.ready.empty()); });
    if (closed_) return core::UnavailableError("transport is closed");
    for (size_t n = room(); n > 0 && !q.ready.empty(); --n) {
      auto node = q.ready.extract(q.ready.begin());
      uint64_t tag = sub.next_tag_++;
      out.push_back({node.mapped().event, tag, node.mapped().redelivered});
      sub.unacked_.emplace(
          tag, std::make_pair(node.key(), std::move(node.mapped())));
    }
    return out;
  }

  core::Status Settle(InProcessSubscription& sub, uint64_t tag,
                      const NackAction* action) {
    {
      std::lock_guard lock(mu_);
      auto it = sub.unacked_.find(tag);
      if (it == sub.unacked_.end()) {
        return core::FailedPreconditionError(
            "delivery tag " + std::to_string(tag) + " is not outstanding");
      }
      auto [seq, message] = std::move(it->second);
      sub.unacked_.erase(it);
      if (action != nullptr && *action == NackAction::kRequeue) {
        message.redelivered = true;
        queues_.find(sub.queue_)->second.ready.emplace(seq, std::move(message));
      } else if (action != nullptr && !IsDeadLetterQueue(sub.queue_)) {
        message.redelivered = false;
        queues_[DeadLetterQueue(sub.queue_)].ready.emplace(next_seq_++,
                                                           std::move(message));
      }
    }
    cv_.notify_all();
    return core::Status::Ok();
  }

  // Puts everything `sub` left unacked back on its queue.
  void Release(InProcessSubscription& sub) {
    {
      std::lock_guard lock(mu_);
      Queue& q = queues_.find(sub.queue_)->second;
      for (auto& [tag, entry] : sub.unacked_) {
        entry.second.redelivered = true;
        q.ready.emplace(entry.first, std::move(entry.second));
      }
      sub.unacked_.clear();
    }
    cv_.notify_all();
  }

  mutable std::mutex mu_;
  std::condition_variable cv_;
  // Guarded by mu_. Queues are never erased, so references stay valid.
  std::map<std::string, Queue, std::less<>> queues_;
  uint64_t next_seq_ = 1;
  uint64_t returned_ = 0;
  uint64_t published_ = 0;
  bool closed_ = false;
};

InProcessSubscription::~InProcessSubscription() { transport_->Release(*this); }

core::Result<std::vector<Delivery>> InProcessSubscription::Poll(
    size_t max_events, std::chrono::milliseconds timeout) {
  return transport_->Poll(*this, max_events, timeout);
}

core::Status InProcessSubscription::Ack(uint64_t tag) {
  return transport_->Settle(*this, tag, nullptr);
}

core::Status InProcessSubscription::Nack(uint64_t tag, NackAction action) {
  return transport_->Settle(*this, tag, &action);
}

}  // namespace

std::unique_ptr<InProcessTransport> MakeInProcessTransport() {
  return std::make_unique<InProcessTransportImpl>();
}

}  // namespace stockpile::transport
