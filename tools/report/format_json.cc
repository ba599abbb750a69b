// JSON of the report responses: the proto3 JSON mapping with the proto
// field names (snake_case) and zero values printed, so every area's figures
// are present even when zero.
#include <google/protobuf/util/json_util.h>

#include "report/report_format.h"

namespace kawal::report {
namespace {

std::string ToJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  options.add_whitespace = true;
  std::string out;
  // Printing a well-formed message cannot fail; the status only reports
  // unresolvable Any types, which these messages do not hold.
  (void)google::protobuf::util::MessageToJsonString(message, &out, options);
  return out;
}

}  // namespace

std::string ProgressJson(const v1::ProgressResponse& response) { return ToJson(response); }

std::string FreshnessJson(const v1::FreshnessResponse& response) { return ToJson(response); }

std::string ConflictsJson(const v1::ListConflictsResponse& response) { return ToJson(response); }
std::string ProblemsJson(const v1::ListProblemsResponse& response) { return ToJson(response); }
std::string FollowUpsJson(const v1::ListFollowUpsResponse& response) { return ToJson(response); }

}  // namespace kawal::report
