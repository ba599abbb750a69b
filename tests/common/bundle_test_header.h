// The header of a device's bundle, for the bundle format tests.
#ifndef KAWAL_TESTS_COMMON_BUNDLE_TEST_HEADER_H_
#define KAWAL_TESTS_COMMON_BUNDLE_TEST_HEADER_H_

#include "kawal/v1/bundle.pb.h"

namespace kawal::common {

inline v1::BundleHeader DeviceHeader() {
  v1::BundleHeader header;
  header.set_kind(v1::DEVICE_EXPORT);
  header.set_device_node(0x1234);
  header.set_user("fasilitator1");
  header.set_created_ms(1'700'000'000'000);
  return header;
}

}  // namespace kawal::common

#endif  // KAWAL_TESTS_COMMON_BUNDLE_TEST_HEADER_H_
