#include "transport/rabbitmq_publisher.h"

#include <algorithm>
#include <utility>

#include "core/event_codec.h"
#include "core/status_macros.h"
#include "core/topic_pattern.h"

namespace stockpile::transport {
namespace {

using std::chrono::milliseconds;

PublishResult AllUnconfirmed(size_t n, core::Status status) {
  PublishResult r{.status = std::move(status)};
  r.unconfirmed.reserve(n);
  for (size_t i = 0; i < n; ++i) r.unconfirmed.push_back(i);
  return r;
}

}  // namespace

RabbitMqPublisher::RabbitMqPublisher(RabbitMqShared& shared,
                                     const RabbitMqPublisherOptions& options)
    : shared_(shared),
      options_{.max_in_flight = std::max<size_t>(options.max_in_flight, 1),
               .max_events_per_message =
                   std::max<size_t>(options.max_events_per_message, 1),
               .max_message_bytes = options.max_message_bytes,
               .publish_timeout = options.publish_timeout},
      thread_([this] { Run(); }) {}

RabbitMqPublisher::~RabbitMqPublisher() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  work_cv_.notify_all();
  done_cv_.notify_all();
  thread_.join();
}

core::Status RabbitMqPublisher::Pack(Batch& batch) const {
  std::string line;
  for (size_t i = 0; i < batch.events.size(); ++i) {
    const core::EventPtr& e = batch.events[i];
    if (e == nullptr) return core::InvalidArgumentError("null event");
    RETURN_IF_ERROR(core::ValidateRoutingKey(e->event_type));
    line.clear();
    core::AppendEncodedEvent(*e, line);
    Part* part = batch.parts.empty() ? nullptr : &batch.parts.back();
    const core::Event* first =
        part == nullptr ? nullptr : batch.events[part->first].get();
    bool joins =
        part != nullptr && first->event_type == e->event_type &&
        first->tenant_id == e->tenant_id &&
        part->count < options_.max_events_per_message &&
        part->body.size() + 1 + line.size() <= options_.max_message_bytes;
    if (joins) {
      part->body.push_back('\n');
      part->body.append(line);
      ++part->count;
    } else {
      batch.parts.push_back(Part{.first = i, .count = 1, .body = line});
    }
  }
  return core::Status::Ok();
}

PublishResult RabbitMqPublisher::Publish(
    std::span<const core::EventPtr> events) {
  auto batch = std::make_shared<Batch>();
  batch->events.assign(events.begin(), events.end());
  if (core::Status s = Pack(*batch); !s.ok()) {
    return AllUnconfirmed(events.size(), s);
  }
  if (events.empty()) return {};
  batch->settled.assign(events.size(), kPending);
  batch->remaining = events.size();

  std::unique_lock lock(mu_);
  if (stopping_) {
    return AllUnconfirmed(events.size(),
                          core::UnavailableError("transport is closed"));
  }
  queue_.push_back(batch);
  unconfirmed_ += events.size();
  work_cv_.notify_all();
  bool settled = done_cv_.wait_for(lock, options_.publish_timeout, [&] {
    return batch->remaining == 0 || stopping_;
  });
  PublishResult result;
  size_t refused = 0;
  for (size_t i = 0; i < batch->settled.size(); ++i) {
    if (batch->settled[i] != kConfirmed) result.unconfirmed.push_back(i);
    if (batch->settled[i] == kRefused) ++refused;
  }
  if (result.unconfirmed.empty()) return result;
  if (batch->remaining > 0) {
    // Give up: what is unsent stays unsent; what is in flight may still be
    // confirmed later (a duplicate for the caller's retry, which is fine).
    batch->abandoned = true;
    unconfirmed_ -= batch->remaining;
  }
  std::string why = std::to_string(result.unconfirmed.size()) + " of " +
                    std::to_string(events.size()) + " events not confirmed";
  if (refused > 0)
    why += " (" + std::to_string(refused) + " nacked by the broker)";
  if (!last_error_.empty()) why += "; last error: " + last_error_;
  if (stopping_) {
    result.status = core::UnavailableError("transport closed: " + why);
  } else if (!settled) {
    result.status = core::DeadlineExceededError(why);
  } else {
    result.status = core::UnavailableError(why);
  }
  return result;
}

ConnectionState RabbitMqPublisher::state() const {
  std::lock_guard lock(mu_);
  return state_;
}

uint64_t RabbitMqPublisher::unconfirmed() const {
  std::lock_guard lock(mu_);
  return unconfirmed_;
}

uint64_t RabbitMqPublisher::published() const {
  std::lock_guard lock(mu_);
  return published_;
}

void RabbitMqPublisher::SetState(ConnectionState state) {
  std::lock_guard lock(mu_);
  state_ = state;
}

void RabbitMqPublisher::Run() {
  ReconnectBackoff backoff(shared_.backoff());
  while (true) {
    {
      std::lock_guard lock(mu_);
      if (stopping_) break;
    }
    if (conn_ == nullptr) {
      if (Connect()) {
        backoff.Reset();
      } else {
        std::unique_lock lock(mu_);
        work_cv_.wait_for(lock, backoff.Next(), [&] { return stopping_; });
        continue;
      }
    }
    core::Status sent = SendSome();
    if (!sent.ok()) {
      Drop(sent);
      continue;
    }
    bool idle = in_flight_.empty();
    if (idle) {
      // Nothing to wait for from the broker: sleep until there is work, but
      // wake regularly to serve heartbeats.
      std::unique_lock lock(mu_);
      work_cv_.wait_for(lock, milliseconds(200),
                        [&] { return stopping_ || !queue_.empty(); });
    }
    // Read every frame that is there, waiting a little for the first.
    milliseconds wait = idle ? milliseconds(0) : milliseconds(20);
    for (int frames = 0; frames < 4096; ++frames) {
      core::Result<AmqpIncoming> in = conn_->Next(wait);
      if (!in.ok()) {
        Drop(in.status());
        break;
      }
      if (in->kind == AmqpIncoming::Kind::kNothing) break;
      wait = milliseconds(0);
      switch (in->kind) {
        case AmqpIncoming::Kind::kAck:
          Settle(in->tag, in->multiple, /*confirmed=*/true);
          break;
        case AmqpIncoming::Kind::kNack:
          Settle(in->tag, in->multiple, /*confirmed=*/false);
          break;
        case AmqpIncoming::Kind::kReturned:
          shared_.returned.fetch_add(
              in->event_lines
                  ? 1 + std::count(in->body.begin(), in->body.end(), '\n')
                  : 1,
              std::memory_order_relaxed);
          shared_.log().Warn(
              "event matched no queue",
              {{"eventType", in->routing_key}, {"reason", in->reply_text}});
          break;
        default:
          break;
      }
    }
  }
  conn_.reset();
  SetState(ConnectionState::kClosed);
}

bool RabbitMqPublisher::Connect() {
  auto conn = shared_.Connect("publisher");
  core::Status s = conn.ok() ? (*conn)->EnableConfirms() : conn.status();
  if (!s.ok()) {
    std::lock_guard lock(mu_);
    last_error_ = s.ToString();
    state_ = ever_connected_ ? ConnectionState::kReconnecting
                             : ConnectionState::kConnecting;
    return false;
  }
  conn_ = std::move(conn).value();
  if (ever_connected_) {
    shared_.reconnects.fetch_add(1);
    shared_.log().Info("publisher reconnected",
                       {{"resending", static_cast<int64_t>(resend_.size())}});
  }
  ever_connected_ = true;
  next_tag_ = 1;
  SetState(ConnectionState::kConnected);
  return true;
}

void RabbitMqPublisher::Drop(const core::Status& why) {
  conn_.reset();
  shared_.log().Warn("publisher connection lost", {{"error", why}});
  // Everything not confirmed goes out again, oldest first: what was in
  // flight (by tag) before what was waiting to be resent.
  std::deque<Message> again;
  for (auto& [tag, m] : in_flight_) again.push_back(std::move(m));
  in_flight_.clear();
  for (Message& m : resend_) again.push_back(std::move(m));
  resend_ = std::move(again);
  std::lock_guard lock(mu_);
  last_error_ = why.ToString();
  state_ = ConnectionState::kReconnecting;
}

core::Status RabbitMqPublisher::SendSome() {
  while (in_flight_.size() < options_.max_in_flight) {
    Message m;
    {
      std::lock_guard lock(mu_);
      if (!resend_.empty()) {
        m = std::move(resend_.front());
        resend_.pop_front();
        const Part& part = m.batch->parts[m.part];
        if (m.batch->abandoned || m.batch->settled[part.first] != kPending) {
          continue;
        }
      } else {
        while (!queue_.empty() &&
               (queue_.front()->abandoned ||
                queue_.front()->next_to_send == queue_.front()->parts.size())) {
          queue_.pop_front();
        }
        if (queue_.empty()) break;
        m.batch = queue_.front();
        m.part = m.batch->next_to_send++;
      }
    }
    // The batch's events and parts are immutable: no lock needed to send.
    const Part& part = m.batch->parts[m.part];
    core::Status s = conn_->Publish(
        shared_.names(),
        std::span(m.batch->events).subspan(part.first, part.count), part.body);
    in_flight_.emplace(next_tag_++, std::move(m));  // resent if the send failed
    if (!s.ok()) return s;
  }
  return core::Status::Ok();
}

void RabbitMqPublisher::Settle(uint64_t tag, bool multiple, bool confirmed) {
  std::vector<Message> settled;
  auto end = multiple ? in_flight_.upper_bound(tag) : in_flight_.find(tag);
  auto begin = multiple ? in_flight_.begin() : end;
  if (!multiple && end != in_flight_.end()) ++end;
  for (auto it = begin; it != end; ++it)
    settled.push_back(std::move(it->second));
  in_flight_.erase(begin, end);
  if (settled.empty()) return;
  {
    std::lock_guard lock(mu_);
    for (const Message& m : settled) {
      const Part& part = m.batch->parts[m.part];
      for (size_t i = part.first; i < part.first + part.count; ++i) {
        uint8_t& state = m.batch->settled[i];
        if (state != kPending) continue;
        state = confirmed ? kConfirmed : kRefused;
        --m.batch->remaining;
        if (confirmed) ++published_;
        if (!m.batch->abandoned) --unconfirmed_;
      }
    }
  }
  done_cv_.notify_all();
}

}  // namespace stockpile::transport
