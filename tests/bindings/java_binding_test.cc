// The Java binding (bindings/java/) against a real kawal-server: starts the
// server, adds two facilitators, writes their tokens to a 0600 file (never
// on a command line), and runs the Java test runner KawalDeviceTest in a
// JVM with libkawal_jni.so and libkawal.so.1 on its library path. Its output
// is shown when it fails. A missing JDK fails the test (KAWAL_SKIP_JAVA_TESTS=1
// skips it).
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "required_tool.h"
#include "server_process.h"
#include "test_client.h"
#include "token_file.h"

extern char** environ;

namespace kawal::testing {
namespace {

TEST(JavaBindingTest, KawalDeviceTestPassesAgainstARealServer) {
  KAWAL_REQUIRE_PROGRAM(KAWAL_JAVA, "openjdk-17-jdk-headless", "KAWAL_SKIP_JAVA_TESTS");
  TempDir dir;
  ServerProcess server(dir.path() + "/server", {"--seed_region=62.10"});
  ASSERT_TRUE(server.Start().ok()) << server.Stderr();
  TestClient admin = AdminClient(server);
  std::string token_a, token_b;
  ASSERT_TRUE(admin.AddUser("ani", v1::FACILITATOR, {"62.10.01.2001"}, &token_a).ok());
  ASSERT_TRUE(admin.AddUser("budi", v1::FACILITATOR, {"62.10.01.2001"}, &token_b).ok());
  const std::string tokens = WriteTokenFile(dir.path() + "/tokens", token_a + "\n" + token_b);
  const std::string output = dir.path() + "/java.out";

  std::vector<std::string> args = {KAWAL_JAVA,
                                   "-Xcheck:jni",
                                   "-Djava.library.path=" KAWAL_JNI_DIR ":" KAWAL_LIB_DIR,
                                   "-cp",
                                   KAWAL_JAR ":" KAWAL_TEST_JAR,
                                   "id.kawaldesa.sdk.KawalDeviceTest",
                                   server.address(),
                                   tokens,
                                   dir.path()};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t files;
  posix_spawn_file_actions_init(&files);
  posix_spawn_file_actions_addopen(&files, 1, output.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_adddup2(&files, 1, 2);
  pid_t pid = 0;
  ASSERT_EQ(posix_spawn(&pid, argv[0], &files, nullptr, argv.data(), environ), 0);
  posix_spawn_file_actions_destroy(&files);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  std::ifstream in(output);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << text.str();
  EXPECT_NE(text.str().find("PASS errorsAreExceptionsWithCodes"), std::string::npos) << text.str();
  std::cout << text.str();
}

}  // namespace
}  // namespace kawal::testing
