// The `stockpile` command line (DESIGN.md §8). Each subcommand lives in its
// own file; main only parses and dispatches.
#include <CLI/CLI.hpp>
#include <iostream>

#include "app/commands.h"

int main(int argc, char** argv) {
  CLI::App cli{"Stockpile: event-driven inventory and orders"};
  cli.require_subcommand(1);
  stockpile::app::CommandRegistry commands(cli);
  stockpile::app::AddVersionCommand(commands);
  stockpile::app::AddEventsCommand(commands);
  stockpile::app::AddWalkthroughCommand(commands);
  stockpile::app::AddServeCommand(commands);
  stockpile::app::AddTokenCommand(commands);
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return cli.exit(e);
  }
  return commands.exit_code();
}
