// Subcommands of the `stockpile` binary. Each Add*Command registers one
// subcommand with its options and the function that runs it; the chosen
// one runs from inside CLI11's parse and records its exit code.
#ifndef STOCKPILE_APP_COMMANDS_H_
#define STOCKPILE_APP_COMMANDS_H_

#include <functional>

namespace CLI {
class App;
}  // namespace CLI

namespace stockpile::app {

class CommandRegistry {
 public:
  explicit CommandRegistry(CLI::App& cli) : cli_(cli) {}

  CLI::App& cli() { return cli_; }
  // Wraps `run` so its return value becomes the process exit code.
  std::function<void()> Runner(std::function<int()> run) {
    return [this, run = std::move(run)] { exit_code_ = run(); };
  }
  int exit_code() const { return exit_code_; }

 private:
  CLI::App& cli_;
  int exit_code_ = 0;
};

// stockpile version
void AddVersionCommand(CommandRegistry& commands);
// stockpile events catalog|list|tail
void AddEventsCommand(CommandRegistry& commands);
// stockpile events list|tail (under `events`), dlq list|redrive,
// projections list|rebuild: clients of a running server (remote_commands.cc).
void AddRemoteCommands(CommandRegistry& commands, CLI::App* events);
// stockpile walkthrough: publishes a few domain events through the in-process
// bus and prints what each subscriber received.
void AddWalkthroughCommand(CommandRegistry& commands);
// stockpile serve [--http HOST:PORT] [--data-dir DIR] [--store URL]
void AddServeCommand(CommandRegistry& commands);
// stockpile token --tenant T --role R [--sub ID] [--ttl SECONDS] [--data-dir
// DIR]
void AddTokenCommand(CommandRegistry& commands);

}  // namespace stockpile::app

#endif  // STOCKPILE_APP_COMMANDS_H_
