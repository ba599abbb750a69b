#include "bench_device.h"

namespace kawal::bench {

absl::StatusOr<std::unique_ptr<mobile::Device>> OpenDevice(const std::string& home,
                                                           const std::string& server,
                                                           const std::string& token) {
  mobile::DeviceOptions options;
  options.home = home;
  options.device_name = "bench";
  absl::StatusOr<std::unique_ptr<mobile::Device>> device = mobile::Device::Open(options);
  if (!device.ok()) return device.status();
  if (absl::Status s = (*device)->Configure(server, token); !s.ok()) return s;
  return device;
}

}  // namespace kawal::bench
