#include "target_line.h"

#include <cstdio>

#include "absl/strings/str_format.h"

namespace kawal::bench {
namespace {

std::string Figure(double v) {
  return v >= 100 ? absl::StrFormat("%.0f", v) : absl::StrFormat("%.1f", v);
}

}  // namespace

void PrintTarget(const std::string& what, double measured, double target, const std::string& unit,
                 bool higher_is_better) {
  const bool met = higher_is_better ? measured >= target : measured <= target;
  std::string verdict = "met";
  if (!met) {
    verdict = higher_is_better
                  ? absl::StrFormat("short: %.0f%% of target", 100 * measured / target)
                  : absl::StrFormat("short: %.1f× the limit", measured / target);
  }
  std::printf("target: | %s | %s %s | %s %s %s | %s |\n", what.c_str(), Figure(measured).c_str(),
              unit.c_str(), higher_is_better ? "≥" : "≤", Figure(target).c_str(), unit.c_str(),
              verdict.c_str());
}

}  // namespace kawal::bench
