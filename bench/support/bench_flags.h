// Command-line flags of the benchmark drivers: "--name=value" pairs, read
// on demand with a default. Drivers print every value they used, so a
// figure in RESULTS.md always carries its setup.
#ifndef KAWAL_BENCH_SUPPORT_BENCH_FLAGS_H_
#define KAWAL_BENCH_SUPPORT_BENCH_FLAGS_H_

#include <cstdint>
#include <string>
#include <vector>

namespace kawal::bench {

class Flags {
 public:
  Flags(int argc, char** argv);

  std::string Str(const std::string& name, const std::string& fallback) const;
  int64_t Int(const std::string& name, int64_t fallback) const;
  double Double(const std::string& name, double fallback) const;
  // "--name" alone or "--name=true|1" is true.
  bool Bool(const std::string& name, bool fallback) const;
  // "--name=1,4,16".
  std::vector<int64_t> IntList(const std::string& name, const std::vector<int64_t>& fallback) const;

 private:
  // nullptr when absent.
  const std::string* Find(const std::string& name) const;
  std::vector<std::pair<std::string, std::string>> values_;
};

}  // namespace kawal::bench

#endif  // KAWAL_BENCH_SUPPORT_BENCH_FLAGS_H_
