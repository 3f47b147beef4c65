// `stockpile walkthrough`: a guided tour of the event model for a newcomer.
// It builds a few domain events of one order's life, publishes them through
// the in-process bus to subscribers with AMQP topic patterns, and prints what
// each subscriber received, with the correlation/causation chain.
#include <CLI/CLI.hpp>
#include <iostream>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "app/commands.h"
#include "bus/in_process_bus.h"
#include "core/clock.h"
#include "core/event.h"
#include "core/event_codec.h"
#include "core/uuid.h"

namespace stockpile::app {

namespace {

struct Received {
  std::string subscriber;
  std::string event_type;
  std::string aggregate_id;
};

int RunWalkthrough(bool show_json) {
  core::SystemClock clock;
  core::UuidV7Generator ids(clock);
  bus::InProcessBus bus;

  std::mutex mu;
  std::vector<Received> received;  // guarded by mu
  std::vector<bus::Subscription> subscriptions;
  const std::vector<std::pair<std::string, std::string>> subscribers = {
      {"inventory", "order.created"},
      {"orders-saga", "inventory.stock.*"},
      {"notifications", "inventory.stock.low"},
      {"billing", "order.confirmed"},
      {"order-history", "order.#"},
      {"analytics", "#"},
  };
  std::cout << "Subscribers (name <- topic pattern):\n";
  for (const auto& [name, pattern] : subscribers) {
    std::cout << "  " << name << " <- " << pattern << "\n";
    core::Result<bus::Subscription> sub = bus.Subscribe(
        pattern,
        [&mu, &received, name = name](const bus::EventRef& e) {
          std::lock_guard<std::mutex> lock(mu);
          received.push_back({name, e->event_type, e->aggregate_id});
          return core::Status::Ok();
        },
        {.name = name});
    if (!sub.ok()) {
      std::cerr << "subscribe failed: " << sub.status() << "\n";
      return 1;
    }
    subscriptions.push_back(std::move(sub).value());
  }

  // One order's life: created -> stock reserved (and now low) -> confirmed.
  core::EventPtr created =
      core::EventBuilder("order.created")
          .Aggregate("order", "ord-1001")
          .Tenant("demo")
          .Source("orders")
          .Correlation("req-walkthrough-1")
          .Payload({{"orderId", "ord-1001"},
                    {"orderNumber", "ORD-1001"},
                    {"customerId", "customer-001"},
                    {"items", boost::json::array{{{"productId", "product-001"},
                                                  {"quantity", 2},
                                                  {"unitPrice", 99.99}}}},
                    {"totalAmount", 199.98},
                    {"currency", "USD"}})
          .Build(ids, clock);
  core::EventPtr reserved =
      core::EventBuilder("inventory.stock.reserved")
          .Aggregate("inventory_reservation", "ord-1001")
          .Source("inventory")
          .CausedBy(*created)
          .Payload({{"orderId", "ord-1001"},
                    {"lines", boost::json::array{{{"productId", "product-001"},
                                                  {"locationId", "main"},
                                                  {"quantity", 2}}}}})
          .Build(ids, clock);
  core::EventPtr low = core::EventBuilder("inventory.stock.low")
                           .Aggregate("inventory_position", "product-001@main")
                           .Source("inventory")
                           .CausedBy(*reserved)
                           .Payload({{"productId", "product-001"},
                                     {"locationId", "main"},
                                     {"available", 3},
                                     {"reorderPoint", 5}})
                           .Build(ids, clock);
  core::EventPtr confirmed = core::EventBuilder("order.confirmed")
                                 .Aggregate("order", "ord-1001")
                                 .Source("orders")
                                 .CausedBy(*reserved)
                                 .Payload({{"orderId", "ord-1001"}})
                                 .Build(ids, clock);

  std::cout << "\nPublishing one order's events through the in-process bus:\n";
  for (const core::EventPtr& e : {created, reserved, low, confirmed}) {
    {
      std::lock_guard<std::mutex> lock(mu);
      received.clear();
    }
    if (core::Status s = bus.Publish(e); !s.ok()) {
      std::cerr << "publish failed: " << s << "\n";
      return 1;
    }
    std::cout << "\n"
              << e->event_type << "  (eventId " << e->event_id
              << ", causationId "
              << (e->causation_id().empty() ? "-" : e->causation_id()) << ")\n";
    std::lock_guard<std::mutex> lock(mu);
    if (received.empty()) std::cout << "  no subscriber matched\n";
    for (const Received& r : received) {
      std::cout << "  -> " << r.subscriber << " received " << r.event_type
                << " for " << r.aggregate_id << "\n";
    }
    if (show_json) std::cout << "  " << core::EncodeEvent(*e) << "\n";
  }

  std::cout << "\nAll four share correlationId " << created->correlation_id()
            << ".\n\nDeliveries per subscriber:\n";
  for (const auto& [name, stats] : bus.Stats()) {
    std::cout << "  " << name << ": " << stats.delivered << " delivered, "
              << stats.failed << " failed\n";
  }
  return 0;
}

}  // namespace

void AddWalkthroughCommand(CommandRegistry& commands) {
  CLI::App* cmd = commands.cli().add_subcommand(
      "walkthrough",
      "Publish a few domain events through the in-process bus and show what "
      "each subscriber received");
  auto show_json = std::make_shared<bool>(false);
  cmd->add_flag("--json", *show_json, "Also print each event's JSON envelope");
  cmd->callback(
      commands.Runner([show_json] { return RunWalkthrough(*show_json); }));
}

}  // namespace stockpile::app
