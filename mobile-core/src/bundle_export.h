// The body of a device bundle (docs/bundles.md): what Device::ExportBundle
// seals. Internal to mobile-core.
//
// Thread-safety: reads the store (safe concurrently with writes: a write
// landing meanwhile is in this bundle or the next).
#ifndef KAWAL_MOBILE_BUNDLE_EXPORT_H_
#define KAWAL_MOBILE_BUNDLE_EXPORT_H_

#include "absl/status/statusor.h"
#include "device_core.h"
#include "kawal/v1/bundle.pb.h"

namespace kawal::mobile {

// The pending changes (in store order, each with the record's known
// sequence as a Push sends it), the photos not yet uploaded (in hash order,
// when `photos`), the sync state and the credentials of `state`.
absl::StatusOr<v1::DeviceBundleBody> BuildBundleBody(const DeviceCore& core,
                                                     const device::v1::DeviceState& state,
                                                     bool photos);

}  // namespace kawal::mobile

#endif  // KAWAL_MOBILE_BUNDLE_EXPORT_H_
