#include "report/shard_sum.h"

#include <map>
#include <utility>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/reflection.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "kawal/sync/region.h"

namespace kawal::report {
namespace {

using google::protobuf::FieldDescriptor;

// Adds the counters of one map<string, int64> field.
void AddCounterMap(const google::protobuf::Map<std::string, int64_t>& from,
                   google::protobuf::Map<std::string, int64_t>* into) {
  for (const auto& [key, value] : from) (*into)[key] += value;
}

using RowKey = std::pair<std::string, std::string>;  // area code, breakdown key

void AddRows(const google::protobuf::RepeatedPtrField<v1::AreaRow>& rows,
             std::map<RowKey, v1::AreaRow>* sums) {
  for (const v1::AreaRow& row : rows) {
    auto [it, added] = sums->try_emplace(RowKey{row.code(), row.key()}, row);
    if (added) continue;
    v1::AreaRow& sum = it->second;
    if (sum.name().empty()) sum.set_name(row.name());
    if (sum.key_label().empty()) sum.set_key_label(row.key_label());
    AddFigures(row.figures(), sum.mutable_figures());
  }
}

}  // namespace

absl::StatusOr<std::map<std::string, std::string>> ParseRegionPairs(absl::string_view text,
                                                                    absl::string_view flag) {
  std::map<std::string, std::string> pairs;
  for (absl::string_view entry : absl::StrSplit(text, ',', absl::SkipWhitespace())) {
    entry = absl::StripAsciiWhitespace(entry);
    const size_t eq = entry.find('=');
    if (eq == absl::string_view::npos || eq + 1 == entry.size()) {
      return absl::InvalidArgumentError(
          absl::StrCat(flag, " entry '", entry, "' must be REGION=VALUE, e.g. 62.10=..."));
    }
    const std::string region(entry.substr(0, eq));
    if (absl::StatusOr<sync::RegionCode> code = sync::RegionCode::Parse(region); !code.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(flag, ": ", code.status().message()));
    }
    if (!pairs.emplace(region, std::string(entry.substr(eq + 1))).second) {
      return absl::InvalidArgumentError(absl::StrCat(flag, " names region ", region, " twice"));
    }
  }
  if (pairs.empty()) return absl::InvalidArgumentError(absl::StrCat(flag, " names no region"));
  return pairs;
}

absl::StatusOr<std::vector<ShardAddress>> ParseShards(absl::string_view text) {
  absl::StatusOr<std::map<std::string, std::string>> pairs = ParseRegionPairs(text, "--shards");
  if (!pairs.ok()) return pairs.status();
  std::vector<ShardAddress> shards;
  for (const auto& [region, server] : *pairs) {
    if (sync::RegionCode::Parse(region)->level() > sync::RegionLevel::kKabupaten) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--shards: ", region, " is below a kabupaten; a shard serves kabupaten or provinces"));
    }
    if (server.find(':') == std::string::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat("--shards: the address of ", region, ", '", server, "', is not HOST:PORT"));
    }
    shards.push_back({region, server});
  }
  return shards;
}

void AddFigures(const v1::AreaFigures& from, v1::AreaFigures* into) {
  // Every int64 field and int64 map is a counter (report.proto); walking the
  // descriptor keeps the sum right when counters are added to the message.
  // Doubles are derived and recomputed below.
  const google::protobuf::Descriptor* descriptor = v1::AreaFigures::descriptor();
  const google::protobuf::Reflection* reflection = v1::AreaFigures::GetReflection();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const FieldDescriptor* field = descriptor->field(i);
    if (!field->is_repeated() && field->cpp_type() == FieldDescriptor::CPPTYPE_INT64) {
      reflection->SetInt64(into, field,
                           reflection->GetInt64(*into, field) + reflection->GetInt64(from, field));
    }
  }
  AddCounterMap(from.activities_by_status(), into->mutable_activities_by_status());
  AddCounterMap(from.budget_by_source(), into->mutable_budget_by_source());
  AddCounterMap(from.spent_by_source(), into->mutable_spent_by_source());
  AddCounterMap(from.activities_by_focus(), into->mutable_activities_by_focus());
  AddCounterMap(from.budget_by_focus(), into->mutable_budget_by_focus());
  // As the server computes them (FiguresFromCounters): from the sums.
  into->set_progress_pct(0);
  into->set_absorption_pct(0);
  if (into->budget() > 0) {
    into->set_progress_pct(100.0 * static_cast<double>(into->progress_rupiah()) / into->budget());
    into->set_absorption_pct(100.0 * static_cast<double>(into->spent()) / into->budget());
  }
}

void KeepOwnRows(absl::string_view region, v1::ProgressResponse* response) {
  for (v1::AreaRow& row : *response->mutable_rows()) {
    if (!sync::RegionContains(region, row.code())) row.clear_figures();
  }
}

void RollUpToProvinces(const v1::ProgressResponse& kabupaten, v1::ProgressResponse* provinces) {
  std::map<RowKey, v1::AreaRow*> by_province;
  for (v1::AreaRow& row : *provinces->mutable_rows()) {
    row.clear_figures();
    by_province[{row.code(), row.key()}] = &row;
  }
  constexpr size_t kProvinceLength = 2;  // "62" of "62.10"
  for (const v1::AreaRow& row : kabupaten.rows()) {
    auto it = by_province.find({row.code().substr(0, kProvinceLength), row.key()});
    if (it != by_province.end()) AddFigures(row.figures(), it->second->mutable_figures());
  }
}

absl::StatusOr<v1::ProgressResponse> SumProgress(const std::vector<v1::ProgressResponse>& parts) {
  if (parts.empty()) return absl::InvalidArgumentError("no shard answered");
  v1::ProgressResponse sum;
  const v1::ProgressResponse& first = parts.front();
  sum.set_region(first.region());
  sum.set_region_name(first.region_name());
  sum.set_year(first.year());
  sum.set_level(first.level());
  sum.set_by(first.by());
  std::map<RowKey, v1::AreaRow> rows;
  for (const v1::ProgressResponse& part : parts) {
    if (part.region() != first.region() || part.year() != first.year() ||
        part.level() != first.level() || part.by() != first.by()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "shards answered different reports (", first.region(), " ", first.year(), " ",
          first.level(), " vs ", part.region(), " ", part.year(), " ", part.level(),
          "): are they all kawal-server of the same version?"));
    }
    if (sum.region_name().empty()) sum.set_region_name(part.region_name());
    sum.set_generated_at_ms(std::max(sum.generated_at_ms(), part.generated_at_ms()));
    AddRows(part.rows(), &rows);
  }
  // Totals as the server makes them (the sum of the rows per key), from the
  // rows each shard counts for; the first part gives their code and labels.
  for (const v1::AreaRow& total : first.totals()) {
    v1::AreaRow* out = sum.add_totals();
    *out = total;
    out->clear_figures();
    for (const auto& [key, row] : rows) {
      if (row.key() == total.key()) AddFigures(row.figures(), out->mutable_figures());
    }
  }
  for (auto& [key, row] : rows) *sum.add_rows() = std::move(row);
  return sum;
}

ShardedReport::ShardedReport(std::vector<ShardAddress> shards,
                             std::vector<std::unique_ptr<ReportClient>> clients)
    : shards_(std::move(shards)), clients_(std::move(clients)) {}

absl::Status ShardedReport::Progress(const v1::ProgressRequest& request,
                                     v1::ProgressResponse* response) {
  std::vector<v1::ProgressResponse> parts(clients_.size());
  for (size_t i = 0; i < clients_.size(); ++i) {
    const std::string& region = shards_[i].region;
    auto failed = [&](const absl::Status& s) {
      return absl::Status(s.code(), absl::StrCat("shard ", region, " at ", shards_[i].server,
                                                 ": ", s.message()));
    };
    if (absl::Status s = clients_[i]->Progress(request, &parts[i]); !s.ok()) return failed(s);
    const bool kabupaten_shard =
        sync::RegionCode::Parse(region)->level() == sync::RegionLevel::kKabupaten;
    if (request.level() == "provinsi" && kabupaten_shard) {
      // A kabupaten shard's province rows would count whatever else it
      // holds: take its own kabupaten rows and add them up.
      v1::ProgressRequest by_kabupaten = request;
      by_kabupaten.set_level("kabupaten");
      v1::ProgressResponse kabupaten;
      if (absl::Status s = clients_[i]->Progress(by_kabupaten, &kabupaten); !s.ok()) {
        return failed(s);
      }
      KeepOwnRows(region, &kabupaten);
      RollUpToProvinces(kabupaten, &parts[i]);
    } else {
      KeepOwnRows(region, &parts[i]);
    }
  }
  absl::StatusOr<v1::ProgressResponse> sum = SumProgress(parts);
  if (!sum.ok()) return sum.status();
  *response = *std::move(sum);
  return absl::OkStatus();
}

absl::Status ShardedReport::Freshness(const v1::FreshnessRequest&, v1::FreshnessResponse*) {
  return absl::InvalidArgumentError(
      "--silent_days is per district: ask the district's shard (--server), not --shards");
}

}  // namespace kawal::report
