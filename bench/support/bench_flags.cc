#include "bench_flags.h"

#include <cstdio>
#include <cstdlib>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"

namespace kawal::bench {
namespace {

// A flag that does not parse is a mistake in the command: stop rather than
// run a long benchmark with the default.
[[noreturn]] void Bad(const std::string& name, const std::string& value) {
  std::fprintf(stderr, "bad value for --%s: %s\n", name.c_str(), value.c_str());
  std::exit(2);
}

}  // namespace

Flags::Flags(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.rfind("--", 0) != 0) continue;
    size_t eq = arg.find('=');
    if (eq == std::string::npos) {
      values_.emplace_back(arg.substr(2), "true");
    } else {
      values_.emplace_back(arg.substr(2, eq - 2), arg.substr(eq + 1));
    }
  }
}

const std::string* Flags::Find(const std::string& name) const {
  for (const auto& [key, value] : values_) {
    if (key == name) return &value;
  }
  return nullptr;
}

std::string Flags::Str(const std::string& name, const std::string& fallback) const {
  const std::string* v = Find(name);
  return v == nullptr ? fallback : *v;
}

namespace {

// The value of `v` parsed by `parse` (absl::SimpleAtoi or SimpleAtod), or
// `fallback` when the flag is absent.
template <typename T, typename Parse>
T ParseOr(const std::string& name, const std::string* v, T fallback, Parse parse) {
  if (v == nullptr) return fallback;
  T out{};
  if (!parse(*v, &out)) Bad(name, *v);
  return out;
}

}  // namespace

int64_t Flags::Int(const std::string& name, int64_t fallback) const {
  return ParseOr<int64_t>(name, Find(name), fallback,
                          [](absl::string_view s, int64_t* out) { return absl::SimpleAtoi(s, out); });
}

double Flags::Double(const std::string& name, double fallback) const {
  return ParseOr<double>(name, Find(name), fallback,
                         [](absl::string_view s, double* out) { return absl::SimpleAtod(s, out); });
}

bool Flags::Bool(const std::string& name, bool fallback) const {
  const std::string* v = Find(name);
  if (v == nullptr) return fallback;
  if (*v == "true" || *v == "1") return true;
  if (*v == "false" || *v == "0") return false;
  Bad(name, *v);
}

std::vector<int64_t> Flags::IntList(const std::string& name,
                                    const std::vector<int64_t>& fallback) const {
  const std::string* v = Find(name);
  if (v == nullptr) return fallback;
  std::vector<int64_t> out;
  for (absl::string_view part : absl::StrSplit(*v, ',', absl::SkipEmpty())) {
    int64_t n = 0;
    if (!absl::SimpleAtoi(part, &n)) Bad(name, *v);
    out.push_back(n);
  }
  return out;
}

}  // namespace kawal::bench
