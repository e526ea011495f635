// SHA-256 and HMAC-SHA-256 (OpenSSL libcrypto), as lowercase hex.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace telcomply {

std::string sha256_hex(std::string_view data);
// `data` in base64 (RFC 4648, with padding).
std::string base64(std::string_view data);
// Hash of a file's contents; throws Error(operational) when it cannot be read.
std::string sha256_file_hex(const std::filesystem::path& path);
std::string hmac_sha256_hex(std::string_view key, std::string_view data);

}  // namespace telcomply
