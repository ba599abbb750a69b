// Thumbnails of evidence photos for the activity page: a phone on a poor
// link downloads a few kilobytes per photo instead of the whole picture.
// JPEG is decoded with libjpeg-turbo's DCT scaling (1/2, 1/4 or 1/8 while
// decoding, which costs a fraction of a full decode), PNG with libpng's
// simplified API; both are box-filtered to the width asked and written as
// JPEG.
//
// Thread-safety: pure functions.
#ifndef KAWAL_TOOLS_WEB_THUMBNAIL_H_
#define KAWAL_TOOLS_WEB_THUMBNAIL_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace kawal::web {

// Thumbnails are at most this wide (CSS shows them 140-320 px wide).
inline constexpr int kThumbnailWidth = 320;

// Pixels, 8-bit RGB, row after row.
struct RgbImage {
  int width = 0;
  int height = 0;
  std::vector<uint8_t> pixels;  // width * height * 3
};

// A JPEG of `image` (quality 1..100).
absl::StatusOr<std::string> EncodeJpeg(const RgbImage& image, int quality);

// Decodes a JPEG (at the smallest DCT scale still at least `min_width`
// wide, when it is wider) or a PNG (alpha composed on white). Anything else,
// or damaged bytes: InvalidArgument naming the problem.
absl::StatusOr<RgbImage> DecodeImage(absl::string_view bytes, int min_width = 0);

// A JPEG at most `max_width` wide of the JPEG or PNG `bytes` (aspect kept).
// A JPEG already that narrow is returned as it is.
absl::StatusOr<std::string> MakeThumbnail(absl::string_view bytes, int max_width = kThumbnailWidth);

}  // namespace kawal::web

#endif  // KAWAL_TOOLS_WEB_THUMBNAIL_H_
