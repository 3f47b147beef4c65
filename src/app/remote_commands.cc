// `stockpile events list|tail`, `dlq list|redrive`, `projections
// list|rebuild` (DESIGN.md §8): each talks to a running server over its HTTP
// API (api_client.h) and prints one line per item, or the JSON with --json.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include "app/api_client.h"
#include "app/commands.h"

namespace stockpile::app {

namespace {

struct Remote {
  std::string url = "http://127.0.0.1:8080";
  std::string token;
  std::string data_dir = "./stockpile-data";
  std::string tenant = "demo";
  bool json = false;
};

void AddRemoteOptions(CLI::App* cmd, const std::shared_ptr<Remote>& r) {
  cmd->add_option("--url", r->url, "the server (default http://127.0.0.1:8080)")
      ->envname("STOCKPILE_URL");
  cmd->add_option("--token", r->token,
                  "bearer token (env STOCKPILE_TOKEN; default: one minted "
                  "from --data-dir's secret for --tenant, role admin)");
  cmd->add_option("--data-dir", r->data_dir,
                  "where `serve` keeps its token secret (default "
                  "./stockpile-data)");
  cmd->add_option("--tenant", r->tenant,
                  "tenant of a minted token (default demo)");
  cmd->add_flag("--json", r->json, "print the server's JSON");
}

// Runs `call` against the server and maps failures to exit codes: 1 for
// an error reply or an unreachable server, 2 for bad options.
int WithClient(const Remote& r,
               const std::function<int(const ApiClient&)>& call) {
  auto token =
      ResolveCliToken(r.token, r.data_dir, r.tenant, ProcessEnvironment());
  if (!token.ok()) {
    std::cerr << "stockpile: " << token.status().message() << "\n";
    return 2;
  }
  auto client = ApiClient::Create(r.url, *token);
  if (!client.ok()) {
    std::cerr << "stockpile: " << client.status().message() << "\n";
    return 2;
  }
  return call(*client);
}

// The reply's JSON, or nullopt after printing why not.
std::optional<boost::json::value> Expect(const core::Result<ApiReply>& reply,
                                         int status) {
  if (!reply.ok()) {
    std::cerr << "stockpile: " << reply.status().message() << "\n";
    return std::nullopt;
  }
  if (reply->status != status) {
    std::cerr << "stockpile: " << reply->Error() << "\n";
    return std::nullopt;
  }
  return reply->body;
}

std::string Str(const boost::json::value& v, std::string_view key) {
  if (!v.is_object()) return "";
  const auto* f = v.as_object().if_contains(key);
  if (f == nullptr) return "";
  if (f->is_string()) return std::string(f->as_string());
  if (f->is_null()) return "-";
  return boost::json::serialize(*f);
}

void PrintEvent(const boost::json::value& e) {
  std::cout << Str(e, "position") << "  " << Str(e, "timestamp") << "  "
            << Str(e, "eventType") << "  " << Str(e, "aggregateType") << "/"
            << Str(e, "aggregateId") << "\n";
}

std::string EventsTarget(int64_t after, int64_t limit, const std::string& type,
                         const std::string& stream) {
  std::string t = "/api/v1/events?after=" + std::to_string(after) +
                  "&limit=" + std::to_string(limit);
  auto escape = [](const std::string& s) {
    std::string out;
    for (unsigned char c : s) {
      if (std::isalnum(c) != 0 || c == '.' || c == '-' || c == '_') {
        out.push_back(static_cast<char>(c));
      } else {
        char buf[4];
        std::snprintf(buf, sizeof(buf), "%%%02X", c);
        out += buf;
      }
    }
    return out;
  };
  if (!type.empty()) t += "&type=" + escape(type);
  if (!stream.empty()) t += "&stream=" + escape(stream);
  return t;
}

struct EventsQuery {
  int64_t after = 0;
  int64_t limit = 100;
  std::string type;
  std::string stream;
  bool from_start = false;
};

// Prints one page; returns the next cursor, or -1 on error.
int64_t PrintEventsPage(const ApiClient& api, const Remote& r,
                        const EventsQuery& q, int64_t after) {
  auto body = Expect(
      api.Call("GET", EventsTarget(after, q.limit, q.type, q.stream)), 200);
  if (!body) return -1;
  for (const auto& e : body->as_object().at("items").as_array()) {
    if (r.json) {
      std::cout << boost::json::serialize(e) << "\n";
    } else {
      PrintEvent(e);
    }
    after = std::max(after, e.as_object().at("position").to_number<int64_t>());
  }
  const auto& next = body->as_object().at("next");
  if (next.is_number()) after = std::max(after, next.to_number<int64_t>());
  std::cout << std::flush;
  return after;
}

void AddEventsRemote(CommandRegistry& commands, CLI::App* events) {
  auto r = std::make_shared<Remote>();
  auto q = std::make_shared<EventsQuery>();
  CLI::App* list = events->add_subcommand(
      "list", "Print events of the log: position, time, type, aggregate");
  AddRemoteOptions(list, r);
  list->add_option("--after", q->after, "exclusive position (default 0)");
  list->add_option("--limit", q->limit, "events per page, 1-1000 (100)");
  list->add_option("--type", q->type, "type pattern, e.g. 'order.*'");
  list->add_option("--stream", q->stream, "only this stream");
  list->callback(commands.Runner([r, q] {
    return WithClient(*r, [&](const ApiClient& api) {
      return PrintEventsPage(api, *r, *q, q->after) < 0 ? 1 : 0;
    });
  }));

  auto tr = std::make_shared<Remote>();
  auto tq = std::make_shared<EventsQuery>();
  CLI::App* tail = events->add_subcommand(
      "tail",
      "Follow the log: print new events as they are appended (Ctrl-C "
      "stops)");
  AddRemoteOptions(tail, tr);
  tail->add_option("--type", tq->type, "type pattern, e.g. 'inventory.#'");
  tail->add_flag("--from-start", tq->from_start,
                 "print the whole log first instead of starting at the head");
  tail->callback(commands.Runner([tr, tq] {
    return WithClient(*tr, [&](const ApiClient& api) {
      int64_t after = 0;
      if (!tq->from_start) {
        // Start at the head, as GET /projections reports it.
        auto projections = Expect(api.Call("GET", "/api/v1/projections"), 200);
        if (!projections) return 1;
        for (const auto& p : projections->as_object().at("items").as_array()) {
          after =
              std::max(after, p.as_object().at("head").to_number<int64_t>());
        }
      }
      tq->limit = 1000;
      for (;;) {
        const int64_t next = PrintEventsPage(api, *tr, *tq, after);
        if (next < 0) return 1;
        if (next == after) {
          std::this_thread::sleep_for(std::chrono::milliseconds(500));
        }
        after = next;
      }
    });
  }));
}

void PrintDeadLetter(const boost::json::value& d) {
  std::cout << Str(d, "id") << "  " << Str(d, "subscription") << "  "
            << Str(d, "eventType") << "  attempts=" << Str(d, "attempts")
            << "  " << Str(d, "state") << "  " << Str(d, "error") << "\n";
}

void AddDlqCommands(CommandRegistry& commands) {
  CLI::App* dlq = commands.cli().add_subcommand(
      "dlq", "Dead letters of a running server's subscriptions");
  dlq->require_subcommand(1);
  auto r = std::make_shared<Remote>();
  auto subscription = std::make_shared<std::string>();
  CLI::App* list = dlq->add_subcommand(
      "list", "Print dead letters: id, subscription, type, attempts, error");
  AddRemoteOptions(list, r);
  list->add_option("--subscription", *subscription, "only this subscription");
  list->callback(commands.Runner([r, subscription] {
    return WithClient(*r, [&](const ApiClient& api) {
      std::string target = "/api/v1/dlq";
      if (!subscription->empty()) target += "?subscription=" + *subscription;
      auto body = Expect(api.Call("GET", target), 200);
      if (!body) return 1;
      if (r->json) {
        std::cout << boost::json::serialize(*body) << "\n";
        return 0;
      }
      for (const auto& d : body->as_object().at("items").as_array()) {
        PrintDeadLetter(d);
      }
      return 0;
    });
  }));

  auto rr = std::make_shared<Remote>();
  auto ids = std::make_shared<std::vector<std::string>>();
  CLI::App* redrive = dlq->add_subcommand(
      "redrive", "Hand dead letters back to their subscription (admin)");
  AddRemoteOptions(redrive, rr);
  redrive->add_option("ID", *ids, "dead letter ids")->required();
  redrive->callback(commands.Runner([rr, ids] {
    return WithClient(*rr, [&](const ApiClient& api) {
      int failed = 0;
      for (const std::string& id : *ids) {
        auto body =
            Expect(api.Call("POST", "/api/v1/dlq/" + id + "/redrive"), 200);
        if (!body) {
          ++failed;
          continue;
        }
        std::cout << id << "  " << Str(*body, "state") << "\n";
      }
      return failed == 0 ? 0 : 1;
    });
  }));
}

void PrintProjection(const boost::json::value& p) {
  std::cout << Str(p, "name") << "  " << Str(p, "state")
            << "  position=" << Str(p, "position") << "  lag=" << Str(p, "lag")
            << "  rebuilds=" << Str(p, "generation")
            << "  lastRebuildAt=" << Str(p, "lastRebuildAt") << "\n";
}

// One line of progress, redrawn in place on a terminal.
void DrawProgress(const boost::json::value& p, bool tty) {
  const auto& rb = p.as_object().at("rebuild");
  const double percent = rb.as_object().at("percent").to_number<double>();
  const int width = 30;
  const int filled = static_cast<int>(percent / 100.0 * width);
  std::string bar(static_cast<size_t>(std::clamp(filled, 0, width)), '#');
  bar.resize(width, '.');
  char line[160];
  std::snprintf(line, sizeof(line), "%s [%s] %5.1f%%  %s/%s positions",
                Str(p, "name").c_str(), bar.c_str(), percent,
                Str(rb, "done").c_str(), Str(rb, "total").c_str());
  if (tty) {
    std::cerr << "\r" << line << std::flush;
  } else {
    std::cerr << line << "\n";
  }
}

void AddProjectionCommands(CommandRegistry& commands) {
  CLI::App* projections = commands.cli().add_subcommand(
      "projections", "Read models of a running server and their rebuild");
  projections->require_subcommand(1);
  auto r = std::make_shared<Remote>();
  CLI::App* list = projections->add_subcommand(
      "list", "Print each read model: state, position, lag, rebuilds");
  AddRemoteOptions(list, r);
  list->callback(commands.Runner([r] {
    return WithClient(*r, [&](const ApiClient& api) {
      auto body = Expect(api.Call("GET", "/api/v1/projections"), 200);
      if (!body) return 1;
      if (r->json) {
        std::cout << boost::json::serialize(*body) << "\n";
        return 0;
      }
      for (const auto& p : body->as_object().at("items").as_array()) {
        PrintProjection(p);
      }
      return 0;
    });
  }));

  auto rr = std::make_shared<Remote>();
  auto name = std::make_shared<std::string>();
  CLI::App* rebuild = projections->add_subcommand(
      "rebuild",
      "Replay the log into a fresh copy of read model NAME and swap it in "
      "(admin); shows progress and waits until it is done");
  AddRemoteOptions(rebuild, rr);
  rebuild->add_option("NAME", *name, "products, suppliers, orders, users")
      ->required();
  rebuild->callback(commands.Runner([rr, name] {
    return WithClient(*rr, [&](const ApiClient& api) {
      auto started = Expect(
          api.Call("POST", "/api/v1/projections/" + *name + "/rebuild"), 202);
      if (!started) return 1;
      const int64_t generation =
          started->as_object().at("generation").to_number<int64_t>();
      const bool tty = ::isatty(STDERR_FILENO) == 1;
      for (;;) {
        auto now = Expect(api.Call("GET", "/api/v1/projections/" + *name), 200);
        if (!now) return 1;
        DrawProgress(*now, tty);
        const auto& o = now->as_object();
        if (!o.at("rebuild").as_object().at("running").as_bool()) {
          if (tty) std::cerr << "\n";
          if (o.at("generation").to_number<int64_t>() > generation) {
            std::cout << *name << " rebuilt in "
                      << Str(*now, "lastRebuildDurationMs") << " ms, position "
                      << Str(*now, "position") << "\n";
            return 0;
          }
          std::cerr << "stockpile: rebuild failed: " << Str(*now, "lastError")
                    << "\n";
          return 1;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
      }
    });
  }));
}

}  // namespace

void AddRemoteCommands(CommandRegistry& commands, CLI::App* events) {
  AddEventsRemote(commands, events);
  AddDlqCommands(commands);
  AddProjectionCommands(commands);
}

}  // namespace stockpile::app
