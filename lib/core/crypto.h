// SHA-256 and HMAC-SHA-256 (OpenSSL libcrypto), as lowercase hex.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace telcomply {

std::string sha256_hex(std::string_view data);
// SHA-256 of data given in pieces (a file too large to hold at once).
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void update(std::string_view data);
  // The digest of everything given so far, as lowercase hex; ends the hash.
  std::string hex_digest();

 private:
  struct Context;
  std::unique_ptr<Context> ctx_;
};
// `data` in base64 (RFC 4648, with padding).
std::string base64(std::string_view data);
// Hash of a file's contents; throws Error(operational) when it cannot be read.
std::string sha256_file_hex(const std::filesystem::path& path);
std::string hmac_sha256_hex(std::string_view key, std::string_view data);

}  // namespace telcomply
