#include "web/thumbnail.h"

#include <algorithm>
#include <csetjmp>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <jpeglib.h>
#include <png.h>

#include "absl/strings/str_cat.h"

namespace kawal::web {
namespace {

// Larger pictures are refused before any pixel is decoded (a 200-byte
// file can claim to be 60000 x 60000).
constexpr uint64_t kMaxSourcePixels = 50'000'000;
constexpr int kThumbnailQuality = 75;

bool IsJpeg(absl::string_view b) {
  return b.size() >= 3 && static_cast<uint8_t>(b[0]) == 0xFF && static_cast<uint8_t>(b[1]) == 0xD8 &&
         static_cast<uint8_t>(b[2]) == 0xFF;
}

bool IsPng(absl::string_view b) { return b.size() >= 8 && b.substr(0, 8) == "\x89PNG\r\n\x1a\n"; }

// libjpeg reports errors through error_exit, which must not return: it
// jumps back to the setjmp of the call below with the library's message.
// Only trivially destructible objects live between setjmp and the jump.
struct JpegError {
  jpeg_error_mgr mgr;
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
};

void JpegErrorExit(j_common_ptr cinfo) {
  JpegError* error = reinterpret_cast<JpegError*>(cinfo->err);
  (*cinfo->err->format_message)(cinfo, error->message);
  std::longjmp(error->jump, 1);
}

void JpegNoOutput(j_common_ptr) {}  // warnings (e.g. a truncated file) are not printed

// libjpeg's error manager reporting through `error` (set as cinfo.err).
jpeg_error_mgr* ErrorManager(JpegError* error) {
  jpeg_std_error(&error->mgr);
  error->mgr.error_exit = JpegErrorExit;
  error->mgr.output_message = JpegNoOutput;
  return &error->mgr;
}

// Decodes into `*out` (malloc'ed; the caller frees it) at the smallest DCT
// scale at least `min_width` wide. Returns false with `error->message` set.
bool DecodeJpegRaw(const uint8_t* data, size_t size, int min_width, JpegError* error,
                   uint8_t** out, int* width, int* height) {
  jpeg_decompress_struct cinfo;
  cinfo.err = ErrorManager(error);
  *out = nullptr;
  if (setjmp(error->jump)) {
    jpeg_destroy_decompress(&cinfo);
    return false;
  }
  jpeg_create_decompress(&cinfo);
  jpeg_mem_src(&cinfo, data, static_cast<unsigned long>(size));
  jpeg_read_header(&cinfo, TRUE);
  if (static_cast<uint64_t>(cinfo.image_width) * cinfo.image_height > kMaxSourcePixels) {
    std::snprintf(error->message, sizeof error->message, "the picture is %ux%u pixels, over %llu",
                  cinfo.image_width, cinfo.image_height,
                  static_cast<unsigned long long>(kMaxSourcePixels));
    jpeg_destroy_decompress(&cinfo);
    return false;
  }
  cinfo.out_color_space = JCS_RGB;
  cinfo.scale_num = 1;
  cinfo.scale_denom = 1;
  for (unsigned denom : {8u, 4u, 2u}) {
    if (min_width > 0 && cinfo.image_width / denom >= static_cast<unsigned>(min_width)) {
      cinfo.scale_denom = denom;
      break;
    }
  }
  cinfo.dct_method = JDCT_IFAST;
  jpeg_start_decompress(&cinfo);
  const size_t stride = static_cast<size_t>(cinfo.output_width) * 3;
  *out = static_cast<uint8_t*>(std::malloc(stride * cinfo.output_height));
  if (*out == nullptr) {
    std::snprintf(error->message, sizeof error->message, "out of memory");
    jpeg_destroy_decompress(&cinfo);
    return false;
  }
  while (cinfo.output_scanline < cinfo.output_height) {
    JSAMPROW row = *out + stride * cinfo.output_scanline;
    jpeg_read_scanlines(&cinfo, &row, 1);
  }
  *width = static_cast<int>(cinfo.output_width);
  *height = static_cast<int>(cinfo.output_height);
  jpeg_finish_decompress(&cinfo);
  jpeg_destroy_decompress(&cinfo);
  return true;
}

// Encodes into `*out` (malloc'ed by libjpeg; the caller frees it).
bool EncodeJpegRaw(const uint8_t* pixels, int width, int height, int quality, JpegError* error,
                   unsigned char** out, unsigned long* size) {
  jpeg_compress_struct cinfo;
  cinfo.err = ErrorManager(error);
  if (setjmp(error->jump)) {
    jpeg_destroy_compress(&cinfo);
    return false;
  }
  jpeg_create_compress(&cinfo);
  jpeg_mem_dest(&cinfo, out, size);
  cinfo.image_width = static_cast<JDIMENSION>(width);
  cinfo.image_height = static_cast<JDIMENSION>(height);
  cinfo.input_components = 3;
  cinfo.in_color_space = JCS_RGB;
  jpeg_set_defaults(&cinfo);
  jpeg_set_quality(&cinfo, quality, TRUE);
  jpeg_start_compress(&cinfo, TRUE);
  const size_t stride = static_cast<size_t>(width) * 3;
  while (cinfo.next_scanline < cinfo.image_height) {
    JSAMPROW row = const_cast<uint8_t*>(pixels) + stride * cinfo.next_scanline;
    jpeg_write_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_compress(&cinfo);
  jpeg_destroy_compress(&cinfo);
  return true;
}

absl::StatusOr<RgbImage> DecodeJpeg(absl::string_view bytes, int min_width) {
  JpegError error{};
  uint8_t* raw = nullptr;
  RgbImage image;
  const bool ok = DecodeJpegRaw(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(),
                                min_width, &error, &raw, &image.width, &image.height);
  if (!ok) {
    std::free(raw);
    return absl::InvalidArgumentError(absl::StrCat("the JPEG cannot be decoded: ", error.message));
  }
  image.pixels.assign(raw, raw + static_cast<size_t>(image.width) * image.height * 3);
  std::free(raw);
  return image;
}

absl::StatusOr<RgbImage> DecodePng(absl::string_view bytes) {
  png_image png;
  std::memset(&png, 0, sizeof png);
  png.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_memory(&png, bytes.data(), bytes.size())) {
    const std::string message = png.message;
    png_image_free(&png);
    return absl::InvalidArgumentError(absl::StrCat("the PNG cannot be decoded: ", message));
  }
  if (static_cast<uint64_t>(png.width) * png.height > kMaxSourcePixels) {
    png_image_free(&png);
    return absl::InvalidArgumentError(absl::StrCat("the picture is ", png.width, "x", png.height,
                                                   " pixels, over ", kMaxSourcePixels));
  }
  png.format = PNG_FORMAT_RGB;
  RgbImage image;
  image.width = static_cast<int>(png.width);
  image.height = static_cast<int>(png.height);
  image.pixels.resize(PNG_IMAGE_SIZE(png));
  // Transparent parts become white (a JPEG has no alpha).
  png_color white{255, 255, 255};
  if (!png_image_finish_read(&png, &white, image.pixels.data(), 0, nullptr)) {
    const std::string message = png.message;
    png_image_free(&png);
    return absl::InvalidArgumentError(absl::StrCat("the PNG cannot be decoded: ", message));
  }
  return image;
}

// Box filter: each output pixel is the mean of the source pixels it covers.
RgbImage Shrink(const RgbImage& in, int width) {
  if (in.width <= width) return in;
  RgbImage out;
  out.width = width;
  out.height = std::max(1, static_cast<int>((static_cast<int64_t>(in.height) * width + in.width / 2) / in.width));
  out.pixels.resize(static_cast<size_t>(out.width) * out.height * 3);
  for (int oy = 0; oy < out.height; ++oy) {
    const int y0 = static_cast<int>(static_cast<int64_t>(oy) * in.height / out.height);
    const int y1 = std::max(y0 + 1, static_cast<int>(static_cast<int64_t>(oy + 1) * in.height / out.height));
    for (int ox = 0; ox < out.width; ++ox) {
      const int x0 = static_cast<int>(static_cast<int64_t>(ox) * in.width / out.width);
      const int x1 = std::max(x0 + 1, static_cast<int>(static_cast<int64_t>(ox + 1) * in.width / out.width));
      uint32_t sum[3] = {0, 0, 0};
      for (int y = y0; y < y1; ++y) {
        const uint8_t* p = &in.pixels[(static_cast<size_t>(y) * in.width + x0) * 3];
        for (int x = x0; x < x1; ++x, p += 3) {
          sum[0] += p[0];
          sum[1] += p[1];
          sum[2] += p[2];
        }
      }
      const uint32_t n = static_cast<uint32_t>((y1 - y0) * (x1 - x0));
      uint8_t* o = &out.pixels[(static_cast<size_t>(oy) * out.width + ox) * 3];
      for (int c = 0; c < 3; ++c) o[c] = static_cast<uint8_t>((sum[c] + n / 2) / n);
    }
  }
  return out;
}

}  // namespace

absl::StatusOr<std::string> EncodeJpeg(const RgbImage& image, int quality) {
  if (image.width <= 0 || image.height <= 0 ||
      image.pixels.size() != static_cast<size_t>(image.width) * image.height * 3) {
    return absl::InvalidArgumentError("an image to encode needs width x height x 3 bytes");
  }
  JpegError error{};
  unsigned char* out = nullptr;
  unsigned long size = 0;
  if (!EncodeJpegRaw(image.pixels.data(), image.width, image.height, quality, &error, &out, &size)) {
    std::free(out);
    return absl::InternalError(absl::StrCat("writing a JPEG failed: ", error.message));
  }
  std::string jpeg(reinterpret_cast<const char*>(out), size);
  std::free(out);
  return jpeg;
}

absl::StatusOr<RgbImage> DecodeImage(absl::string_view bytes, int min_width) {
  if (IsJpeg(bytes)) return DecodeJpeg(bytes, min_width);
  if (IsPng(bytes)) return DecodePng(bytes);
  return absl::InvalidArgumentError("the photo is neither a JPEG nor a PNG");
}

absl::StatusOr<std::string> MakeThumbnail(absl::string_view bytes, int max_width) {
  if (max_width <= 0) return absl::InvalidArgumentError("a thumbnail must be at least 1 pixel wide");
  absl::StatusOr<RgbImage> image = DecodeImage(bytes, max_width);
  if (!image.ok()) return image.status();
  // Decoded at its full size: the JPEG was already narrow enough.
  if (IsJpeg(bytes) && image->width <= max_width) return std::string(bytes);
  return EncodeJpeg(Shrink(*image, max_width), kThumbnailQuality);
}

}  // namespace kawal::web
