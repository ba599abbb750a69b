// `--version` on kawal-server, kawal-admin and kawal-report prints the
// program's name and the project version from CMake, and exits 0.
#include <sys/wait.h>

#include <cstdio>
#include <string>

#include <gtest/gtest.h>

namespace {

struct Run {
  int exit_code = -1;
  std::string out;
};

// Runs `command`, capturing its standard output.
Run RunCommand(const std::string& command) {
  Run run;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return run;
  char buffer[256];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) run.out.append(buffer, n);
  const int status = pclose(pipe);
  if (WIFEXITED(status)) run.exit_code = WEXITSTATUS(status);
  return run;
}

void ExpectVersion(const char* binary, const std::string& name) {
  Run run = RunCommand(std::string(binary) + " --version 2>/dev/null");
  EXPECT_EQ(run.exit_code, 0) << binary;
  EXPECT_EQ(run.out, name + " " KAWAL_VERSION "\n");
}

TEST(VersionFlagTest, ServerPrintsTheProjectVersion) {
  ExpectVersion(KAWAL_SERVER_BINARY, "kawal-server");
}

TEST(VersionFlagTest, AdminPrintsTheProjectVersion) {
  ExpectVersion(KAWAL_ADMIN_BINARY, "kawal-admin");
}

TEST(VersionFlagTest, ReportPrintsTheProjectVersion) {
  ExpectVersion(KAWAL_REPORT_BINARY, "kawal-report");
}

}  // namespace
