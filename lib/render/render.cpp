#include "render/render.h"

#include <algorithm>
#include <fstream>
#include <kainjow/mustache.hpp>
#include <sstream>

#include "core/error.h"
#include "core/input.h"
#include "render/builtin.h"
#include "report/escape.h"

namespace telcomply {

namespace {

namespace mustache = kainjow::mustache;

// An operator's template larger than this is refused: a page template is a few kilobytes.
constexpr std::uintmax_t kMaxTemplateBytes = 1 << 20;

const builtin_templates::Template* builtin(std::string_view name) {
  const auto& all = builtin_templates::all();
  auto it = std::find_if(all.begin(), all.end(),
                         [&](const builtin_templates::Template& t) { return t.name == name; });
  return it == all.end() ? nullptr : &*it;
}

std::string read_template(const std::filesystem::path& path) {
  require_regular_file(path, "template");
  std::error_code ec;
  if (std::filesystem::file_size(path, ec) > kMaxTemplateBytes)
    throw_invalid("template '" + path.string() + "' is larger than 1 MiB");
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in.good() && !in.eof()) throw_operational("cannot read template '" + path.string() + "'");
  const std::string out = std::move(text).str();
  if (auto bad = first_invalid_utf8(out))
    throw_invalid("template '" + path.string() + "': not UTF-8 at byte " + std::to_string(*bad));
  return out;
}

mustache::data to_data(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::object: {
      mustache::data out{mustache::data::type::object};
      for (const auto& [key, item] : value.items()) out.set(key, to_data(item));
      return out;
    }
    case nlohmann::json::value_t::array: {
      mustache::data out{mustache::data::type::list};
      for (const auto& item : value) out.push_back(to_data(item));
      return out;
    }
    case nlohmann::json::value_t::string:
      return mustache::data{value.get<std::string>()};
    case nlohmann::json::value_t::boolean:
      return mustache::data{value.get<bool>()};
    case nlohmann::json::value_t::null:
      return mustache::data{false};
    default:
      return mustache::data{value.dump()};
  }
}

// The template `name` parsed, from `folder` or built in; `where` names it in messages.
mustache::mustache parse(std::string_view name, const std::filesystem::path& folder,
                         std::string& where) {
  const builtin_templates::Template* own = builtin(name);
  if (!own) throw_invalid("no template named '" + std::string(name) + "'");
  std::string text;
  if (!folder.empty() && std::filesystem::exists(folder / name)) {
    where = (folder / name).string();
    text = read_template(folder / name);
  } else {
    where = "built-in template " + std::string(name);
    text = std::string(own->text);
  }
  mustache::mustache tmpl{text};
  if (!tmpl.is_valid()) throw_invalid(where + ": " + tmpl.error_message());
  tmpl.set_custom_escape([](const std::string& s) { return html_escaped(s); });
  return tmpl;
}

}  // namespace

std::vector<std::string_view> template_names() {
  std::vector<std::string_view> out;
  for (const auto& t : builtin_templates::all()) out.push_back(t.name);
  return out;
}

std::string render_template(std::string_view name, const nlohmann::json& data,
                            const std::filesystem::path& folder) {
  std::string where;
  mustache::mustache tmpl = parse(name, folder, where);
  std::string out = tmpl.render(to_data(data));
  if (!tmpl.is_valid()) throw_invalid(where + ": " + tmpl.error_message());
  return out;
}

std::string render_page(Language language, const std::string& title, const std::string& content,
                        const std::filesystem::path& folder) {
  const nlohmann::json data{{"lang", to_string(language)}, {"title", title}, {"content", content}};
  return render_template("page.html.mustache", data, folder);
}

void check_template_folder(const std::filesystem::path& folder) {
  std::error_code ec;
  if (!std::filesystem::is_directory(folder, ec))
    throw_invalid("templates: '" + folder.string() + "' is not a folder");
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(folder, ec))
    files.push_back(entry.path());
  if (ec)
    throw_operational("cannot read templates folder '" + folder.string() + "': " + ec.message());
  std::sort(files.begin(), files.end());
  for (const auto& path : files) {
    const std::string name = path.filename().string();
    if (!builtin(name)) {
      std::string known;
      for (auto n : template_names()) known += (known.empty() ? "" : ", ") + std::string(n);
      throw_invalid("template '" + path.string() +
                    "' replaces no template of telcomply (known: " + known + ")");
    }
    std::string where;
    (void)parse(name, folder, where);
  }
}

}  // namespace telcomply
