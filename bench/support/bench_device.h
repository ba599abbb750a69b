// A mobile-core Device for a benchmark, in its own folder, configured for
// a server (or a link in front of it).
#ifndef KAWAL_BENCH_SUPPORT_BENCH_DEVICE_H_
#define KAWAL_BENCH_SUPPORT_BENCH_DEVICE_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "kawal/mobile/device.h"

namespace kawal::bench {

absl::StatusOr<std::unique_ptr<mobile::Device>> OpenDevice(const std::string& home,
                                                           const std::string& server,
                                                           const std::string& token);

}  // namespace kawal::bench

#endif  // KAWAL_BENCH_SUPPORT_BENCH_DEVICE_H_
