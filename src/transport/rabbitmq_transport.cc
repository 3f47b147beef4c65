#include "transport/rabbitmq_transport.h"

#include <algorithm>
#include <charconv>
#include <string>
#include <string_view>
#include <utility>

#include "core/status_macros.h"
#include "core/topic_pattern.h"
#include "transport/rabbitmq_publisher.h"
#include "transport/rabbitmq_shared.h"
#include "transport/rabbitmq_subscription.h"

namespace stockpile::transport {
namespace {

class RabbitMqTransport final : public Transport {
 public:
  RabbitMqTransport(AmqpEndpoint endpoint, const RabbitMqOptions& options)
      : shared_(std::move(endpoint), options.prefix, options.amqp,
                options.reconnect, options.logger),
        publisher_(shared_,
                   {.max_in_flight = options.max_in_flight,
                    .max_events_per_message = options.max_events_per_message,
                    .max_message_bytes = options.max_message_bytes,
                    .publish_timeout = options.publish_timeout}) {}

  core::Status DeclareTopology(const Topology& topology) override {
    for (const QueueSpec& q : topology.queues) {
      RETURN_IF_ERROR(ValidateQueueName(q.name));
      for (const std::string& b : q.bindings) {
        RETURN_IF_ERROR(core::ValidateTopicPattern(b));
      }
    }
    return shared_.Declare(topology);
  }

  PublishResult Publish(std::span<const core::EventPtr> events) override {
    return publisher_.Publish(events);
  }

  core::Result<std::unique_ptr<Subscription>> Consume(
      std::string_view queue, const ConsumeOptions& options) override {
    if (options.prefetch == 0) {
      return core::InvalidArgumentError("prefetch must be at least 1");
    }
    if (!shared_.HasQueue(queue)) {
      return core::NotFoundError("queue '" + std::string(queue) +
                                 "' is not declared");
    }
    return std::unique_ptr<Subscription>(std::make_unique<RabbitMqSubscription>(
        shared_, shared_.names().Queue(queue), options.prefetch));
  }

  TransportStats Stats() const override {
    return {.state = publisher_.state(),
            .reconnects = shared_.reconnects.load(),
            .unconfirmed = publisher_.unconfirmed(),
            .returned = shared_.returned.load(),
            .published = publisher_.published()};
  }

 private:
  RabbitMqShared shared_;
  RabbitMqPublisher publisher_;  // after shared_, which it uses
};

}  // namespace

core::Status ApplyAmqpUrlQuery(RabbitMqOptions& options) {
  size_t q = options.url.find('?');
  if (q == std::string::npos) return core::Status::Ok();
  std::string_view query = std::string_view(options.url).substr(q + 1);
  while (!query.empty()) {
    std::string_view item = query.substr(0, query.find('&'));
    query.remove_prefix(std::min(query.size(), item.size() + 1));
    constexpr std::string_view kKey = "events_per_message=";
    size_t n = 0;
    if (!item.starts_with(kKey)) {
      return core::InvalidArgumentError("AMQP URL: unknown parameter '" +
                                        std::string(item) +
                                        "' (known: events_per_message)");
    }
    std::string_view value = item.substr(kKey.size());
    auto [end, ec] =
        std::from_chars(value.data(), value.data() + value.size(), n);
    if (ec != std::errc() || end != value.data() + value.size() || n < 1 ||
        n > 10000) {
      return core::InvalidArgumentError(
          "AMQP URL: events_per_message must be a number from 1 to 10000, "
          "not '" +
          std::string(value) + "'");
    }
    options.max_events_per_message = n;
  }
  options.url.resize(q);
  return core::Status::Ok();
}

core::Result<std::unique_ptr<Transport>> MakeRabbitMqTransport(
    RabbitMqOptions options) {
  RETURN_IF_ERROR(ApplyAmqpUrlQuery(options));
  ASSIGN_OR_RETURN(AmqpEndpoint endpoint, ParseAmqpUrl(options.url));
  core::Status prefix = core::ValidateRoutingKey(options.prefix);
  if (!prefix.ok()) return prefix.WithContext("RabbitMQ name prefix");
  return std::unique_ptr<Transport>(
      std::make_unique<RabbitMqTransport>(std::move(endpoint), options));
}

}  // namespace stockpile::transport
