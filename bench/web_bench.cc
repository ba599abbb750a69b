// Dashboard benchmark (issue #17 item 5): seeds every desa of the Kemendagri
// list with N activities through the real push path (as report_bench),
// plus 50 in one desa, adds an admin and a kabupaten officer with
// passwords, then runs the real kawal-server and kawal-web binaries on that
// data and times, from an HTTP client on loopback, the national and
// kabupaten overview pages and a desa page with 50 activities (median of
// runs; each page is kawal-web's rendering plus its gRPC calls).
//
//   web_bench [--activities=1000000] [--runs=9]
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "aggregates/aggregates.h"
#include "engine/push_applier.h"
#include "kawal/sync/clock.h"
#include "kawal/sync/schema.h"
#include "store/database.h"
#include "store/sequencer.h"
#include "store/user_store.h"
#include "workload.h"

ABSL_FLAG(int64_t, activities, 100000, "activities loaded through the push path");
ABSL_FLAG(int, runs, 9, "timed requests per page (the median is printed)");
ABSL_FLAG(std::string, regions_file, KAWAL_REGIONS_FILE, "wilayah.csv with the region codes");
ABSL_FLAG(std::string, server_binary, KAWAL_SERVER_BINARY, "kawal-server");
ABSL_FLAG(std::string, web_binary, KAWAL_WEB_BINARY, "kawal-web");

extern char** environ;

namespace {

using Clock = std::chrono::steady_clock;
constexpr char kDesa50[] = "62.10.01.2002";
constexpr char kPassword[] = "bench-password-1";

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

struct Child {
  pid_t pid = -1;
  int port = 0;
};

// Starts `args`, reads its stdout until a line holding `marker` followed by
// the port ("...:PORT"), returns pid and port.
Child Start(const std::vector<std::string>& args, const std::string& marker) {
  int out[2];
  if (pipe(out) != 0) return {};
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_addclose(&actions, out[0]);
  // The servers' per-call log lines would drown the figures.
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  std::vector<char*> argv;
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  Child child;
  if (posix_spawn(&child.pid, argv[0], &actions, nullptr, argv.data(), environ) != 0) return {};
  close(out[1]);
  FILE* in = fdopen(out[0], "r");
  char line[1024];
  while (fgets(line, sizeof line, in) != nullptr) {
    std::string text(line);
    const size_t at = text.find(marker);
    if (at == std::string::npos) continue;
    // "127.0.0.1:42329 (data dir ...)" or "http://127.0.0.1:41311/ (...)".
    std::string address = text.substr(at + marker.size());
    address = address.substr(0, address.find(' '));
    while (!address.empty() && address.back() == '/') address.pop_back();
    const size_t last = address.rfind(':');
    if (last == std::string::npos) continue;
    child.port = std::atoi(address.c_str() + last + 1);
    break;
  }
  // Keep reading (and discarding) so the child never blocks on a full pipe.
  std::thread([in] {
    char buf[4096];
    while (fgets(buf, sizeof buf, in) != nullptr) {
    }
    fclose(in);
  }).detach();
  return child;
}

void Stop(const Child& child) {
  if (child.pid <= 0) return;
  kill(child.pid, SIGTERM);
  int status = 0;
  waitpid(child.pid, &status, 0);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace kawal;
  absl::ParseCommandLine(argc, argv);
  const long activities = static_cast<long>(absl::GetFlag(FLAGS_activities));
  absl::StatusOr<std::vector<std::string>> desa =
      bench::LoadDesa(absl::GetFlag(FLAGS_regions_file), "");
  if (!desa.ok()) {
    std::fprintf(stderr, "web_bench: %s\n", std::string(desa.status().message()).c_str());
    return 1;
  }
  const std::string dir =
      (std::filesystem::temp_directory_path() / ("kawal-web-bench-" + std::to_string(::getpid())))
          .string();
  const int year = 2026;  // of every activity bench::ActivityDelta writes
  {
    auto database = server::Database::Open(dir);
    if (!database.ok()) return 1;
    server::Sequencer sequencer(database->get());
    sync::Clock clock(1);
    server::PushApplier applier(database->get(), &sequencer, &clock, &sync::Schema::Default());
    server::AggregateObserver aggregates;
    applier.AddObserver(&aggregates);
    std::mt19937_64 rng(42);
    auto load_start = Clock::now();
    std::vector<sync::RecordDelta> batch;
    for (long i = 0; i < activities + 50; ++i) {
      const std::string scope =
          i < activities ? (*desa)[rng() % desa->size()] : std::string(kDesa50);
      sync::RecordDelta d = bench::ActivityDelta(clock, "a" + std::to_string(i), scope, rng);
      batch.push_back(std::move(d));
      if (batch.size() == 1000 || i + 1 == activities + 50) {
        auto outcomes = applier.Apply(batch, sync::Writer::kServer, 0);
        if (!outcomes.ok()) {
          std::fprintf(stderr, "load failed: %s\n", std::string(outcomes.status().message()).c_str());
          return 1;
        }
        batch.clear();
      }
    }
    server::UserStore users(database->get());
    for (auto [name, role, scopes] :
         std::vector<std::tuple<std::string, v1::Role, std::vector<std::string>>>{
             {"nasional", v1::ADMIN, {}}, {"gumas", v1::DISTRICT_OFFICER, {"62.10"}}}) {
      if (!users.Add(name, role, scopes).ok() || !users.SetPassword(name, kPassword).ok()) {
        std::fprintf(stderr, "web_bench: cannot add user %s\n", name.c_str());
        return 1;
      }
    }
    std::printf("setup: %zu desa (kelurahan excluded), %ld activities + 50 in %s, load %.1f s\n",
                desa->size(), activities, kDesa50, Seconds(load_start));
  }

  Child server = Start({absl::GetFlag(FLAGS_server_binary), "--data_dir=" + dir,
                        "--listen=127.0.0.1:0", "--regions_file=" + absl::GetFlag(FLAGS_regions_file)},
                       "listening on ");
  if (server.port == 0) {
    std::fprintf(stderr, "web_bench: kawal-server did not start\n");
    return 1;
  }
  Child web = Start({absl::GetFlag(FLAGS_web_binary), "--listen=127.0.0.1:0",
                     "--server=127.0.0.1:" + std::to_string(server.port)},
                    "listening on ");
  if (web.port == 0) {
    Stop(server);
    std::fprintf(stderr, "web_bench: kawal-web did not start\n");
    return 1;
  }

  // Logs in as `user` (CSRF cookie first) and returns the Cookie header.
  auto login = [&](const std::string& user) {
    httplib::Client http("127.0.0.1", web.port);
    auto page = http.Get("/login");
    std::string csrf;
    if (page) {
      const std::string set = page->get_header_value("Set-Cookie");
      const size_t at = set.find("kawal_csrf=");
      if (at != std::string::npos) csrf = set.substr(at + 11, 64);
    }
    httplib::Headers headers = {{"Cookie", "kawal_csrf=" + csrf}};
    auto res = http.Post("/login", headers,
                         "csrf=" + csrf + "&name=" + user + "&password=" + kPassword + "&next=%2F",
                         "application/x-www-form-urlencoded");
    std::string session;
    if (res) {
      for (const auto& [name, value] : res->headers) {
        if (name == "Set-Cookie" && value.rfind("kawal_session=", 0) == 0) {
          session = value.substr(14, value.find(';') - 14);
        }
      }
    }
    return "kawal_session=" + session;
  };
  auto time_page = [&](const std::string& cookie, const std::string& path) {
    httplib::Client http("127.0.0.1", web.port);
    httplib::Headers headers = {{"Cookie", cookie}};
    std::vector<double> ms;
    size_t bytes = 0;
    int status = 0;
    http.Get(path.c_str(), headers);  // warm
    for (int i = 0; i < absl::GetFlag(FLAGS_runs); ++i) {
      auto start = Clock::now();
      auto res = http.Get(path.c_str(), headers);
      ms.push_back(Seconds(start) * 1000);
      status = res ? res->status : -1;
      bytes = res ? res->body.size() : 0;
    }
    std::sort(ms.begin(), ms.end());
    std::printf("%-44s %8.1f ms median  (HTTP %d, %zu bytes)\n", path.c_str(), ms[ms.size() / 2],
                status, bytes);
  };
  const std::string admin = login("nasional");
  const std::string officer = login("gumas");
  const std::string y = "?year=" + std::to_string(year);
  time_page(admin, "/region" + y);
  time_page(admin, "/region/62" + y);
  time_page(officer, "/region/62.10" + y);
  time_page(officer, std::string("/desa/") + kDesa50);
  time_page(officer, "/download/progress/62.10.xlsx" + y);
  Stop(web);
  Stop(server);
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  return 0;
}
