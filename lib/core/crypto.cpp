#include "core/crypto.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <fstream>
#include <memory>

#include "core/error.h"

namespace telcomply {

namespace {

std::string hex(const unsigned char* data, std::size_t size) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out(size * 2, '0');
  for (std::size_t i = 0; i < size; ++i) {
    out[2 * i] = digits[data[i] >> 4];
    out[2 * i + 1] = digits[data[i] & 0xf];
  }
  return out;
}

using DigestContext = std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)>;

}  // namespace

std::string base64(std::string_view data) {
  std::string out;
  // EVP_EncodeBlock takes an int length: encode in pieces of whole 3-byte groups.
  constexpr std::size_t kPiece = 3 * (1 << 20);
  for (std::size_t at = 0; at < data.size(); at += kPiece) {
    const std::size_t n = std::min(kPiece, data.size() - at);
    const std::size_t start = out.size();
    out.resize(start + 4 * ((n + 2) / 3) + 1);
    const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data() + start),
                                        reinterpret_cast<const unsigned char*>(data.data() + at),
                                        static_cast<int>(n));
    out.resize(start + static_cast<std::size_t>(written));
  }
  return out;
}

std::string sha256_hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &size, EVP_sha256(), nullptr) != 1)
    throw_operational("sha-256 failed");
  return hex(digest, size);
}

struct Sha256::Context {
  DigestContext digest{EVP_MD_CTX_new(), EVP_MD_CTX_free};
};

Sha256::Sha256() : ctx_(std::make_unique<Context>()) {
  if (!ctx_->digest || EVP_DigestInit_ex(ctx_->digest.get(), EVP_sha256(), nullptr) != 1)
    throw_operational("sha-256 failed");
}

Sha256::~Sha256() = default;

void Sha256::update(std::string_view data) {
  if (EVP_DigestUpdate(ctx_->digest.get(), data.data(), data.size()) != 1)
    throw_operational("sha-256 failed");
}

std::string Sha256::hex_digest() {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_DigestFinal_ex(ctx_->digest.get(), digest, &size) != 1)
    throw_operational("sha-256 failed");
  return hex(digest, size);
}

std::string sha256_file_hex(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw_operational("cannot read '" + path.string() + "' to hash it");
  Sha256 hash;
  char buffer[1 << 16];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0)
    hash.update(std::string_view(buffer, static_cast<std::size_t>(in.gcount())));
  if (in.bad()) throw_operational("cannot read '" + path.string() + "' to hash it");
  return hash.hex_digest();
}

std::string hmac_sha256_hex(std::string_view key, std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (!HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
            reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest, &size))
    throw_operational("hmac-sha-256 failed");
  return hex(digest, size);
}

}  // namespace telcomply
