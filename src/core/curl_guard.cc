#include "core/curl_guard.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "core/url_guard.h"

namespace bramka::core {
namespace {

curl_socket_t OpenSocket(void* user, curlsocktype /*purpose*/, struct curl_sockaddr* address) {
  auto* guard = static_cast<CurlSocketGuard*>(user);
  if (!guard->allow_private && !IsPublicAddress(&address->addr)) {
    char text[INET6_ADDRSTRLEN] = "?";
    if (address->family == AF_INET) {
      inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(&address->addr)->sin_addr, text,
                sizeof text);
    } else if (address->family == AF_INET6) {
      inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(&address->addr)->sin6_addr, text,
                sizeof text);
    }
    guard->refused = text;
    return CURL_SOCKET_BAD;
  }
  return socket(address->family, address->socktype, address->protocol);
}

}  // namespace

void InstallCurlSocketGuard(CURL* handle, CurlSocketGuard* guard) {
  curl_easy_setopt(handle, CURLOPT_OPENSOCKETFUNCTION, &OpenSocket);
  curl_easy_setopt(handle, CURLOPT_OPENSOCKETDATA, guard);
  curl_easy_setopt(handle, CURLOPT_PROXY, "");
}

std::string RefusedAddressText(const std::string& address) {
  return "it leads to " + address + ", a loopback, private or link-local address";
}

}  // namespace bramka::core
