#include "progress.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "output.h"

namespace kawal::field {
namespace {

constexpr int kBarWidth = 16;

// The part done of the current phase, 0..1.
double Fraction(const mobile::SyncProgress& p) {
  if (p.phase == "done") return 1;
  if (p.phase == "push") {
    return p.records_to_push == 0 ? 1 : double(p.records_pushed) / double(p.records_to_push);
  }
  if (p.phase == "pull") {
    const uint64_t total = std::max(p.records_to_pull, p.records_pulled);
    return total == 0 ? 0 : double(p.records_pulled) / double(total);
  }
  if (p.phase == "photos") {
    return p.photo_bytes_to_send == 0
               ? 1
               : std::min(1.0, double(p.photo_bytes_sent) / double(p.photo_bytes_to_send));
  }
  return 0;
}

Msg PhaseMsg(const std::string& phase) {
  if (phase == "handshake") return Msg::kPhaseHandshake;
  if (phase == "push") return Msg::kPhasePush;
  if (phase == "pull") return Msg::kPhasePull;
  if (phase == "photos") return Msg::kPhasePhotos;
  if (phase == "done") return Msg::kPhaseDone;
  return Msg::kPhaseRetry;
}

std::string Kb(Lang lang, uint64_t bytes) {
  std::string text = absl::StrFormat("%.1f", double(bytes) / 1024.0);
  if (lang == Lang::kId) std::replace(text.begin(), text.end(), '.', ',');
  return text;
}

}  // namespace

std::string ProgressDisplay::PlainLine(const mobile::SyncProgress& p) {
  std::string line = p.phase;
  if (p.phase == "push") absl::StrAppend(&line, " ", p.records_pushed, "/", p.records_to_push);
  if (p.phase == "pull") {
    absl::StrAppend(&line, " ", p.records_pulled, "/",
                    std::max(p.records_to_pull, p.records_pulled));
  }
  if (p.phase == "photos") {
    absl::StrAppend(&line, " ", p.photo_bytes_sent, "/", p.photo_bytes_to_send, " bytes");
  }
  if (p.attempt > 0) absl::StrAppend(&line, " retry ", p.attempt);
  return line;
}

std::string ProgressDisplay::TerminalLine(Lang lang, const mobile::SyncProgress& p) {
  const int filled = static_cast<int>(Fraction(p) * kBarWidth + 0.5);
  const std::string bar = std::string(filled, '#') + std::string(kBarWidth - filled, '-');
  std::string line = Text(lang, Msg::kProgressLine, Tr(lang, PhaseMsg(p.phase)), bar,
                          p.records_pushed, p.records_to_push, p.records_pulled,
                          Kb(lang, p.bytes_sent), Kb(lang, p.bytes_received));
  if (p.photo_bytes_to_send > 0 || p.phase == "photos") {
    line += Text(lang, Msg::kProgressPhotos, Kb(lang, p.photo_bytes_sent),
                 Kb(lang, p.photo_bytes_to_send));
  }
  if (p.attempt > 0) line += Text(lang, Msg::kProgressRetry, p.attempt);
  return line;
}

void ProgressDisplay::Update(const mobile::SyncProgress& progress) {
  if (!terminal_) {
    std::string line = PlainLine(progress);
    if (line == last_) return;
    last_ = line;
    std::fprintf(out_, "%s\n", line.c_str());
    std::fflush(out_);
    return;
  }
  std::string line = TerminalLine(lang_, progress);
  if (line == last_) return;
  last_ = line;
  const size_t width = DisplayWidth(line);
  // Blanks over what is left of a longer previous line.
  const std::string blank(last_width_ > width ? last_width_ - width : 0, ' ');
  std::fprintf(out_, "\r%s%s", line.c_str(), blank.c_str());
  std::fflush(out_);
  last_width_ = width;
}

void ProgressDisplay::Finish() {
  if (terminal_ && last_width_ > 0) {
    std::fputs("\n", out_);
    std::fflush(out_);
  }
  last_width_ = 0;
}

}  // namespace kawal::field
