// container_directory.cpp — scripts/container-ldap as a test backend. See container_directory.h.
#include "tests/support/container_directory.h"

#include <cstdlib>
#include <sstream>

#include "tests/support/program.h"

#ifndef CCM_SOURCE_DIR
#error "CCM_SOURCE_DIR must name the source tree"
#endif

namespace ccm::test {
namespace {

// The exit status of ldapsearch and ldapdelete for "no such object": the suffix is empty.
constexpr int kNoSuchObject = 32;

std::string Script() {
  return std::string(CCM_SOURCE_DIR) + "/scripts/container-ldap";
}

std::string Selection() {
  const char* value = std::getenv("CCM_TEST_LDAP");
  return value == nullptr ? std::string() : std::string(value);
}

Result<std::string, std::string> RunScript(const std::vector<std::string>& words) {
  std::vector<std::string> argv = {Script()};
  argv.insert(argv.end(), words.begin(), words.end());
  auto ran = RunProgram(argv);
  if (!ran)
    return Fail(ran.error());
  if (ran->exit_code != 0)
    return Fail("scripts/container-ldap " + words.front() + " failed (exit " +
                std::to_string(ran->exit_code) + "): " + ran->output);
  return ran->output;
}

}  // namespace

bool ContainerBackendSelected() {
  return Selection() == "container";
}

std::string ContainerBackendError() {
  std::string selection = Selection();
  if (selection.empty() || selection == "slapd" || selection == "container")
    return {};
  return "CCM_TEST_LDAP=" + selection + ": expected slapd (the default) or container";
}

Result<ContainerEndpoint, std::string> ContainerUp() {
  auto output = RunScript({"up"});
  if (!output)
    return Fail(output.error());
  // The script's diagnostics share the output; only key=value lines are read.
  ContainerEndpoint endpoint;
  std::istringstream lines(*output);
  for (std::string line; std::getline(lines, line);) {
    auto eq = line.find('=');
    if (eq == std::string::npos)
      continue;
    std::string key = line.substr(0, eq);
    std::string value = line.substr(eq + 1);
    if (key == "uri")
      endpoint.uri = value;
    else if (key == "ldapi_uri")
      endpoint.ldapi_uri = value;
    else if (key == "base_dn")
      endpoint.base_dn = value;
    else if (key == "bind_dn")
      endpoint.bind_dn = value;
    else if (key == "password_file")
      endpoint.password_file = value;
  }
  const std::string prefix = "ldap://127.0.0.1:";
  if (endpoint.uri.rfind(prefix, 0) != 0 || endpoint.ldapi_uri.empty() ||
      endpoint.base_dn.empty() || endpoint.bind_dn.empty() || endpoint.password_file.empty())
    return Fail("scripts/container-ldap up printed no complete endpoint: " + *output);
  endpoint.port = std::atoi(endpoint.uri.c_str() + prefix.size());
  return endpoint;
}

Result<void, std::string> ContainerStop() {
  auto ran = RunScript({"stop"});
  if (!ran)
    return Fail(ran.error());
  return {};
}

Result<void, std::string> ContainerPause() {
  auto ran = RunScript({"pause"});
  if (!ran)
    return Fail(ran.error());
  return {};
}

Result<void, std::string> ContainerResume() {
  auto ran = RunScript({"resume"});
  if (!ran)
    return Fail(ran.error());
  return {};
}

std::string ContainerLog(long long since_unix_seconds) {
  auto log = RunScript({"logs", "--since", std::to_string(since_unix_seconds)});
  return log ? *log : log.error();
}

Result<void, std::string> WipeDirectory(const ContainerEndpoint& endpoint) {
  // Only an existing suffix entry is deleted: slapd 2.5.13 with the memberof overlay crashed
  // (SIGSEGV) on deleting the suffix entry of an empty database.
  auto found =
      RunProgram({"ldapsearch", "-x", "-LLL", "-H", endpoint.uri, "-D", endpoint.bind_dn, "-y",
                  endpoint.password_file, "-b", endpoint.base_dn, "-s", "base", "1.1"});
  if (!found)
    return Fail(found.error());
  if (found->exit_code == kNoSuchObject)
    return {};
  if (found->exit_code != 0)
    return Fail("ldapsearch -b " + endpoint.base_dn + " failed (exit " +
                std::to_string(found->exit_code) + "): " + found->output);
  auto deleted = RunProgram({"ldapdelete", "-r", "-x", "-H", endpoint.uri, "-D", endpoint.bind_dn,
                             "-y", endpoint.password_file, endpoint.base_dn});
  if (!deleted)
    return Fail(deleted.error());
  if (deleted->exit_code != 0 && deleted->exit_code != kNoSuchObject)
    return Fail("ldapdelete -r " + endpoint.base_dn + " failed (exit " +
                std::to_string(deleted->exit_code) + "): " + deleted->output);
  return {};
}

}  // namespace ccm::test
