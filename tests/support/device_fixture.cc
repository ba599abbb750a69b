#include "device_fixture.h"

#include "absl/strings/str_cat.h"
#include "kawal/sync/codec.h"

namespace kawal::testing {

mobile::DeviceOptions TestDeviceOptions(const std::string& home, const std::string& name) {
  mobile::DeviceOptions options;
  options.home = home;
  options.device_name = name;
  return options;
}

absl::StatusOr<std::unique_ptr<mobile::Device>> OpenTestDevice(mobile::DeviceOptions options,
                                                               const std::string& server,
                                                               const std::string& token,
                                                               const std::string& region) {
  const std::string home = options.home;
  absl::StatusOr<std::unique_ptr<mobile::Device>> device =
      mobile::Device::Open(std::move(options));
  if (!device.ok()) {
    return absl::Status(device.status().code(),
                        absl::StrCat("opening a device in ", home, ": ", device.status().message()));
  }
  if (!server.empty()) {
    absl::Status configured = (*device)->Configure(server, token, region);
    if (!configured.ok()) {
      return absl::Status(configured.code(), absl::StrCat("configuring the device in ", home,
                                                          ": ", configured.message()));
    }
  }
  return device;
}

std::map<std::string, std::string> DeviceSnapshot(mobile::Device& device) {
  std::map<std::string, std::string> out;
  for (const char* collection : {"activity", "progress_report", "photo", "conflict"}) {
    mobile::ListQuery query;
    query.collection = collection;
    query.include_deleted = true;
    auto records = device.List(query);
    EXPECT_TRUE(records.ok()) << records.status();
    if (!records.ok()) continue;
    for (const auto& r : *records) {
      std::string text = r.Visible() ? "visible" : "deleted";
      for (const auto& [name, f] : r.fields) {
        text += "|" + name + "=" + sync::ValueToJson(f.value) + "@" + sync::StampToString(f.stamp);
      }
      out[std::string(collection) + "/" + r.id] = text;
    }
  }
  return out;
}

}  // namespace kawal::testing
