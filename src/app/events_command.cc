#include <CLI/CLI.hpp>
#include <iostream>

#include "app/commands.h"
#include "domain/event_catalog.h"

namespace stockpile::app {

void AddEventsCommand(CommandRegistry& commands) {
  CLI::App* events =
      commands.cli().add_subcommand("events", "Inspect the event log");
  events->require_subcommand(1);
  CLI::App* catalog = events->add_subcommand(
      "catalog", "Print the event catalog as Markdown (docs/events.md)");
  catalog->callback(commands.Runner([] {
    std::cout << domain::RenderEventCatalogMarkdown();
    return 0;
  }));
  AddRemoteCommands(commands, events);
}

}  // namespace stockpile::app
