// kawal-web's thumbnails (tools/web/thumbnail.h) and their cache
// (thumbnail_cache.h), in-process: real JPEG and PNG bytes in, a JPEG at
// most 320 px wide out; damaged bytes give an error naming the problem.
#include <gtest/gtest.h>

#include <png.h>

#include <cstring>
#include <random>

#include "absl/strings/match.h"
#include "web/thumbnail.h"
#include "web/thumbnail_cache.h"

namespace kawal::web {
namespace {

// A picture with detail (a gradient with noise), like a photo.
RgbImage Picture(int width, int height) {
  RgbImage image;
  image.width = width;
  image.height = height;
  image.pixels.resize(static_cast<size_t>(width) * height * 3);
  std::mt19937 rng(7);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      uint8_t* p = &image.pixels[(static_cast<size_t>(y) * width + x) * 3];
      p[0] = static_cast<uint8_t>(x * 255 / width);
      p[1] = static_cast<uint8_t>(y * 255 / height);
      p[2] = static_cast<uint8_t>(rng() & 0xFF);
    }
  }
  return image;
}

std::string Jpeg(int width, int height) {
  absl::StatusOr<std::string> jpeg = EncodeJpeg(Picture(width, height), 90);
  EXPECT_TRUE(jpeg.ok()) << jpeg.status();
  return jpeg.ok() ? *jpeg : "";
}

std::string Png(int width, int height) {
  const RgbImage image = Picture(width, height);
  png_image png;
  std::memset(&png, 0, sizeof png);
  png.version = PNG_IMAGE_VERSION;
  png.width = static_cast<png_uint_32>(width);
  png.height = static_cast<png_uint_32>(height);
  png.format = PNG_FORMAT_RGB;
  png_alloc_size_t size = 0;
  EXPECT_TRUE(png_image_write_to_memory(&png, nullptr, &size, 0, image.pixels.data(), 0, nullptr));
  std::string bytes(size, '\0');
  EXPECT_TRUE(png_image_write_to_memory(&png, bytes.data(), &size, 0, image.pixels.data(), 0, nullptr));
  bytes.resize(size);
  return bytes;
}

TEST(ThumbnailTest, LargeJpegBecomesASmallJpegAtMost320Wide) {
  const std::string photo = Jpeg(1600, 1200);
  absl::StatusOr<std::string> thumb = MakeThumbnail(photo);
  ASSERT_TRUE(thumb.ok()) << thumb.status();
  EXPECT_LT(thumb->size() * 10, photo.size()) << "a tenth of the photo at most";
  absl::StatusOr<RgbImage> decoded = DecodeImage(*thumb);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(decoded->width, 320);
  EXPECT_EQ(decoded->height, 240);
}

TEST(ThumbnailTest, DctScalingDecodesOnlyWhatTheWidthNeeds) {
  const std::string photo = Jpeg(2560, 1920);
  absl::StatusOr<RgbImage> scaled = DecodeImage(photo, 320);
  ASSERT_TRUE(scaled.ok()) << scaled.status();
  EXPECT_EQ(scaled->width, 320);  // 1/8 while decoding
  absl::StatusOr<RgbImage> half = DecodeImage(Jpeg(800, 600), 320);
  ASSERT_TRUE(half.ok());
  EXPECT_EQ(half->width, 400);  // 1/2; 1/4 would be under 320
}

TEST(ThumbnailTest, PngBecomesAJpeg) {
  const std::string photo = Png(900, 300);
  absl::StatusOr<std::string> thumb = MakeThumbnail(photo);
  ASSERT_TRUE(thumb.ok()) << thumb.status();
  EXPECT_EQ(static_cast<uint8_t>((*thumb)[0]), 0xFF);
  EXPECT_EQ(static_cast<uint8_t>((*thumb)[1]), 0xD8);
  absl::StatusOr<RgbImage> decoded = DecodeImage(*thumb);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(decoded->width, 320);
  EXPECT_EQ(decoded->height, 107);
}

TEST(ThumbnailTest, NarrowJpegIsServedAsItIs) {
  const std::string photo = Jpeg(200, 150);
  absl::StatusOr<std::string> thumb = MakeThumbnail(photo);
  ASSERT_TRUE(thumb.ok()) << thumb.status();
  EXPECT_EQ(*thumb, photo);
}

TEST(ThumbnailTest, DamagedBytesGiveAnErrorNamingTheProblem) {
  std::string garbage(4096, '\x5a');
  garbage.replace(0, 4, "\xFF\xD8\xFF\xE0");
  absl::StatusOr<std::string> bad_jpeg = MakeThumbnail(garbage);
  ASSERT_FALSE(bad_jpeg.ok());
  EXPECT_TRUE(absl::IsInvalidArgument(bad_jpeg.status()));
  EXPECT_TRUE(absl::StrContains(bad_jpeg.status().message(), "JPEG cannot be decoded"))
      << bad_jpeg.status();

  std::string png = Png(400, 300);
  png.resize(60);  // the header and nothing more
  absl::StatusOr<std::string> bad_png = MakeThumbnail(png);
  ASSERT_FALSE(bad_png.ok());
  EXPECT_TRUE(absl::StrContains(bad_png.status().message(), "PNG cannot be decoded"))
      << bad_png.status();

  absl::StatusOr<std::string> text = MakeThumbnail("GIF89a not supported");
  ASSERT_FALSE(text.ok());
  EXPECT_TRUE(absl::StrContains(text.status().message(), "neither a JPEG nor a PNG"));
  EXPECT_FALSE(MakeThumbnail("").ok());
}

// PNG's chunk CRC (ISO 3309), bit by bit: a test needs no table.
uint32_t Crc32(absl::string_view bytes) {
  uint32_t crc = 0xFFFFFFFFu;
  for (unsigned char c : bytes) {
    crc ^= c;
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return crc ^ 0xFFFFFFFFu;
}

TEST(ThumbnailTest, HugeDimensionsAreRefusedBeforeDecoding) {
  // A valid 1x1 PNG whose header claims 60000 x 60000 pixels (CRC fixed).
  std::string png = Png(1, 1);
  const uint32_t big = 60000;
  const unsigned char be[4] = {0, 0, static_cast<unsigned char>(big >> 8),
                               static_cast<unsigned char>(big & 0xFF)};
  png.replace(16, 4, reinterpret_cast<const char*>(be), 4);
  png.replace(20, 4, reinterpret_cast<const char*>(be), 4);
  const uint32_t crc = Crc32(absl::string_view(png).substr(12, 17));
  const unsigned char crc_be[4] = {static_cast<unsigned char>(crc >> 24),
                                   static_cast<unsigned char>(crc >> 16),
                                   static_cast<unsigned char>(crc >> 8),
                                   static_cast<unsigned char>(crc)};
  png.replace(29, 4, reinterpret_cast<const char*>(crc_be), 4);
  absl::StatusOr<std::string> thumb = MakeThumbnail(png);
  ASSERT_FALSE(thumb.ok());
  EXPECT_TRUE(absl::StrContains(thumb.status().message(), "60000x60000")) << thumb.status();
}

TEST(ThumbnailCacheTest, KeepsTheMostRecentlyUsedWithinItsBound) {
  ThumbnailCache cache(100);
  cache.Put("a", std::string(40, 'a'));
  cache.Put("b", std::string(40, 'b'));
  ASSERT_TRUE(cache.Get("a").has_value());  // "a" is now the most recent
  cache.Put("c", std::string(40, 'c'));     // 120 > 100: "b" goes
  EXPECT_FALSE(cache.Get("b").has_value());
  EXPECT_EQ(cache.Get("a")->jpeg, std::string(40, 'a'));
  EXPECT_EQ(cache.Get("c")->jpeg, std::string(40, 'c'));
  EXPECT_EQ(cache.bytes(), 80u);
  cache.Put("a", std::string(10, 'A'));  // replaced, not counted twice
  EXPECT_EQ(cache.bytes(), 50u);
  cache.Put("huge", std::string(101, 'h'));  // larger than the whole cache
  EXPECT_FALSE(cache.Get("huge").has_value());
  EXPECT_EQ(cache.entries(), 2u);
  cache.PutUnreadable("bad", "JPEG cannot be decoded");  // counts its 22 bytes
  ASSERT_TRUE(cache.Get("bad").has_value());
  EXPECT_EQ(cache.Get("bad")->unreadable, "JPEG cannot be decoded");
  EXPECT_TRUE(cache.Get("bad")->jpeg.empty());
  EXPECT_EQ(cache.bytes(), 72u);
  ThumbnailCache none(0);
  none.Put("a", "x");
  EXPECT_FALSE(none.Get("a").has_value());
}

}  // namespace
}  // namespace kawal::web
