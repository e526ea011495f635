#include "scrub/ledger.h"

#include "core/crypto.h"
#include "core/error.h"
#include "io/audit.h"

namespace telcomply {

std::string ledger_subject(std::string_view customer_number, std::string_view key) {
  return hmac_sha256_hex(key, customer_number);
}

std::string ledger_key_id(std::string_view key) {
  return hmac_sha256_hex(key, "telcomply erasure ledger").substr(0, 16);
}

LedgerSubjects read_ledger(const std::filesystem::path& path, const std::optional<Date>& since,
                           std::string_view key) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec))
    throw_invalid("erasure ledger '" + path.string() + "' does not exist");
  const std::string key_id = ledger_key_id(key);
  const std::string from = since ? since->iso() : "";
  LedgerSubjects out;
  read_json_lines(path, "erasure ledger", [&](std::int64_t line, const nlohmann::json& record) {
    auto fail = [&](const std::string& message) {
      throw_invalid(path.string() + ":" + std::to_string(line) + ": " + message);
    };
    auto text = [&](const char* field) {
      const auto it = record.find(field);
      if (it == record.end() || !it->is_string())
        fail(std::string("'") + field + "' is missing or not a string");
      return it->get<std::string>();
    };
    if (text("kind") != "erasure") return;
    if (text("time").substr(0, 10) < from) return;
    const std::string subject = text("subject");
    if (subject.size() != 64 || subject.find_first_not_of("0123456789abcdef") != std::string::npos)
      fail("'subject' is not a SHA-256 in hex");
    const std::string id = text("key_id");
    if (id.size() != 16 || id.find_first_not_of("0123456789abcdef") != std::string::npos)
      fail("'key_id' is not a key id (16 hex digits)");
    if (id != key_id)
      fail("recorded with another pseudonym key (key id " + id + ", the current key's is " +
           key_id + "): its subjects cannot be found with this key; restore that key to replay it");
    out.subjects.insert(subject);
    ++out.records;
  });
  return out;
}

}  // namespace telcomply
