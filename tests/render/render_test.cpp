#include "render/render.h"

#include <doctest/doctest.h>

#include "test_util.h"

using namespace telcomply;
using telcomply::test::error_of;
using telcomply::test::TempDir;

TEST_CASE("the page shell sets lang and title, escapes values and places the content as is") {
  const std::string page =
      render_page(Language::nl, "Cookies & <meer>", "<p>inhoud</p>", std::filesystem::path{});
  CHECK(page.starts_with("<!DOCTYPE html>\n<html lang=\"nl\">"));
  CHECK(page.find("<title>Cookies &amp; &lt;meer&gt;</title>") != std::string::npos);
  CHECK(page.find("<main>\n<p>inhoud</p>\n</main>") != std::string::npos);
  CHECK(page.find("http") == std::string::npos);  // nothing loaded from elsewhere
  CHECK(render_page(Language::en, "t", "", {}).find("<html lang=\"en\">") != std::string::npos);
}

TEST_CASE("a template's values are escaped, control and bidi characters made visible") {
  const nlohmann::json data{{"site", "a\"b'<c>\u202e\x1b"}, {"t", {{"title", "T"}}}};
  const std::string out = render_template("cookie-table.html.mustache", data, {});
  CHECK(out.find("a&quot;b&#39;&lt;c&gt;") != std::string::npos);
  CHECK(out.find('\x1b') == std::string::npos);
  CHECK(out.find("\u202e") == std::string::npos);
}

TEST_CASE("an operator's template replaces the built-in one of its name") {
  TempDir dir;
  dir.write("page.html.mustache", "<html lang=\"{{lang}}\"><h1>Voipgrow</h1>{{{content}}}</html>");
  CHECK(render_page(Language::nl, "x", "<p>y</p>", dir.path()) ==
        "<html lang=\"nl\"><h1>Voipgrow</h1><p>y</p></html>");
  // The other templates stay built in.
  CHECK(render_template("cookie-table.html.mustache", nlohmann::json::object(), dir.path())
            .starts_with("<section class=\"cookie-table\">"));
  CHECK_NOTHROW(check_template_folder(dir.path()));
}

TEST_CASE("a broken or unknown template is invalid input naming the file") {
  TempDir dir;
  dir.write("page.html.mustache", "<html>{{#content}}</html>");
  const std::string broken = error_of([&] { render_page(Language::en, "x", "y", dir.path()); });
  CHECK(broken.starts_with((dir.path() / "page.html.mustache").string() + ": "));
  CHECK(error_of([&] {
          check_template_folder(dir.path());
        }).starts_with((dir.path() / "page.html.mustache").string() + ": "));
  std::filesystem::remove(dir.path() / "page.html.mustache");
  dir.write("cookies.html", "x");
  CHECK(error_of([&] { check_template_folder(dir.path()); }) ==
        "template '" + (dir.path() / "cookies.html").string() +
            "' replaces no template of telcomply (known: cookie-table.html.mustache, "
            "export.html.mustache, page.html.mustache, register.html.mustache, "
            "subprocessor-list.html.mustache, subprocessor-notice.html.mustache)");
  CHECK(error_of([&] { check_template_folder(dir.path() / "missing"); }).find("is not a folder") !=
        std::string::npos);
  std::filesystem::remove(dir.path() / "cookies.html");
  dir.write("page.html.mustache", "\xff\xfe");
  CHECK(error_of([&] { render_page(Language::en, "x", "y", dir.path()); }).find("not UTF-8") !=
        std::string::npos);
}
