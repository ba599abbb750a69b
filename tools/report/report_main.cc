// kawal-report: the command line for district officers (DPMD). Asks a
// running kawal-server's ReportService for the aggregated progress of the
// areas in a region, or for the villages that have gone silent, and writes
// it as a table, CSV, JSON or one self-contained HTML file.
//
//   kawal-report --region=62.10 [--year=2026] [--level=kecamatan] [--by=sector]
//                [--format=table|csv|json|html] [--out=FILE] [--lang=id|en]
//   kawal-report --region=62.10 --silent_days=30 [--format=...]
//   kawal-report --shards=62.10=HOST:PORT,62.11=HOST:PORT [--region=62] ...
//
// Exit status: 0 on success, 1 when a call or a file fails (one line on
// stderr: "kawal-report: CODE: message"), 2 for a usage error.
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/reflection.h"
#include "absl/flags/usage.h"
#include "absl/flags/usage_config.h"
#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "kawal/sync/region.h"
#include "report/followup_command.h"
#include "report/report_client.h"
#include "report/report_format.h"
#include "report/shard_sum.h"

ABSL_FLAG(std::string, server, "127.0.0.1:7443", "kawal-server address, host:port");
ABSL_FLAG(std::string, token_file, "",
          "file holding a district officer's bearer token (default: $KAWAL_TOKEN_FILE)");
ABSL_FLAG(std::string, tls_ca, "",
          "PEM file of the CA that signed the server's certificate (default: the system's "
          "CAs). TLS is used for every address that is not loopback, and for loopback when "
          "this is set");
ABSL_FLAG(bool, insecure, false,
          "Plaintext to a non-loopback address (warns each time; only behind a trusted link)");
ABSL_FLAG(std::string, region, "", "required: Kemendagri code of the region, e.g. 62.10");
ABSL_FLAG(int, year, 0, "budget year (default: the current year)");
ABSL_FLAG(std::string, level, "",
          "rows per kecamatan, desa, kabupaten or provinsi (default: one level below --region)");
ABSL_FLAG(std::string, by, "", "breakdown of each row: sector, sdg, source or focus");
ABSL_FLAG(std::optional<int>, silent_days, std::nullopt,
          "when given: the freshness report, villages that have not synced for more than N days "
          "or never (0: every village) instead of the progress report");
ABSL_FLAG(bool, conflicts, false,
          "list the open conflicts of --region's villages instead of the progress report");
ABSL_FLAG(bool, all_conflicts, false, "with --conflicts: settled conflicts too");
ABSL_FLAG(std::string, settle, "",
          "settle the conflict with this id (from --conflicts) as --choice says");
ABSL_FLAG(std::string, choice, "",
          "with --settle: winner (keep the current values), loser (write the lost values "
          "again, every field of the lost write) or dismiss (close it; needs --note)");
ABSL_FLAG(std::string, note, "", "with --settle: why (required with --choice=dismiss)");
ABSL_FLAG(bool, problems, false,
          "list the problems (kendala) facilitators noted in progress reports of --region's "
          "villages, by kecamatan and desa (--year: visits of that year only)");
ABSL_FLAG(std::string, format, "table", "table, csv, json or html");
ABSL_FLAG(std::string, out, "", "write to FILE instead of standard output");
ABSL_FLAG(std::string, lang, "id", "language of labels: id (Bahasa Indonesia) or en");
ABSL_FLAG(int, timeout_s, 60, "deadline of each call, in seconds");
ABSL_FLAG(std::string, shards, "",
          "sum the report over region shards: REGION=HOST:PORT,... (each shard's region is "
          "sent as x-kawal-region; HOST:PORT may be the proxy for all); replaces --server, and "
          "--region may then be omitted for the whole country");
ABSL_FLAG(std::string, shard_token_files, "",
          "with --shards: REGION=FILE,... token file per shard (users live on their shard); "
          "shards not listed use --token_file");

namespace kawal::report {
namespace {

constexpr int kExitError = 1;
constexpr int kExitUsage = 2;

constexpr char kUsage[] =
    R"(reports on village development progress from a kawal-server.

Usage:
  kawal-report --region=CODE [--year=YYYY] [--level=LEVEL] [--by=BREAKDOWN]
               [--format=table|csv|json|html] [--out=FILE] [--lang=id|en]
  kawal-report --region=CODE --silent_days=N [--format=...] [--out=FILE]
  kawal-report --shards=REGION=HOST:PORT,... [--shard_token_files=REGION=FILE,...]
               [--region=CODE] [--level=LEVEL] [progress flags as above]
  kawal-report --region=CODE --conflicts [--all_conflicts] [--format=table|csv|json]
  kawal-report --region=CODE --settle=CONFLICT_ID --choice=winner|loser|dismiss [--note=TEXT]
  kawal-report --region=CODE --problems [--year=YYYY] [--format=table|csv|json]
  kawal-report followup add --desa=CODE --action=TEXT --due=YYYY-MM-DD [--activity=ID]
               [--from_report=ID] [--problem=TEXT] [--responsible=USER]
  kawal-report followup list --region=CODE [--status=open|overdue|done|cancelled]
  kawal-report followup edit ID [--region=CODE] [--action=..] [--due=..] [--status=..]
               [--responsible=..] [--problem=..] [--closing_note=..]

  --level      kecamatan, desa, kabupaten or provinsi (default: one below --region)
  --by         sector, sdg, source or focus
  --silent_days  villages not synced for more than N days, or never (the freshness report)
  --shards     sum the progress report over region shards (national or provincial
               reports); without --region, the whole country (admins), by provinsi
  --conflicts  the data conflicts of the region's villages; --settle settles one in
               your name (it reaches the facilitators' devices at their next sync)
  --problems   the kendala noted in progress reports, per kecamatan and desa, for a rakor
  followup     follow-up actions (tindak lanjut) agreed at the district; they reach the
               facilitators' devices at their next sync, who move them to done
Connection: --server (default 127.0.0.1:7443), --token_file (default
  $KAWAL_TOKEN_FILE), --tls_ca, --timeout_s (default 60).

Examples:
  kawal-report --region=62.10 --format=html --out=gunung-mas-2026.html
  kawal-report --region=62.10.01 --level=desa --by=source --format=csv --out=desa.csv
  kawal-report --region=62.10 --silent_days=30
  kawal-report --shards=62.10=proxy:443,62.11=proxy:443 --level=kabupaten \
      --shard_token_files=62.10=gm.token,62.11=pp.token --tls_ca=ca.pem)";

int Fail(const absl::Status& status) {
  std::fprintf(stderr, "kawal-report: %s: %s\n", absl::StatusCodeToString(status.code()).c_str(),
               std::string(status.message()).c_str());
  return kExitError;
}

int UsageError(absl::string_view message) {
  std::fprintf(stderr, "kawal-report: %s\nRun 'kawal-report --help' for usage.\n",
               std::string(message).c_str());
  return kExitUsage;
}


enum class Format { kTable, kCsv, kJson, kHtml };

// What the command line asks for, checked before anything is sent.
struct Request {
  std::string region;
  Format format = Format::kTable;
  Lang lang = Lang::kId;
  std::optional<int> silent_days;
  v1::ProgressRequest progress;
  // --conflicts / --settle instead of a report.
  std::optional<v1::ListConflictsRequest> conflicts;
  std::optional<v1::SettleConflictRequest> settle;
  // --problems instead of a report.
  std::optional<v1::ListProblemsRequest> problems;

  // Asked of one server (the district's shard), not summed over shards.
  bool OneServer() const { return conflicts || settle || problems; }
};

// --conflicts or --settle, when given: checked alone (they take no report
// flags) and filled into `r`.
absl::Status ParseConflictFlags(bool sharded, Request& r) {
  const bool list = absl::GetFlag(FLAGS_conflicts);
  const std::string settle = absl::GetFlag(FLAGS_settle);
  const std::string choice = absl::GetFlag(FLAGS_choice);
  const std::string note = absl::GetFlag(FLAGS_note);
  if (!list && settle.empty()) {
    if (absl::GetFlag(FLAGS_all_conflicts) || !choice.empty() || !note.empty()) {
      return absl::InvalidArgumentError(
          "--all_conflicts goes with --conflicts, --choice and --note with --settle");
    }
    return absl::OkStatus();
  }
  if (list && !settle.empty()) {
    return absl::InvalidArgumentError("--conflicts and --settle exclude each other");
  }
  if (sharded) {
    return absl::InvalidArgumentError(
        "conflicts are per district: ask the district's shard with --server, not --shards");
  }
  if (!absl::GetFlag(FLAGS_level).empty() || !absl::GetFlag(FLAGS_by).empty() ||
      absl::GetFlag(FLAGS_year) != 0 || absl::GetFlag(FLAGS_silent_days).has_value()) {
    return absl::InvalidArgumentError(
        "--level, --by, --year and --silent_days apply to the reports, not to conflicts");
  }
  if (r.format == Format::kHtml) {
    return absl::InvalidArgumentError("conflicts are listed as table, csv or json");
  }
  if (list) {
    r.conflicts.emplace();
    r.conflicts->set_region(r.region);
    r.conflicts->set_include_settled(absl::GetFlag(FLAGS_all_conflicts));
    return absl::OkStatus();
  }
  r.settle.emplace();
  r.settle->set_conflict_id(settle);
  r.settle->set_note(note);
  if (choice == "winner") {
    r.settle->set_choice(v1::SettleConflictRequest::KEEP_WINNER);
  } else if (choice == "loser") {
    r.settle->set_choice(v1::SettleConflictRequest::RESTORE_LOSER);
  } else if (choice == "dismiss") {
    if (note.empty()) return absl::InvalidArgumentError("--choice=dismiss needs --note=WHY");
    r.settle->set_choice(v1::SettleConflictRequest::DISMISS);
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("--settle needs --choice=winner, loser or dismiss, not '", choice, "'"));
  }
  return absl::OkStatus();
}

// --problems, when given: takes --year only; filled into `r`.
absl::Status ParseProblemsFlags(bool sharded, Request& r) {
  if (!absl::GetFlag(FLAGS_problems)) return absl::OkStatus();
  if (r.conflicts.has_value() || r.settle.has_value()) {
    return absl::InvalidArgumentError("--problems excludes --conflicts and --settle");
  }
  if (sharded) {
    return absl::InvalidArgumentError(
        "problems are per district: ask the district's shard with --server, not --shards");
  }
  if (!absl::GetFlag(FLAGS_level).empty() || !absl::GetFlag(FLAGS_by).empty() ||
      absl::GetFlag(FLAGS_silent_days).has_value()) {
    return absl::InvalidArgumentError(
        "--level, --by and --silent_days apply to the reports, not to --problems");
  }
  if (r.format == Format::kHtml) {
    return absl::InvalidArgumentError("problems are listed as table, csv or json");
  }
  const int year = absl::GetFlag(FLAGS_year);
  if (year != 0 && (year < 2015 || year > 2100)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--year must be between 2015 and 2100, not ", year));
  }
  r.problems.emplace();
  r.problems->set_region(r.region);
  r.problems->set_year(year);
  return absl::OkStatus();
}

// Levels from the top; a report's rows are at the region's level or below.
int LevelRank(absl::string_view level) {
  if (level == "provinsi") return 1;
  if (level == "kabupaten") return 2;
  if (level == "kecamatan") return 3;
  if (level == "desa") return 4;
  return 0;
}

absl::StatusOr<Request> ParseRequest(bool sharded) {
  Request r;
  r.region = absl::GetFlag(FLAGS_region);
  // Over shards, no region is the whole country (rows from provinsi down).
  int region_rank = 0;
  if (r.region.empty() && !sharded) {
    return absl::InvalidArgumentError("--region is required, e.g. --region=62.10");
  }
  if (!r.region.empty()) {
    absl::StatusOr<sync::RegionCode> code = sync::RegionCode::Parse(r.region);
    if (!code.ok()) {
      return absl::InvalidArgumentError(absl::StrCat("--region: ", code.status().message()));
    }
    region_rank = static_cast<int>(code->level());
  }

  const std::string format = absl::GetFlag(FLAGS_format);
  if (format == "table") {
    r.format = Format::kTable;
  } else if (format == "csv") {
    r.format = Format::kCsv;
  } else if (format == "json") {
    r.format = Format::kJson;
  } else if (format == "html") {
    r.format = Format::kHtml;
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("--format must be table, csv, json or html, not '", format, "'"));
  }
  if (!ParseLang(absl::GetFlag(FLAGS_lang), &r.lang)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--lang must be id or en, not '", absl::GetFlag(FLAGS_lang), "'"));
  }

  if (absl::Status s = ParseConflictFlags(sharded, r); !s.ok()) return s;
  if (absl::Status s = ParseProblemsFlags(sharded, r); !s.ok()) return s;
  if (r.OneServer()) return r;

  const std::string level = absl::GetFlag(FLAGS_level);
  const std::string by = absl::GetFlag(FLAGS_by);
  const int year = absl::GetFlag(FLAGS_year);
  r.silent_days = absl::GetFlag(FLAGS_silent_days);
  if (r.silent_days.has_value()) {
    if (*r.silent_days < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("--silent_days must be 0 or more, not ", *r.silent_days));
    }
    if (!level.empty() || !by.empty() || year != 0) {
      return absl::InvalidArgumentError(
          "--level, --by and --year apply to the progress report, not to --silent_days");
    }
    if (sharded) {
      return absl::InvalidArgumentError(
          "--silent_days is per district: ask the district's shard with --server, not --shards");
    }
    return r;
  }

  int rank = region_rank == 4 ? 4 : region_rank + 1;
  if (!level.empty()) {
    rank = LevelRank(level);
    if (rank == 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--level must be kecamatan, desa, kabupaten or provinsi, not '", level, "'"));
    }
    if (rank < region_rank) {
      const char* region_level = sync::RegionLevelName(static_cast<sync::RegionLevel>(region_rank));
      return absl::InvalidArgumentError(absl::StrCat("--level=", level, " is above --region=",
                                                     r.region, " (a ", region_level, "); use ",
                                                     region_level, " or a level below it"));
    }
  }
  if (!by.empty() && by != "sector" && by != "sdg" && by != "source" && by != "focus") {
    return absl::InvalidArgumentError(
        absl::StrCat("--by must be sector, sdg, source or focus, not '", by, "'"));
  }
  int report_year = year;
  if (report_year == 0) {
    report_year = absl::ToCivilYear(absl::Now(), absl::LocalTimeZone()).year();
  } else if (report_year < 2015 || report_year > 2100) {
    return absl::InvalidArgumentError(
        absl::StrCat("--year must be between 2015 and 2100, not ", report_year));
  }
  r.progress.set_region(r.region);
  r.progress.set_year(report_year);
  r.progress.set_level(sync::RegionLevelName(static_cast<sync::RegionLevel>(rank)));
  r.progress.set_by(by);
  return r;
}

// The options of a client of `server`, sending `region` as x-kawal-region,
// with the token in `token_file` (else --token_file, else $KAWAL_TOKEN_FILE).
absl::StatusOr<ClientOptions> LoadOptions(const std::string& server, const std::string& region,
                                          const std::string& token_file) {
  std::string path = token_file.empty() ? absl::GetFlag(FLAGS_token_file) : token_file;
  if (path.empty()) {
    const char* env = std::getenv("KAWAL_TOKEN_FILE");
    if (env != nullptr) path = env;
  }
  if (path.empty()) {
    return absl::UnauthenticatedError(
        "no token: pass --token_file=FILE or set KAWAL_TOKEN_FILE (ask IT staff for a "
        "district officer token)");
  }
  return client::LoadClientOptions(server, path, absl::GetFlag(FLAGS_tls_ca),
                                   absl::GetFlag(FLAGS_insecure),
                                   absl::GetFlag(FLAGS_timeout_s), RegionHeader(region));
}

// The calls of one server: problems, or the conflict list, or one
// settlement answered with the settled conflict; formatted.
absl::StatusOr<std::string> RunOneServer(const Request& r, ReportClient& client) {
  if (r.problems.has_value()) {
    v1::ListProblemsResponse problems;
    if (absl::Status s = client.ListProblems(*r.problems, &problems); !s.ok()) return s;
    switch (r.format) {
      case Format::kCsv: return ProblemsCsv(problems);
      case Format::kJson: return ProblemsJson(problems);
      default: return ProblemsTable(problems, r.region, r.lang);
    }
  }
  v1::ListConflictsResponse listed;
  if (r.settle.has_value()) {
    v1::SettleConflictResponse settled;
    if (absl::Status s = client.SettleConflict(*r.settle, &settled); !s.ok()) return s;
    *listed.add_conflicts() = settled.conflict();
  } else if (absl::Status s = client.ListConflicts(*r.conflicts, &listed); !s.ok()) {
    return s;
  }
  switch (r.format) {
    case Format::kCsv: return ConflictsCsv(listed);
    case Format::kJson: return ConflictsJson(listed);
    default: return ConflictsTable(listed, r.region, r.lang);
  }
}

// Makes the calls of an HTML report (also by=sdg for the SDGs Desa chart,
// and without the breakdown for the area charts) or the one call of the
// other formats, and formats the answer.
absl::StatusOr<std::string> Run(const Request& r, ReportSource& client) {
  if (r.silent_days.has_value()) {
    v1::FreshnessRequest request;
    request.set_region(r.region);
    request.set_silent_days(*r.silent_days);
    v1::FreshnessResponse response;
    if (absl::Status s = client.Freshness(request, &response); !s.ok()) return s;
    switch (r.format) {
      case Format::kTable: return FreshnessTable(response, *r.silent_days, r.lang);
      case Format::kCsv: return FreshnessCsv(response);
      case Format::kJson: return FreshnessJson(response);
      case Format::kHtml: return FreshnessHtml(response, *r.silent_days, r.lang);
    }
  }
  v1::ProgressResponse response;
  if (absl::Status s = client.Progress(r.progress, &response); !s.ok()) return s;
  switch (r.format) {
    case Format::kTable: return ProgressTable(response, r.lang);
    case Format::kCsv: return ProgressCsv(response);
    case Format::kJson: return ProgressJson(response);
    case Format::kHtml: {
      // The area charts need the figures without a breakdown (SDG goals and
      // focus tags overlap, so summing their rows would overcount), and the
      // SDGs Desa chart needs by=sdg: one more call for each one missing.
      v1::ProgressResponse per_area, by_sdg;
      const v1::ProgressResponse* areas = &response;
      const v1::ProgressResponse* sdg = &response;
      if (!r.progress.by().empty()) {
        v1::ProgressRequest request = r.progress;
        request.set_by("");
        if (absl::Status s = client.Progress(request, &per_area); !s.ok()) return s;
        areas = &per_area;
      }
      if (r.progress.by() != "sdg") {
        v1::ProgressRequest request = r.progress;
        request.set_by("sdg");
        if (absl::Status s = client.Progress(request, &by_sdg); !s.ok()) return s;
        sdg = &by_sdg;
      }
      return ProgressHtml(response, *areas, *sdg, r.lang);
    }
  }
  return absl::InternalError("unhandled format");
}

// A client per shard of --shards, each with its token file.
absl::StatusOr<std::unique_ptr<ShardedReport>> OpenShards(const std::string& shards_flag,
                                                          const std::string& tokens_flag) {
  absl::StatusOr<std::vector<ShardAddress>> shards = ParseShards(shards_flag);
  if (!shards.ok()) return shards.status();
  std::map<std::string, std::string> token_files;
  if (!tokens_flag.empty()) {
    absl::StatusOr<std::map<std::string, std::string>> files =
        ParseRegionPairs(tokens_flag, "--shard_token_files");
    if (!files.ok()) return files.status();
    token_files = *std::move(files);
  }
  std::vector<std::unique_ptr<ReportClient>> clients;
  for (const ShardAddress& shard : *shards) {
    auto file = token_files.find(shard.region);
    absl::StatusOr<ClientOptions> options = LoadOptions(
        shard.server, shard.region, file == token_files.end() ? "" : file->second);
    if (!options.ok()) {
      return absl::Status(options.status().code(), absl::StrCat("shard ", shard.region, ": ",
                                                                options.status().message()));
    }
    clients.push_back(std::make_unique<ReportClient>(*std::move(options)));
    if (file != token_files.end()) token_files.erase(file);
  }
  if (!token_files.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--shard_token_files names region ", token_files.begin()->first, ", not in --shards"));
  }
  return std::make_unique<ShardedReport>(*std::move(shards), std::move(clients));
}

absl::Status Write(const std::string& path, const std::string& text) {
  FILE* file = path.empty() ? stdout : std::fopen(path.c_str(), "wb");
  if (file == nullptr) {
    const int error = errno;
    std::string message = absl::StrCat("cannot write ", path, ": ", std::strerror(error));
    if (error == EACCES || error == EROFS) return absl::PermissionDeniedError(message);
    if (error == ENOENT || error == ENOTDIR) return absl::NotFoundError(message);
    return absl::UnavailableError(message);
  }
  bool ok = std::fwrite(text.data(), 1, text.size(), file) == text.size();
  if (!text.empty() && text.back() != '\n') ok = ok && std::fputc('\n', file) != EOF;
  const int error = errno;
  ok = (path.empty() ? std::fflush(file) == 0 : std::fclose(file) == 0) && ok;
  if (!ok) {
    return absl::DataLossError(absl::StrCat("cannot write ", path.empty() ? "output" : path, ": ",
                                            std::strerror(error != 0 ? error : errno)));
  }
  return absl::OkStatus();
}

// `kawal-report followup VERB ...` (followup_command.h): one server.
int FollowUpMain(const std::vector<std::string>& words) {
  if (!absl::GetFlag(FLAGS_shards).empty()) {
    return UsageError("follow-ups are per district: ask the district's shard with --server");
  }
  absl::StatusOr<FollowUpCall> call = ParseFollowUpCall(words);
  if (!call.ok()) return UsageError(call.status().message());
  const std::string format = absl::GetFlag(FLAGS_format);
  if (format != "table" && format != "csv" && format != "json") {
    return UsageError("follow-ups are shown as table, csv or json");
  }
  Lang lang = Lang::kId;
  if (!ParseLang(absl::GetFlag(FLAGS_lang), &lang)) {
    return UsageError(absl::StrCat("--lang must be id or en, not '", absl::GetFlag(FLAGS_lang), "'"));
  }
  absl::StatusOr<ClientOptions> options = LoadOptions(absl::GetFlag(FLAGS_server), call->region, "");
  if (!options.ok()) return Fail(options.status());
  ReportClient client(*std::move(options));
  absl::StatusOr<std::string> text = RunFollowUpCall(*call, client, format, lang);
  if (!text.ok()) return Fail(text.status());
  if (absl::Status s = Write(absl::GetFlag(FLAGS_out), *text); !s.ok()) return Fail(s);
  return 0;
}

int Main(int argc, char** argv) {
  // gRPC's own log lines would repeat the one error line this tool prints.
  setenv("GRPC_VERBOSITY", "NONE", /*overwrite=*/0);
  absl::SetProgramUsageMessage(kUsage);
  absl::FlagsUsageConfig usage_config;
  usage_config.contains_help_flags = [](absl::string_view path) {
    return absl::EndsWith(path, "report_main.cc") || absl::EndsWith(path, "followup_command.cc");
  };
  usage_config.contains_helpshort_flags = usage_config.contains_help_flags;
  usage_config.version_string = [] { return client::VersionString("kawal-report"); };
  absl::SetFlagsUsageConfig(usage_config);
  if (std::string error = client::CheckFlagSyntax(argc, argv); !error.empty()) return UsageError(error);
  std::vector<char*> positional = absl::ParseCommandLine(argc, argv);
  if (positional.size() > 1 && absl::string_view(positional[1]) == "followup") {
    return FollowUpMain(std::vector<std::string>(positional.begin() + 2, positional.end()));
  }
  if (positional.size() > 1) {
    return UsageError(absl::StrCat("unexpected argument '", positional[1],
                                   "' (kawal-report takes flags only)"));
  }
  if (absl::GetFlag(FLAGS_timeout_s) <= 0) {
    return UsageError(absl::StrCat("--timeout_s must be at least 1, not ",
                                   absl::GetFlag(FLAGS_timeout_s)));
  }
  if (absl::GetFlag(FLAGS_server).empty()) return UsageError("--server must not be empty");
  const std::string shards_flag = absl::GetFlag(FLAGS_shards);
  absl::StatusOr<Request> request = ParseRequest(!shards_flag.empty());
  if (!request.ok()) return UsageError(request.status().message());

  if (!shards_flag.empty()) {
    for (int i = 1; i < argc; ++i) {
      if (absl::StartsWith(argv[i], "--server=") || absl::string_view(argv[i]) == "--server") {
        return UsageError("--server and --shards exclude each other (--shards names each "
                          "shard's address)");
      }
    }
  }
  std::unique_ptr<ReportSource> source;
  if (shards_flag.empty()) {
    if (!absl::GetFlag(FLAGS_shard_token_files).empty()) {
      return UsageError("--shard_token_files needs --shards");
    }
    absl::StatusOr<ClientOptions> options =
        LoadOptions(absl::GetFlag(FLAGS_server), request->region, "");
    if (!options.ok()) return Fail(options.status());
    if (request->OneServer()) {
      ReportClient client(*std::move(options));
      absl::StatusOr<std::string> text = RunOneServer(*request, client);
      if (!text.ok()) return Fail(text.status());
      if (absl::Status s = Write(absl::GetFlag(FLAGS_out), *text); !s.ok()) return Fail(s);
      return 0;
    }
    source = std::make_unique<ReportClient>(*std::move(options));
  } else {
    absl::StatusOr<std::unique_ptr<ShardedReport>> sharded =
        OpenShards(shards_flag, absl::GetFlag(FLAGS_shard_token_files));
    if (absl::IsInvalidArgument(sharded.status())) return UsageError(sharded.status().message());
    if (!sharded.ok()) return Fail(sharded.status());
    source = *std::move(sharded);
  }
  absl::StatusOr<std::string> text = Run(*request, *source);
  if (!text.ok()) return Fail(text.status());
  if (absl::Status s = Write(absl::GetFlag(FLAGS_out), *text); !s.ok()) return Fail(s);
  return 0;
}

}  // namespace
}  // namespace kawal::report

int main(int argc, char** argv) { return kawal::report::Main(argc, argv); }
