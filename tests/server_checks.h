// The checks every throw-away server of the tests passes (postgres_server_test.cpp,
// mariadb_server_test.cpp), for a `Server` that starts in its constructor and has directory():
// `pid_of` reads the server's process id from its pid file, `answers` checks that it answers.
#pragma once

#include <doctest/doctest.h>
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <system_error>

#include "server_process.h"

namespace telcomply::test {

// The server is stopped and its folder removed with the object.
template <class Server>
void check_stopped_with_object(pid_t (*pid_of)(const Server&), void (*answers)(Server&)) {
  std::filesystem::path dir;
  pid_t pid = -1;
  {
    Server server;
    dir = server.directory();
    pid = pid_of(server);
    REQUIRE(pid > 0);
    answers(server);
  }
  CHECK(process_gone(pid));
  CHECK_FALSE(std::filesystem::exists(dir));
}

// The server quits when the process that started it is killed.
template <class Server>
void check_quits_with_its_process(pid_t (*pid_of)(const Server&)) {
  const StartedServer started = start_in_killed_process([pid_of] {
    Server server;
    return StartedServer{server.directory(), pid_of(server)};
  });
  CHECK(process_gone_within(started.pid, std::chrono::seconds(10)));
  std::error_code ec;
  std::filesystem::remove_all(started.directory, ec);  // a killed process cannot remove it
}

}  // namespace telcomply::test
