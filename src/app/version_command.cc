#include <CLI/CLI.hpp>
#include <iostream>

#include "app/commands.h"
#include "app/version.h"

namespace stockpile::app {

void AddVersionCommand(CommandRegistry& commands) {
  CLI::App* cmd = commands.cli().add_subcommand("version", "Print the version");
  cmd->callback(commands.Runner([] {
    std::cout << "stockpile " << kVersion << "\n";
    return 0;
  }));
}

}  // namespace stockpile::app
