#include "transport/rabbitmq_subscription.h"

#include <algorithm>
#include <string_view>
#include <utility>

namespace stockpile::transport {
namespace {

using std::chrono::milliseconds;

// A Delivery's tag is (connection generation << 48) | a count of the
// connection's deliveries, so a tag from a lost connection is recognised
// as stale.
constexpr int kGenerationShift = 48;

// How long closing waits for the broker to confirm split messages.
constexpr milliseconds kCloseConfirmWait(2000);

std::string DeadLetterQueueOf(const std::string& queue) {
  constexpr std::string_view kSuffix = ".dlq";
  if (std::string_view(queue).ends_with(kSuffix)) return "";
  return queue + std::string(kSuffix);
}

// The [begin, end) of each line of `body`.
std::vector<std::pair<size_t, size_t>> Lines(std::string_view body) {
  std::vector<std::pair<size_t, size_t>> lines;
  size_t begin = 0;
  while (true) {
    size_t end = body.find('\n', begin);
    if (end == std::string_view::npos) {
      lines.emplace_back(begin, body.size());
      return lines;
    }
    lines.emplace_back(begin, end);
    begin = end + 1;
  }
}

void AppendLine(std::string& out, size_t& count, std::string_view line) {
  if (count++ > 0) out.push_back('\n');
  out.append(line);
}

}  // namespace

RabbitMqSubscription::RabbitMqSubscription(RabbitMqShared& shared,
                                           std::string queue, uint32_t prefetch)
    : shared_(shared),
      queue_(std::move(queue)),
      dead_letter_queue_(DeadLetterQueueOf(queue_)),
      prefetch_(prefetch),
      thread_([this] { Run(); }) {}

RabbitMqSubscription::~RabbitMqSubscription() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

core::Result<std::vector<Delivery>> RabbitMqSubscription::Poll(
    size_t max_events, milliseconds timeout) {
  std::unique_lock lock(mu_);
  auto can_hand_out = [&] {
    return !ready_.empty() && handed_out_.size() < prefetch_;
  };
  cv_.wait_for(lock, timeout, [&] { return stopping_ || can_hand_out(); });
  if (stopping_) return core::UnavailableError("subscription is closed");
  std::vector<Delivery> out;
  while (out.size() < max_events && can_hand_out()) {
    Ready& r = ready_.front();
    handed_out_.emplace(r.delivery.tag, HandedOut{r.delivery_tag, r.index});
    out.push_back(std::move(r.delivery));
    ready_.pop_front();
  }
  return out;
}

core::Status RabbitMqSubscription::Ack(uint64_t tag) {
  return Settle(tag, Action::kAck);
}

core::Status RabbitMqSubscription::Nack(uint64_t tag, NackAction action) {
  return Settle(tag, action == NackAction::kRequeue ? Action::kRequeue
                                                    : Action::kDeadLetter);
}

core::Status RabbitMqSubscription::Settle(uint64_t tag, Action action) {
  {
    std::lock_guard lock(mu_);
    auto it = handed_out_.find(tag);
    if (it == handed_out_.end()) {
      return core::FailedPreconditionError(
          "delivery tag " + std::to_string(tag) +
          " is not outstanding (already settled, or its connection was lost "
          "and the broker delivers it again)");
    }
    HandedOut h = it->second;
    handed_out_.erase(it);
    auto m = inbound_.find(h.delivery_tag);
    if (m == inbound_.end()) {
      return core::UnavailableError("subscription is closing");
    }
    m->second.actions[h.index] = action;
    if (--m->second.unsettled == 0) {
      settlements_.push_back(Resolve(h.delivery_tag, m->second));
      inbound_.erase(m);
    }
  }
  cv_.notify_all();  // below prefetch again
  return core::Status::Ok();
}

RabbitMqSubscription::Settlement RabbitMqSubscription::Resolve(
    uint64_t delivery_tag, const Inbound& m) const {
  // What each event really needs: a dead-letter queue discards its dead
  // letters, and an event never settled goes back to the queue.
  std::vector<Action> effective = m.actions;
  for (Action& a : effective) {
    if (a == Action::kPending) a = Action::kRequeue;
    if (a == Action::kDeadLetter && dead_letter_queue_.empty())
      a = Action::kAck;
  }
  if (std::all_of(effective.begin(), effective.end(),
                  [&](Action a) { return a == effective.front(); })) {
    return {.delivery_tag = delivery_tag, .action = effective.front()};
  }
  Settlement split{.delivery_tag = delivery_tag, .action = Action::kPending};
  for (size_t i = 0; i < effective.size(); ++i) {
    auto [begin, end] = m.lines[i];
    std::string_view line(m.body.data() + begin, end - begin);
    if (effective[i] == Action::kRequeue) {
      AppendLine(split.requeue, split.requeue_count, line);
    } else if (effective[i] == Action::kDeadLetter) {
      AppendLine(split.dead_letter, split.dead_letter_count, line);
    }
  }
  return split;
}

void RabbitMqSubscription::Run() {
  ReconnectBackoff backoff(shared_.backoff());
  std::unique_ptr<AmqpConnection> conn;
  bool ever_connected = false;
  while (true) {
    {
      std::lock_guard lock(mu_);
      if (stopping_) break;
    }
    if (conn == nullptr) {
      if (!Connect(conn)) {
        std::unique_lock lock(mu_);
        cv_.wait_for(lock, backoff.Next(), [&] { return stopping_; });
        continue;
      }
      backoff.Reset();
      if (ever_connected) {
        shared_.reconnects.fetch_add(1);
        shared_.log().Info("consumer reconnected", {{"queue", queue_}});
      }
      ever_connected = true;
    }
    core::Status s = SendSettlements(*conn);
    if (s.ok()) s = Receive(*conn);
    if (!s.ok()) {
      conn.reset();
      Forget();
      shared_.log().Warn("consumer connection lost",
                         {{"queue", queue_}, {"error", s}});
    }
  }
  // Settlements already made must reach the broker before the connection
  // closes.
  if (conn != nullptr) SettleForClose(*conn);
}

bool RabbitMqSubscription::Connect(std::unique_ptr<AmqpConnection>& conn) {
  auto c = shared_.Connect("consumer " + queue_);
  core::Status s = c.ok() ? (*c)->EnableConfirms() : c.status();
  if (s.ok()) s = (*c)->Consume(queue_, prefetch_);
  if (!s.ok()) return false;
  conn = std::move(c).value();
  split_parts_.clear();
  splits_.clear();
  next_confirm_ = 1;
  return true;
}

void RabbitMqSubscription::Forget() {
  std::lock_guard lock(mu_);
  ++generation_;
  next_tag_ = 0;
  ready_.clear();
  handed_out_.clear();
  inbound_.clear();
  settlements_.clear();
}

core::Status RabbitMqSubscription::SendSettlements(AmqpConnection& conn) {
  std::vector<Settlement> todo;
  {
    std::lock_guard lock(mu_);
    todo.swap(settlements_);
  }
  for (const Settlement& s : todo) {
    core::Status sent;
    switch (s.action) {
      case Action::kAck:
        sent = conn.Ack(s.delivery_tag);
        break;
      case Action::kRequeue:
      case Action::kDeadLetter:
        sent = conn.Reject(s.delivery_tag, s.action == Action::kRequeue);
        break;
      case Action::kPending: {
        // Acked once every part it republishes is confirmed.
        Split& split = splits_[s.delivery_tag];
        if (s.requeue_count > 0) {
          sent = conn.Republish(queue_, s.requeue, s.requeue_count);
          split_parts_.emplace(next_confirm_++, s.delivery_tag);
          ++split.confirms_left;
        }
        if (sent.ok() && s.dead_letter_count > 0) {
          sent = conn.Republish(dead_letter_queue_, s.dead_letter,
                                s.dead_letter_count);
          split_parts_.emplace(next_confirm_++, s.delivery_tag);
          ++split.confirms_left;
        }
        break;
      }
    }
    if (!sent.ok()) return sent;
  }
  return core::Status::Ok();
}

core::Status RabbitMqSubscription::Confirmed(AmqpConnection& conn, uint64_t tag,
                                             bool multiple, bool ok) {
  auto end = split_parts_.upper_bound(tag);
  auto begin = multiple ? split_parts_.begin() : split_parts_.find(tag);
  if (begin == split_parts_.end()) return core::Status::Ok();
  for (auto it = begin; it != end; ++it) {
    auto split = splits_.find(it->second);
    split->second.refused |= !ok;
    if (--split->second.confirms_left > 0) continue;
    // A part the broker refused: the whole message is delivered again.
    core::Status s = split->second.refused
                         ? conn.Reject(split->first, /*requeue=*/true)
                         : conn.Ack(split->first);
    splits_.erase(split);
    if (!s.ok()) return s;
  }
  split_parts_.erase(begin, end);
  return core::Status::Ok();
}

core::Status RabbitMqSubscription::OnConfirm(AmqpConnection& conn,
                                             const AmqpIncoming& in) {
  switch (in.kind) {
    case AmqpIncoming::Kind::kAck:
    case AmqpIncoming::Kind::kNack:
      return Confirmed(conn, in.tag, in.multiple,
                       in.kind == AmqpIncoming::Kind::kAck);
    case AmqpIncoming::Kind::kReturned:
      // A republished part reached no queue (a return names no confirm
      // tag): every split waiting is delivered again whole instead.
      for (auto& [tag, split] : splits_) split.refused = true;
      return core::Status::Ok();
    default:
      return core::Status::Ok();
  }
}

void RabbitMqSubscription::SettleForClose(AmqpConnection& conn) {
  {
    std::lock_guard lock(mu_);
    for (const auto& [delivery_tag, m] : inbound_) {
      bool any_settled = m.unsettled < m.actions.size();
      if (any_settled) settlements_.push_back(Resolve(delivery_tag, m));
    }
    inbound_.clear();
    handed_out_.clear();
    ready_.clear();
  }
  if (!SendSettlements(conn).ok()) return;
  auto deadline = std::chrono::steady_clock::now() + kCloseConfirmWait;
  while (!splits_.empty() && std::chrono::steady_clock::now() < deadline) {
    core::Result<AmqpIncoming> in = conn.Next(milliseconds(50));
    if (!in.ok()) return;
    if (!OnConfirm(conn, *in).ok()) return;
    // Deliveries arriving now are never handed out: the broker requeues
    // them when the connection closes.
  }
}

core::Status RabbitMqSubscription::Receive(AmqpConnection& conn) {
  milliseconds wait(20);
  for (int frames = 0; frames < 1024; ++frames) {
    core::Result<AmqpIncoming> in = conn.Next(wait);
    if (!in.ok()) return in.status();
    if (in->kind == AmqpIncoming::Kind::kNothing) break;
    wait = milliseconds(0);
    if (in->kind != AmqpIncoming::Kind::kDelivery) {
      core::Status s = OnConfirm(conn, *in);
      if (!s.ok()) return s;
      continue;
    }

    Inbound m;
    std::vector<core::EventPtr> events;
    core::Status bad;
    if (in->event_lines) {
      m.lines = Lines(in->body);
      events.reserve(m.lines.size());
      for (auto [begin, end] : m.lines) {
        auto event = decoder_.Decode(
            std::string_view(in->body).substr(begin, end - begin));
        if (!event.ok()) {
          bad = event.status();
          break;
        }
        events.push_back(std::move(event).value());
      }
    } else {
      auto event = decoder_.Decode(in->body);
      if (event.ok()) {
        events.push_back(std::move(event).value());
      } else {
        bad = event.status();
      }
    }
    if (!bad.ok()) {
      // A poison message: park it whole rather than loop on it forever.
      shared_.undecodable.fetch_add(1, std::memory_order_relaxed);
      shared_.log().Error(
          "undecodable message dead-lettered",
          {{"queue", queue_}, {"routingKey", in->routing_key}, {"error", bad}});
      core::Status s = conn.Reject(in->tag, /*requeue=*/false);
      if (!s.ok()) return s;
      continue;
    }
    m.actions.assign(events.size(), Action::kPending);
    m.unsettled = events.size();
    if (events.size() > 1) m.body = std::move(in->body);
    {
      std::lock_guard lock(mu_);
      for (size_t i = 0; i < events.size(); ++i) {
        uint64_t tag = (generation_ << kGenerationShift) | next_tag_++;
        ready_.push_back({{std::move(events[i]), tag, in->redelivered},
                          in->tag,
                          static_cast<uint32_t>(i)});
      }
      inbound_.emplace(in->tag, std::move(m));
    }
    cv_.notify_all();
  }
  return core::Status::Ok();
}

}  // namespace stockpile::transport
