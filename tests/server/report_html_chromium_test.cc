// Renders kawal-report's HTML (from a synthetic answer, through the format
// library) in headless Chromium at a phone's width (412 px) and checks that
// a screenshot comes out: the page loads from a local file with nothing to
// fetch, and lays out at the phone's width. Without Chromium it fails
// unless KAWAL_SKIP_BROWSER_TESTS=1 (docs/build.md).
//
// Set KAWAL_REPORT_SHOT_DIR to keep report.html and shot.png there.
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "report/labels.h"
#include "report/report_format.h"
#include "required_tool.h"

namespace kawal::report {
namespace {

constexpr char kChromium[] = "/usr/bin/chromium";
constexpr int kTimeoutS = 60;

struct Kecamatan {
  const char* code;
  const char* name;
};
constexpr Kecamatan kGunungMas[] = {
    {"62.10.01", "Sepang"},        {"62.10.02", "Kurun"},         {"62.10.03", "Tewah"},
    {"62.10.04", "Kahayan Hulu Utara"}, {"62.10.05", "Rungan"},   {"62.10.06", "Manuhing"},
    {"62.10.07", "Mihing Raya"},   {"62.10.08", "Damang Batu"},   {"62.10.09", "Miri Manasa"},
    {"62.10.10", "Rungan Hulu"},   {"62.10.11", "Manuhing Raya"}, {"62.10.12", "Rungan Barat <b>"},
};

void Fill(v1::AreaFigures* f, int64_t budget, int64_t spent, double progress_pct, int done,
          int in_progress, int stalled) {
  (*f->mutable_activities_by_status())["done"] = done;
  (*f->mutable_activities_by_status())["in_progress"] = in_progress;
  (*f->mutable_activities_by_status())["stalled"] = stalled;
  f->set_activities(done + in_progress + stalled);
  f->set_budget(budget);
  f->set_spent(spent);
  f->set_progress_rupiah(static_cast<int64_t>(budget * progress_pct / 100));
  f->set_progress_pct(progress_pct);
  f->set_absorption_pct(budget > 0 ? 100.0 * spent / budget : 0);
  (*f->mutable_budget_by_source())["DDS"] = budget * 8 / 10;
  (*f->mutable_budget_by_source())["ADD"] = budget - budget * 8 / 10;
  (*f->mutable_spent_by_source())["DDS"] = spent;
}

// Gunung Mas per kecamatan with varied figures, and its SDGs Desa totals.
void Synthetic(v1::ProgressResponse* progress, v1::ProgressResponse* by_sdg) {
  progress->set_region("62.10");
  progress->set_region_name("Kabupaten Gunung Mas");
  progress->set_year(2026);
  progress->set_level("kecamatan");
  progress->set_generated_at_ms(1'780'000'000'000);
  v1::AreaFigures total;
  int i = 0;
  for (const Kecamatan& k : kGunungMas) {
    v1::AreaRow* row = progress->add_rows();
    row->set_code(k.code);
    row->set_name(k.name);
    const int64_t budget = (i == 5) ? 0 : int64_t{800'000'000} + i * 437'000'000LL % 2'900'000'000;
    const int64_t spent = budget * ((i * 37) % 100) / 100;
    const double progress_pct = i == 5 ? 0 : (i * 41) % 101;
    Fill(row->mutable_figures(), budget, spent, progress_pct, i % 4, 3 + i % 3, i % 2);
    total.set_budget(total.budget() + budget);
    total.set_spent(total.spent() + spent);
    total.set_progress_rupiah(total.progress_rupiah() + row->figures().progress_rupiah());
    total.set_activities(total.activities() + row->figures().activities());
    ++i;
  }
  total.set_progress_pct(100.0 * total.progress_rupiah() / total.budget());
  total.set_absorption_pct(100.0 * total.spent() / total.budget());
  v1::AreaRow* t = progress->add_totals();
  t->set_code("62.10");
  t->set_name("Kabupaten Gunung Mas");
  *t->mutable_figures() = total;

  *by_sdg = *progress;
  by_sdg->set_by("sdg");
  by_sdg->clear_rows();
  by_sdg->clear_totals();
  for (int goal : {1, 2, 3, 6, 9, 18}) {
    v1::AreaRow* row = by_sdg->add_totals();
    row->set_code("62.10");
    row->set_key(std::to_string(goal));
    Fill(row->mutable_figures(), goal * 310'000'000LL, goal * 120'000'000LL, 40, 1, 1, 0);
  }
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

size_t CountOf(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

// Runs `argv` in its own process group with output to `log`; kills the
// group after kTimeoutS. Returns the wait status, or -1 on timeout.
int RunBounded(const std::vector<std::string>& argv, const std::string& log) {
  sigset_t chld, old;
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  pthread_sigmask(SIG_BLOCK, &chld, &old);
  const pid_t pid = fork();
  if (pid == 0) {
    pthread_sigmask(SIG_SETMASK, &old, nullptr);
    setpgid(0, 0);
    const int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd >= 0) {
      dup2(fd, 1);
      dup2(fd, 2);
    }
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  int status = -1;
  if (pid > 0) {
    setpgid(pid, pid);  // either this or the child's own call wins; same group
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(kTimeoutS);
    bool exited = false;
    while (!exited) {
      if (waitpid(pid, &status, WNOHANG) == pid) {
        exited = true;
        break;
      }
      const auto left = deadline - std::chrono::steady_clock::now();
      if (left <= std::chrono::nanoseconds(0)) break;
      const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(left).count();
      timespec timeout{static_cast<time_t>(ns / 1'000'000'000), static_cast<long>(ns % 1'000'000'000)};
      // Blocks until the child exits (SIGCHLD) or the deadline passes.
      if (sigtimedwait(&chld, nullptr, &timeout) < 0 && errno == EAGAIN) break;
    }
    kill(-pid, SIGKILL);  // helpers left in the group, or all of it on timeout
    if (!exited) {
      waitpid(pid, &status, 0);
      status = -1;
    }
  }
  // Drop a SIGCHLD still pending from the kill, then restore the mask.
  timespec zero{0, 0};
  while (sigtimedwait(&chld, nullptr, &zero) > 0) {
  }
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  return status;
}

// Width and height from a PNG's IHDR chunk; false when not a PNG.
bool PngSize(const std::string& png, uint32_t* width, uint32_t* height) {
  static const char kSignature[] = "\x89PNG\r\n\x1a\n";
  if (png.size() < 24 || png.compare(0, 8, kSignature, 8) != 0 || png.compare(12, 4, "IHDR") != 0) {
    return false;
  }
  auto be32 = [&](size_t at) {
    uint32_t v = 0;
    for (size_t i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(png[at + i]);
    return v;
  };
  *width = be32(16);
  *height = be32(20);
  return true;
}

TEST(ReportHtmlChromiumTest, RendersAtPhoneWidth) {
  KAWAL_REQUIRE_PROGRAM(kChromium, "chromium", "KAWAL_SKIP_BROWSER_TESTS");
  std::string dir;
  const char* keep = std::getenv("KAWAL_REPORT_SHOT_DIR");
  if (keep != nullptr && keep[0] != '\0') {
    dir = keep;
    mkdir(dir.c_str(), 0700);
  } else {
    char tmpl[] = "/tmp/kawal-report-html-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir = tmpl;
  }
  v1::ProgressResponse progress, by_sdg;
  Synthetic(&progress, &by_sdg);
  const std::string html = ProgressHtml(progress, by_sdg, Lang::kId);
  EXPECT_GE(CountOf(html, "<svg"), 3u);
  const std::string html_path = dir + "/report.html";
  {
    std::ofstream out(html_path, std::ios::binary);
    out << html;
    ASSERT_TRUE(out.good());
  }
  EXPECT_GE(CountOf(ReadAll(html_path), "<svg"), 3u);

  const std::string shot = dir + "/shot.png";
  unlink(shot.c_str());
  const int status = RunBounded(
      {kChromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
       "--no-first-run", "--disable-background-networking", "--disable-component-update",
       "--disable-sync", "--user-data-dir=" + dir + "/profile", "--window-size=412,2000",
       "--screenshot=" + shot, "file://" + html_path},
      dir + "/chromium.log");
  ASSERT_NE(status, -1) << "chromium did not finish within " << kTimeoutS << " s";
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
      << "chromium status " << status << "\n" << ReadAll(dir + "/chromium.log");

  const std::string png = ReadAll(shot);
  ASSERT_FALSE(png.empty()) << "no screenshot; chromium said:\n" << ReadAll(dir + "/chromium.log");
  EXPECT_GT(png.size(), 5u * 1024) << "a blank page compresses to almost nothing";
  uint32_t width = 0, height = 0;
  ASSERT_TRUE(PngSize(png, &width, &height));
  EXPECT_EQ(width, 412u);
  EXPECT_GT(height, 0u);

  if (keep == nullptr || keep[0] == '\0') {
    std::error_code error;
    std::filesystem::remove_all(dir, error);
  }
}

}  // namespace
}  // namespace kawal::report
