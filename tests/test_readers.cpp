// Input readers: JSONL (plain, gzip, zstd), scraped portal pages, HTML pages, directory walks,
// and the promise that bad input is reported with file, line and field, never a crash.
#include <zlib.h>
#include <zstd.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "temp_dir.h"
#include "vnsearch/encoding.h"
#include "vnsearch/readers.h"

namespace fs = std::filesystem;
using vnsearch::Document;
using vnsearch::Encoding;
using vnsearch::ReadFlow;
using vnsearch::ReadIssue;
using vnsearch::ReadOptions;
using vnsearch::ReadProgress;
using vnsearch::ReadSummary;

namespace {

const fs::path kSourceDir = VNSEARCH_SOURCE_DIR;
const std::string kReplacement = "\xEF\xBF\xBD";

// A temporary directory that can also write gzip and zstd files.
class TempDir : public vnsearch::test::TempDir {
 public:
  TempDir() : vnsearch::test::TempDir("vnsearch-readers") {}

  fs::path write_gzip(const std::string& name, const std::string& bytes) const {
    const fs::path file = *this / name;
    gzFile out = gzopen(file.c_str(), "wb");
    REQUIRE(out != nullptr);
    REQUIRE(gzwrite(out, bytes.data(), static_cast<unsigned>(bytes.size())) ==
            static_cast<int>(bytes.size()));
    gzclose(out);
    return file;
  }
  fs::path write_zstd(const std::string& name, const std::string& bytes) const {
    std::string compressed(ZSTD_compressBound(bytes.size()), '\0');
    const std::size_t n =
        ZSTD_compress(compressed.data(), compressed.size(), bytes.data(), bytes.size(), 3);
    REQUIRE_FALSE(ZSTD_isError(n));
    compressed.resize(n);
    return write(name, compressed);
  }
};

struct Collected {
  std::vector<Document> documents;
  std::vector<ReadIssue> issues;
  std::vector<ReadProgress> progress;
  ReadSummary summary;

  const Document* find(const std::string& id) const {
    for (const auto& d : documents) {
      if (d.id == id) return &d;
    }
    return nullptr;
  }
  std::vector<std::string> ids() const {
    std::vector<std::string> out;
    for (const auto& d : documents) out.push_back(d.id);
    return out;
  }
  std::string all_issues() const {
    std::string out;
    for (const auto& issue : issues) out += vnsearch::format_issue(issue) + "\n";
    return out;
  }
};

Collected read_all(std::vector<fs::path> paths, const ReadOptions& options = {}) {
  Collected c;
  c.summary = vnsearch::read_documents(
      paths, options,
      [&](Document&& d, const ReadProgress& p) {
        c.documents.push_back(std::move(d));
        c.progress.push_back(p);
        return ReadFlow::kContinue;
      },
      [&](const ReadIssue& issue) {
        c.issues.push_back(issue);
        return ReadFlow::kContinue;
      });
  return c;
}

const std::string kGoodLine =
    R"({"id": "a1", "title": "Tiêu đề", "description": "Sapo", "body": "Nội dung bài.",)"
    R"( "date": "2024-02-07T23:41:00+07:00", "source": "VnExpress", "url": "https://x.vn/a1",)"
    R"( "author": "Lan Anh", "category": "Thời sự", "tags": ["Gaza", "Israel"],)"
    R"( "cluster": 17, "extra": {"nested": [1, 2]}})";

}  // namespace

TEST_CASE("JSONL: every field is read and unknown fields are ignored", "[readers][jsonl]") {
  TempDir dir;
  const fs::path file = dir.write("news.jsonl", kGoodLine + "\n");
  const Collected c = read_all({file});
  INFO(c.all_issues());
  CHECK(c.issues.empty());
  REQUIRE(c.documents.size() == 1);
  const Document& d = c.documents[0];
  CHECK(d.id == "a1");
  CHECK(d.title == "Tiêu đề");
  CHECK(d.description == "Sapo");
  CHECK(d.body == "Nội dung bài.");
  CHECK(d.date == "2024-02-07T23:41:00+07:00");
  CHECK(d.timestamp == 1707324060);
  CHECK(d.source == "VnExpress");
  CHECK(d.url == "https://x.vn/a1");
  CHECK(d.author == "Lan Anh");
  CHECK(d.category == "Thời sự");
  CHECK(d.tags == std::vector<std::string>{"Gaza", "Israel"});
  CHECK(d.origin == file.string() + ":1");
}

TEST_CASE("JSONL: null and absent fields are empty; integer ids are accepted", "[readers][jsonl]") {
  TempDir dir;
  const fs::path file =
      dir.write("news.jsonl", R"({"id": 42, "title": null, "date": null, "tags": null})"
                              "\n"
                              R"({"id": "b"})");  // last line without newline
  const Collected c = read_all({file});
  CHECK(c.issues.empty());
  REQUIRE(c.ids() == std::vector<std::string>{"42", "b"});
  CHECK(c.documents[0].title.empty());
  CHECK(c.documents[0].date.empty());
  CHECK_FALSE(c.documents[0].timestamp);
  CHECK(c.documents[1].origin == file.string() + ":2");
}

TEST_CASE("JSONL: a bad line is reported as file:line: reason and skipped", "[readers][jsonl]") {
  TempDir dir;
  const std::string lines[] = {
      R"({"id": "first", "title": "ok"})",
      R"({"id": "broken", "title": )",       // 2: malformed JSON
      R"({"title": "no id here"})",          // 3: no id
      R"({"id": "t", "title": 12345})",      // 4: title as number
      R"({"id": "g", "tags": "a, b"})",      // 5: tags not an array
      R"([1, 2, 3])",                        // 6: not an object
      R"({"id": "", "title": "empty id"})",  // 7: empty id
      "   ",                                 // 8: blank, ignored
      R"({"id": "d", "date": 20240207})",    // 9: date as number
      R"({"id": "last", "title": "still read"})",
  };
  std::string text;
  for (const auto& line : lines) text += line + "\n";
  const fs::path file = dir.write("mixed.jsonl", text);
  const Collected c = read_all({file});

  CHECK(c.ids() == std::vector<std::string>{"first", "last"});
  CHECK(c.summary.skipped == 7);
  REQUIRE(c.issues.size() == 7);
  for (const auto& issue : c.issues) {
    CHECK(issue.file == file.string());
    CHECK(issue.fatal_for_document);
  }
  CHECK(c.issues[0].line == 2);
  CHECK(c.issues[0].message.find("invalid JSON") != std::string::npos);
  CHECK(vnsearch::format_issue(c.issues[0]).starts_with(file.string() + ":2: invalid JSON"));
  CHECK(c.issues[1].line == 3);
  CHECK(c.issues[1].field == "id");
  CHECK(c.issues[2].line == 4);
  CHECK(c.issues[2].field == "title");
  CHECK(c.issues[2].id == "t");
  CHECK(c.issues[2].message == "must be a string, not number");
  CHECK(c.issues[3].line == 5);
  CHECK(c.issues[3].field == "tags");
  CHECK(c.issues[4].line == 6);
  CHECK(c.issues[4].message.find("object") != std::string::npos);
  CHECK(c.issues[5].line == 7);
  CHECK(c.issues[5].field == "id");
  CHECK(c.issues[6].line == 9);
  CHECK(c.issues[6].field == "date");
}

TEST_CASE("JSONL: invalid UTF-8 inside a string is repaired to U+FFFD with a warning",
          "[readers][jsonl]") {
  TempDir dir;
  // \xC3\x28 is a broken two-byte sequence; \xFF never occurs in UTF-8.
  const fs::path file = dir.write("bad-utf8.jsonl",
                                  "{\"id\": \"u\", \"title\": \"Vi\xC3\x28t Nam\", \"body\": "
                                  "\"a\xFF b\"}\n");
  const Collected c = read_all({file});
  REQUIRE(c.documents.size() == 1);
  CHECK(c.documents[0].title == "Vi" + kReplacement + "(t Nam");
  CHECK(c.documents[0].body == "a" + kReplacement + " b");
  REQUIRE(c.issues.size() == 1);
  CHECK_FALSE(c.issues[0].fatal_for_document);
  CHECK(c.issues[0].line == 1);
  CHECK(c.issues[0].id == "u");
  CHECK(c.issues[0].field == "title,body");
  CHECK(c.issues[0].message.find("2 invalid UTF-8") != std::string::npos);
  CHECK(c.summary.warnings == 1);
}

TEST_CASE("JSONL: invalid UTF-8 outside any string is a bad line", "[readers][jsonl]") {
  TempDir dir;
  const fs::path file = dir.write("junk.jsonl", "{\"id\": \"x\"}\xFF\n{\"id\": \"y\"}\n");
  const Collected c = read_all({file});
  CHECK(c.ids() == std::vector<std::string>{"y"});
  REQUIRE_FALSE(c.issues.empty());
  CHECK(c.issues.back().line == 1);
  CHECK(c.issues.back().fatal_for_document);
}

TEST_CASE("JSONL: an unparseable date is a warning and leaves the date empty", "[readers][jsonl]") {
  TempDir dir;
  const fs::path file =
      dir.write("dates.jsonl", R"({"id": "a", "date": "31/2/2024"})"
                               "\n"
                               R"j({"id": "b", "date": "Thứ tư, 7/2/2024, 23:41 (GMT+7)"})j"
                               "\n");
  const Collected c = read_all({file});
  REQUIRE(c.documents.size() == 2);
  CHECK(c.documents[0].date.empty());
  CHECK_FALSE(c.documents[0].timestamp);
  CHECK(c.documents[1].date == "2024-02-07T23:41:00+07:00");
  REQUIRE(c.issues.size() == 1);
  CHECK(c.issues[0].field == "date");
  CHECK(c.issues[0].id == "a");
  CHECK_FALSE(c.issues[0].fatal_for_document);
}

TEST_CASE("JSONL: gzip and zstd files read like plain ones", "[readers][jsonl][compressed]") {
  TempDir dir;
  std::string text = "\xEF\xBB\xBF";  // a BOM on the first line is tolerated
  for (int i = 0; i < 2000; ++i) {
    text += R"({"id": "n)" + std::to_string(i) +
            R"(", "body": "Hà Nội mùa thu"})"
            "\r\n";
  }
  const Collected plain = read_all({dir.write("p.jsonl", text)});
  const Collected gz = read_all({dir.write_gzip("g.jsonl.gz", text)});
  const Collected zst = read_all({dir.write_zstd("z.jsonl.zst", text)});
  for (const Collected* c : {&plain, &gz, &zst}) {
    INFO(c->all_issues());
    CHECK(c->issues.empty());
    REQUIRE(c->documents.size() == 2000);
    CHECK(c->documents.front().id == "n0");
    CHECK(c->documents.back().id == "n1999");
    CHECK(c->documents.back().body == "Hà Nội mùa thu");
  }
}

TEST_CASE("JSONL: a truncated compressed file is reported, not crashed on",
          "[readers][jsonl][compressed]") {
  TempDir dir;
  std::string text;
  for (int i = 0; i < 5000; ++i)
    text += R"({"id": "n)" + std::to_string(i) +
            R"("})"
            "\n";
  const fs::path zst = dir.write_zstd("z.jsonl.zst", text);
  fs::resize_file(zst, fs::file_size(zst) / 2);
  const fs::path gz = dir.write_gzip("g.jsonl.gz", text);
  fs::resize_file(gz, fs::file_size(gz) / 2);
  for (const fs::path& file : {zst, gz}) {
    const Collected c = read_all({file});
    INFO(file);
    CHECK(c.documents.size() < 5000);
    REQUIRE_FALSE(c.issues.empty());
    CHECK(c.issues.back().fatal_for_document);
    CHECK(c.issues.back().message.find("rest of file skipped") != std::string::npos);
  }
}

TEST_CASE("JSONL: a huge body is cut at a character boundary with a warning",
          "[readers][jsonl][huge]") {
  TempDir dir;
  // 60 MB of "ệ" (3 bytes each): the cap falls inside a character unless the reader backs off.
  const std::string body = [] {
    std::string s;
    s.reserve(60u << 20);
    while (s.size() < (60u << 20)) s += "ệ";
    return s;
  }();
  const fs::path file = dir.write("huge.jsonl", R"({"id": "big", "body": ")" + body +
                                                    "\"}\n"
                                                    R"({"id": "next"})");
  const ReadOptions options;  // the documented default cap
  const Collected c = read_all({file}, options);
  REQUIRE(c.ids() == std::vector<std::string>{"big", "next"});
  const Document& big = c.documents[0];
  CHECK(big.body.size() <= options.max_body_bytes);
  CHECK(big.body.size() > options.max_body_bytes - 4);
  CHECK(big.body.size() % 3 == 0);
  CHECK(vnsearch::is_valid_utf8(big.body));
  REQUIRE(c.issues.size() == 1);
  CHECK(c.issues[0].id == "big");
  CHECK(c.issues[0].line == 1);
  CHECK(c.issues[0].field == "body");
  CHECK_FALSE(c.issues[0].fatal_for_document);
}

TEST_CASE("JSONL: a line over max_line_bytes is skipped and reading goes on",
          "[readers][jsonl][huge]") {
  TempDir dir;
  const std::string long_line = R"({"id": "long", "body": ")" + std::string(5000, 'x') + "\"}";
  const fs::path file = dir.write("long.jsonl", R"({"id": "a"})"
                                                "\n" +
                                                    long_line +
                                                    "\n"
                                                    R"({"id": "b"})"
                                                    "\n" +
                                                    long_line);
  ReadOptions options;
  options.max_line_bytes = 1000;
  const Collected c = read_all({file}, options);
  CHECK(c.ids() == std::vector<std::string>{"a", "b"});
  REQUIRE(c.issues.size() == 2);
  CHECK(c.issues[0].line == 2);
  CHECK(c.issues[1].line == 4);
  CHECK(c.issues[0].fatal_for_document);
}

TEST_CASE("Portal page: title, body, author and category without the site boilerplate",
          "[readers][portal]") {
  const fs::path page = kSourceDir / "corpus/portal/ca-brvt-cum-thi-dua-so-8.txt";
  const Collected c = read_all({page});
  INFO(c.all_issues());
  CHECK(c.issues.empty());
  REQUIRE(c.documents.size() == 1);
  const Document& d = c.documents[0];
  CHECK(d.id == "ca-brvt-cum-thi-dua-so-8");
  CHECK(d.title ==
        "Hội nghị tổng kết phong trào thi đua ‘Vì An ninh Tổ quốc” năm 2020 của cụm thi đua số "
        "8, Bộ Công an");
  CHECK(d.category == "Hoạt động CA tỉnh BRVT");
  CHECK(d.author == "Đội Tuyên truyền");
  CHECK(d.body.starts_with("Sáng ngày 16/11"));
  CHECK(d.body.ends_with("cho Công an tỉnh Đồng Tháp."));
  CHECK(d.date.empty());  // "16/11" has no year: not guessed
  for (const std::string& field : {d.title, d.body, d.author, d.category, d.description}) {
    for (const char* junk : {"Thống Kê Truy Cập", "Tổng số lượt truy cập", "Tố giác tội phạm",
                             "Thông tin tuyên truyền", "Đội Tuyên truyền)"}) {
      CHECK(field.find(junk) == std::string::npos);
    }
  }
}

TEST_CASE("Portal page: the bundled copy is the shared one", "[readers][portal][shared]") {
  const fs::path shared = kSourceDir / "../shared/corpus/portal/ca-brvt-cum-thi-dua-so-8.txt";
  if (!fs::exists(shared)) {
    WARN("../shared not found; skipped");
    return;
  }
  auto slurp = [](const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  CHECK(slurp(shared) == slurp(kSourceDir / "corpus/portal/ca-brvt-cum-thi-dua-so-8.txt"));
}

TEST_CASE("Portal page: boilerplate is recognized by shape, not by words", "[readers][portal]") {
  TempDir dir;
  const fs::path page = dir.write("so-gd.txt",
                                  "Tin giáo dục\n"  // header printed on two lines this time
                                  "Tin giáo dục\n\n"
                                  "Khai giảng năm học mới tại trường Tiểu học Hòa Bình\n\n"
                                  "16/11/2020 08:30\n\n"
                                  "Sáng nay, hơn 500 học sinh đã dự lễ khai giảng năm học mới.\n\n"
                                  "Nhà trường đã chuẩn bị chu đáo cho ngày hội đến trường.\n\n"
                                  "Trang chủ\n"
                                  "Giới thiệu\n\n"
                                  "Lịch công tác Lịch công tác\n\n"
                                  "Đang online: 12\n"
                                  "Tổng lượt xem: 1.234.567\n");
  const Collected c = read_all({page});
  INFO(c.all_issues());
  REQUIRE(c.documents.size() == 1);
  const Document& d = c.documents[0];
  CHECK(d.id == "so-gd");
  CHECK(d.category == "Tin giáo dục");
  CHECK(d.title == "Khai giảng năm học mới tại trường Tiểu học Hòa Bình");
  CHECK(d.date == "2020-11-16T08:30:00+07:00");
  CHECK(d.body ==
        "Sáng nay, hơn 500 học sinh đã dự lễ khai giảng năm học mới.\n"
        "Nhà trường đã chuẩn bị chu đáo cho ngày hội đến trường.");
  CHECK(d.author.empty());
}

TEST_CASE("HTML: og:title preferred; nav, header, footer, aside and scripts dropped",
          "[readers][html]") {
  TempDir dir;
  const fs::path page = dir.write("bai-viet-1.html", R"(<!DOCTYPE html>
<html><head>
<title>Giá vàng tăng mạnh - Báo Mẫu</title>
<meta property="og:title" content="Giá vàng tăng mạnh phiên đầu tuần">
<meta property="og:description" content="Giá vàng miếng SJC tăng 500.000 đồng mỗi lượng.">
<meta property="article:published_time" content="2024-02-05T09:15:00+07:00">
<meta property="og:site_name" content="Báo Mẫu">
<meta property="article:section" content="Kinh doanh">
<meta property="article:tag" content="giá vàng">
<link rel="canonical" href="https://baomau.vn/gia-vang-1.html">
<script>var tracking = "Đừng lập chỉ mục dòng này";</script>
<style>.x { color: red }</style>
</head><body>
<header><div class="logo">Báo Mẫu</div><h1>Báo Mẫu</h1></header>
<nav><ul><li><a href="/">Trang chủ</a></li><li><a href="/kd">Kinh doanh</a></li></ul></nav>
<div class="main">
  <h1>Giá vàng tăng mạnh</h1>
  <div class="content">
    <p>Sáng nay, giá vàng miếng SJC được các doanh nghiệp điều chỉnh tăng 500.000 đồng mỗi lượng.</p>
    <p>Theo các chuyên gia, giá vàng thế giới tăng do đồng USD suy yếu, nhu cầu trú ẩn tăng.</p>
    <!-- quảng cáo: không phải nội dung -->
    <p>Nhiều người dân đã xếp hàng từ sớm tại các cửa hàng vàng bạc ở Hà Nội và TP HCM.</p>
    <ul class="related"><li><a href="/1">Tin liên quan thứ nhất về giá vàng</a></li>
      <li><a href="/2">Tin liên quan thứ hai về giá vàng hôm nay</a></li></ul>
  </div>
</div>
<aside><p>Đọc nhiều nhất: bài viết rất dài ở cột bên cạnh, không thuộc bài chính.</p></aside>
<footer><p>Bản quyền thuộc Báo Mẫu. Ghi rõ nguồn khi phát hành lại thông tin từ website này.</p></footer>
</body></html>)");
  const Collected c = read_all({page});
  INFO(c.all_issues());
  CHECK(c.issues.empty());
  REQUIRE(c.documents.size() == 1);
  const Document& d = c.documents[0];
  CHECK(d.id == "bai-viet-1");
  CHECK(d.title == "Giá vàng tăng mạnh phiên đầu tuần");
  CHECK(d.description == "Giá vàng miếng SJC tăng 500.000 đồng mỗi lượng.");
  CHECK(d.date == "2024-02-05T09:15:00+07:00");
  CHECK(d.source == "Báo Mẫu");
  CHECK(d.category == "Kinh doanh");
  CHECK(d.url == "https://baomau.vn/gia-vang-1.html");
  CHECK(d.tags == std::vector<std::string>{"giá vàng"});
  CHECK(d.body ==
        "Sáng nay, giá vàng miếng SJC được các doanh nghiệp điều chỉnh tăng 500.000 đồng mỗi "
        "lượng.\n"
        "Theo các chuyên gia, giá vàng thế giới tăng do đồng USD suy yếu, nhu cầu trú ẩn tăng.\n"
        "Nhiều người dân đã xếp hàng từ sớm tại các cửa hàng vàng bạc ở Hà Nội và TP HCM.");
}

TEST_CASE("HTML: h1 title and <time datetime> when there is no metadata", "[readers][html]") {
  TempDir dir;
  const fs::path page = dir.write("bai-2.htm", R"(<html><head><title>Trang | Site</title>
<meta name="description" content="Mô tả ngắn."></head><body>
<article>
  <h1>Bão số 3 đổ bộ vào miền Bắc</h1>
  <time datetime="2024-09-07T14:00:00+07:00">Thứ bảy, 7/9/2024</time>
  <p>Bão số 3 đã đổ bộ vào các tỉnh ven biển miền Bắc với sức gió mạnh cấp 12.</p>
  <p>Hàng nghìn cây xanh bị quật đổ, nhiều khu vực mất điện trên diện rộng.</p>
</article></body></html>)");
  const Collected c = read_all({page});
  REQUIRE(c.documents.size() == 1);
  const Document& d = c.documents[0];
  CHECK(d.id == "bai-2");
  CHECK(d.title == "Bão số 3 đổ bộ vào miền Bắc");
  CHECK(d.description == "Mô tả ngắn.");
  CHECK(d.date == "2024-09-07T14:00:00+07:00");
  CHECK(d.body.starts_with("Thứ bảy, 7/9/2024\nBão số 3 đã đổ bộ"));
  CHECK(d.body.find("Bão số 3 đổ bộ vào miền Bắc") == std::string::npos);  // the h1
}

TEST_CASE("HTML: a Vietnamese date printed under the headline", "[readers][html]") {
  TempDir dir;
  const fs::path page = dir.write("bai-3.html", R"(<html><body>
<div class="top">Hôm nay: Thứ hai, 1/1/2024</div>
<div class="detail"><h1 class="title">Hội nghị tổng kết năm</h1>
<div class="meta"><span>Thứ tư, 7/2/2024, 23:41 (GMT+7)</span></div>
<div class="text"><p>Hội nghị tổng kết công tác năm đã diễn ra sáng nay tại hội trường.</p>
<p>Các đại biểu đã thảo luận phương hướng nhiệm vụ cho năm tới một cách sôi nổi.</p></div>
</div></body></html>)");
  const Collected c = read_all({page});
  REQUIRE(c.documents.size() == 1);
  CHECK(c.documents[0].title == "Hội nghị tổng kết năm");
  CHECK(c.documents[0].date == "2024-02-07T23:41:00+07:00");  // not the header's "today"
  CHECK(c.documents[0].body.find("Hội nghị tổng kết công tác năm") == 0);
}

TEST_CASE("HTML: <title> as last resort; empty pages are skipped", "[readers][html]") {
  TempDir dir;
  const fs::path titled = dir.write(
      "t.html",
      "<title> Chỉ có tiêu đề </title><div>Một đoạn văn bản đủ dài để làm nội dung.</div>");
  const fs::path empty = dir.write("e.html", "<html><body><nav><a href='/'>Trang chủ</a></nav>");
  const Collected c = read_all({titled, empty});
  REQUIRE(c.ids() == std::vector<std::string>{"t"});
  CHECK(c.documents[0].title == "Chỉ có tiêu đề");
  CHECK(c.documents[0].body == "Một đoạn văn bản đủ dài để làm nội dung.");
  REQUIRE_FALSE(c.issues.empty());
  CHECK(c.issues.back().file == empty.string());
  CHECK(c.issues.back().fatal_for_document);
}

TEST_CASE("HTML: absurdly deep markup is refused quickly, not parsed for minutes",
          "[readers][html][huge]") {
  TempDir dir;
  std::string deep = "<title>Sâu</title>";
  for (int i = 0; i < 200000; ++i) deep += "<div>";
  deep += "<p>Một đoạn văn bản đủ dài để làm nội dung bài viết.</p>";
  const fs::path page = dir.write("deep.html", deep);
  const Collected c = read_all({page});
  CHECK(c.documents.empty());
  REQUIRE(c.issues.size() == 1);
  CHECK(c.issues[0].fatal_for_document);
  CHECK(c.issues[0].message.find("nested") != std::string::npos);
}

TEST_CASE("Pages in a legacy encoding are decoded", "[readers][encoding]") {
  TempDir dir;
  const std::string title = "Hội nghị tổng kết phong trào thi đua";
  const std::string body = "Sáng ngày 16/11, tại hội trường Công an tỉnh đã diễn ra hội nghị.";
  const std::string utf8 = "Tin hoạt động Tin hoạt động\n\n" + title + "\n\n" + body + "\n";
  const fs::path page =
      dir.write("legacy.txt", vnsearch::encode_legacy(utf8, vnsearch::Encoding::kTcvn3));
  const Collected c = read_all({page});
  REQUIRE(c.documents.size() == 1);
  CHECK(c.documents[0].title == title);
  CHECK(c.documents[0].body == body);
  REQUIRE(c.issues.size() == 1);
  CHECK(c.issues[0].message.find("not UTF-8") != std::string::npos);
  CHECK_FALSE(c.issues[0].fatal_for_document);
}

std::string read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) {
    ++n;
  }
  return n;
}

// Issue 7, row 6: two damaged bytes among ~700 accented letters made the whole page CP1258
// ("Há»™i nghá»‹"), and the page could not be found.
TEST_CASE("A UTF-8 page with two damaged bytes stays UTF-8", "[readers][encoding]") {
  TempDir dir;
  const fs::path original = kSourceDir / "corpus/portal/ca-brvt-cum-thi-dua-so-8.txt";
  std::string bytes = read_bytes(original);
  const std::size_t in_body = bytes.find("Sáng ngày");
  REQUIRE(in_body != std::string::npos);
  bytes.insert(in_body, "\xFF");                                     // never valid in UTF-8
  bytes.insert(bytes.find(" tại hội trường", in_body), "\xE1\xBB");  // a truncated sequence
  const fs::path damaged = dir.write("damaged.txt", bytes);

  const Collected clean = read_all({original});
  const Collected c = read_all({damaged});
  REQUIRE(clean.documents.size() == 1);
  REQUIRE(c.documents.size() == 1);
  CHECK(c.documents[0].title == clean.documents[0].title);
  CHECK(c.documents[0].title.starts_with("Hội nghị tổng kết phong trào thi đua"));
  CHECK(count_of(c.documents[0].body, kReplacement) == 2);
  CHECK(c.documents[0].body.find("hội trường trực tuyến") != std::string::npos);
  REQUIRE(c.issues.size() == 1);
  CHECK_FALSE(c.issues[0].fatal_for_document);
  CHECK(c.issues[0].message.find("2 invalid UTF-8 sequence(s) replaced by U+FFFD") !=
        std::string::npos);
}

TEST_CASE("HTML: a declared charset is followed unless plainly wrong", "[readers][encoding]") {
  TempDir dir;
  const std::string title = "Hội nghị tổng kết phong trào thi đua";
  const std::string text =
      "Sáng ngày 16/11, tại hội trường Công an tỉnh đã diễn ra hội nghị "
      "tổng kết phong trào thi đua vì an ninh Tổ quốc năm 2020.";
  const auto page = [&](const std::string& meta, const std::string& body) {
    return "<html><head>" + meta + "<title>" + title + "</title></head><body><h1>" + title +
           "</h1><p>" + body + "</p></body></html>";
  };

  SECTION("declared UTF-8 with a damaged byte stays UTF-8") {
    std::string body = text;
    body.insert(body.find("Công"), "\xC3");
    const Collected c = read_all({dir.write("a.html", page(R"(<meta charset="utf-8">)", body))});
    REQUIRE(c.documents.size() == 1);
    CHECK(c.documents[0].title == title);
    CHECK(count_of(c.documents[0].body, kReplacement) == 1);
    REQUIRE(c.issues.size() == 1);
    CHECK(c.issues[0].message.find("1 invalid UTF-8") != std::string::npos);
  }
  SECTION("declared UTF-8 over TCVN3 bytes is plainly wrong") {
    const std::string bytes =
        vnsearch::encode_legacy(page(R"(<meta charset="UTF-8">)", text), Encoding::kTcvn3);
    const Collected c = read_all({dir.write("b.html", bytes)});
    REQUIRE(c.documents.size() == 1);
    CHECK(c.documents[0].title == title);
    CHECK(c.documents[0].body == text);
    REQUIRE(c.issues.size() == 1);
    CHECK(c.issues[0].message == "declares charset \"UTF-8\" but reads as tcvn3; decoded as tcvn3");
  }
  SECTION("declared windows-1258 over UTF-8 bytes is plainly wrong") {
    const std::string meta =
        R"(<meta http-equiv="Content-Type" content="text/html; charset=windows-1258">)";
    const Collected c = read_all({dir.write("c.html", page(meta, text))});
    REQUIRE(c.documents.size() == 1);
    CHECK(c.documents[0].title == title);
    REQUIRE(c.issues.size() == 1);
    CHECK(c.issues[0].message == "declares charset \"windows-1258\" but reads as utf-8");
  }
  SECTION("a declared legacy charset that fits is followed without a word") {
    const std::string bytes = vnsearch::encode_legacy(
        page(R"(<meta charset="windows-1258">)", text), Encoding::kWindows1258);
    const Collected c = read_all({dir.write("d.html", bytes)});
    REQUIRE(c.documents.size() == 1);
    CHECK(c.documents[0].body == text);
    REQUIRE(c.issues.size() == 1);
    CHECK(c.issues[0].message == "not UTF-8; decoded as windows-1258");
  }
}

TEST_CASE("JSONL: lines in a legacy encoding are decoded, with one warning per file",
          "[readers][jsonl][encoding]") {
  TempDir dir;
  const std::string title = "Hội nghị tổng kết phong trào thi đua";
  const std::string body = "Sáng ngày 16/11, tại hội trường Công an tỉnh đã diễn ra hội nghị.";
  std::string file;
  for (int i = 1; i <= 3; ++i) {
    const std::string line = R"({"id": "t)" + std::to_string(i) + R"(", "title": ")" + title +
                             R"(", "body": ")" + body + R"(", "tags": ["Công an"]})";
    // JSON syntax is ASCII, which TCVN3 leaves alone: only the string values change.
    file += (i == 2 ? line : vnsearch::encode_legacy(line, Encoding::kTcvn3)) + "\n";
  }
  const Collected c = read_all({dir.write("tcvn3.jsonl", file)});
  INFO(c.all_issues());
  REQUIRE(c.documents.size() == 3);
  for (const Document& d : c.documents) {
    CHECK(d.title == title);
    CHECK(d.body == body);
    CHECK(d.tags == std::vector<std::string>{"Công an"});
  }
  REQUIRE(c.issues.size() == 1);
  CHECK(c.issues[0].line == 1);
  CHECK_FALSE(c.issues[0].fatal_for_document);
  CHECK(c.issues[0].message ==
        "not UTF-8; decoded as tcvn3 (2 line(s) of this file, this one first)");
}

// Issue 7, row 7: /bin/ls named .txt was indexed, "decoded as tcvn3", with NULs in its title.
TEST_CASE("Binary files are refused with a reason", "[readers][binary]") {
  TempDir dir;
  std::string elf =
      "\x7F"
      "ELF\x02\x01\x01";
  elf += std::string(9, '\0') + "Hội nghị\n/lib64/ld-linux-x86-64.so.2\n";
  const fs::path ls = fs::exists("/bin/ls") ? fs::path("/bin/ls") : dir.write("ls", elf);
  fs::copy_file(ls, dir.path() / "ls.txt");
  fs::copy_file(ls, dir.path() / "ls.html");
  fs::copy_file(ls, dir.path() / "ls.jsonl");
  dir.write("nul.txt", std::string("Tiêu đề\n\nMột câu") + '\0' + "văn đủ dài làm nội dung.\n");
  dir.write("pdf.html", "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n");
  dir.write("gz.txt", "\x1F\x8B\x08\x00 compressed");

  const Collected c = read_all({dir.path()});
  INFO(c.all_issues());
  CHECK(c.documents.empty());
  REQUIRE(c.issues.size() == 6);
  for (const ReadIssue& issue : c.issues) {
    CHECK(issue.fatal_for_document);
    CHECK(issue.message.starts_with("binary content ("));
  }
  const auto message_for = [&](const std::string& name) {
    for (const ReadIssue& issue : c.issues) {
      if (fs::path(issue.file).filename() == name) return issue.message;
    }
    return std::string("(none)");
  };
  CHECK(message_for("ls.txt") == "binary content (ELF executable), not text");
  CHECK(message_for("ls.jsonl") == "binary content (ELF executable), not text; file skipped");
  CHECK(message_for("nul.txt") == "binary content (NUL byte at offset 23), not text");
  CHECK(message_for("pdf.html") == "binary content (PDF document), not text");
  CHECK(message_for("gz.txt") == "binary content (gzip-compressed data), not text");
  CHECK(c.summary.skipped == 6);
}

TEST_CASE("Pages in UTF-16 with a byte-order mark are decoded, not refused as binary",
          "[readers][encoding]") {
  TempDir dir;
  const std::u16string text = u"Hội nghị tổng kết\n\nSáng ngày 16/11 đã diễn ra hội nghị 😀.\n";
  std::string le = "\xFF\xFE";
  for (const char16_t unit : text) {
    le += static_cast<char>(unit & 0xFF);
    le += static_cast<char>(unit >> 8);
  }
  const Collected c = read_all({dir.write("utf16.txt", le)});
  REQUIRE(c.documents.size() == 1);
  CHECK(c.documents[0].title == "Hội nghị tổng kết");
  CHECK(c.documents[0].body == "Sáng ngày 16/11 đã diễn ra hội nghị 😀.");
  REQUIRE(c.issues.size() == 1);
  CHECK(c.issues[0].message == "UTF-16LE (byte-order mark); decoded");
}

// Issue 7, row 8: ESC, BEL, CR in stored fields reach the terminal of whoever prints a result.
TEST_CASE("Control characters are removed from stored fields", "[readers][controls]") {
  TempDir dir;
  const std::string line =
      R"({"id": "c1", "title": "Tin \u001b[31mđỏ\u0007 \r\n nóng",)"
      R"( "description": "Sapo\u009b2J dòng\rhai", "body": "Dòng 1\r\nDòng 2\u001b]0;pwned\u0007)"
      R"( cột\tB\u007f\u0000", "author": "Lan\rAnh", "source": "Báo\u0085Mới",)"
      R"( "url": "https://x.vn/a\u001b", "category": "\tThời sự\n",)"
      R"( "tags": ["\u001b", "An\u0008ninh"]})";
  const Collected c = read_all({dir.write("controls.jsonl", line + "\n")});
  INFO(c.all_issues());
  REQUIRE(c.documents.size() == 1);
  const Document& d = c.documents[0];
  CHECK(d.title == "Tin [31mđỏ nóng");
  CHECK(d.description == "Sapo2J dòng\nhai");
  CHECK(d.body == "Dòng 1\nDòng 2]0;pwned cột\tB");
  CHECK(d.author == "Lan Anh");
  CHECK(d.source == "Báo Mới");
  CHECK(d.url == "https://x.vn/a");
  CHECK(d.category == "Thời sự");
  CHECK(d.tags == std::vector<std::string>{"Anninh"});
  REQUIRE(c.issues.size() == 1);
  CHECK_FALSE(c.issues[0].fatal_for_document);
  CHECK(c.issues[0].line == 1);
  CHECK(c.issues[0].field == "title,description,body,url,tags");
  CHECK(c.issues[0].message == "10 control character(s) removed (first \\x1B)");
}

TEST_CASE("Ids holding control characters are refused, shown escaped", "[readers][controls]") {
  TempDir dir;
  const fs::path jsonl = dir.write("ids.jsonl", R"({"id": "ok", "title": "Tiêu đề"})"
                                                "\n"
                                                R"({"id": "x\u001b]0;owned\u0007", "title": "T"})"
                                                "\n"
                                                R"({"id": "a\tb", "title": "T"})"
                                                "\n");
  const fs::path page = dir.write("bad\x1b[2Jname.txt", "Tiêu đề\n\nMột câu văn đủ dài.\n");
  const Collected c = read_all({jsonl, page});
  INFO(c.all_issues());
  CHECK(c.ids() == std::vector<std::string>{"ok"});
  REQUIRE(c.issues.size() == 3);
  CHECK(c.issues[0].line == 2);
  CHECK(c.issues[0].field == "id");
  CHECK(c.issues[0].id == "x\\x1B]0;owned\\x07");
  CHECK(c.issues[0].message ==
        "has a control character at byte 2 (shown escaped); ids must be "
        "printable");
  CHECK(c.issues[0].fatal_for_document);
  CHECK(c.issues[1].line == 3);  // a tab is a control character too
  CHECK(c.issues[1].id == "a\\x09b");
  CHECK(c.issues[1].fatal_for_document);
  CHECK(c.issues[2].file == page.string());
  CHECK(c.issues[2].id == "bad\\x1B[2Jname");
  CHECK(c.issues[2].fatal_for_document);
}

TEST_CASE("Directories are walked recursively in sorted order", "[readers][walk]") {
  TempDir dir;
  dir.write("b/2.jsonl", R"({"id": "j2"})"
                         "\n");
  dir.write("b/1.txt", "Tiêu đề\n\nMột câu văn đủ dài làm nội dung bài viết.\n");
  dir.write("a.html", "<h1>Tựa</h1><p>Một câu văn đủ dài làm nội dung bài viết này.</p>");
  dir.write("c/notes.md", "not an input");
  dir.write(".hidden/x.jsonl", R"({"id": "hidden"})"
                               "\n");
  const fs::path missing = dir.path() / "does-not-exist";
  const fs::path explicit_unsupported = dir.path() / "c/notes.md";

  const std::vector<fs::path> paths{dir.path(), missing, explicit_unsupported};
  const std::uint64_t total = vnsearch::total_input_bytes(paths);
  const Collected c = read_all(paths);
  CHECK(c.ids() == std::vector<std::string>{"a", "1", "j2"});
  CHECK(c.summary.files == 4);  // three found in the walk plus the explicit .md
  // The walk names what it passed over (a warning), then the two named paths it cannot read.
  REQUIRE(c.issues.size() == 3);
  CHECK(c.issues[0].file == dir.path().string());
  CHECK(c.issues[0].message.find(".md ×1") != std::string::npos);
  CHECK_FALSE(c.issues[0].fatal_for_document);
  CHECK(c.issues[1].file == missing.string());
  CHECK(c.issues[1].input_incomplete);
  CHECK(c.issues[2].file == explicit_unsupported.string());
  CHECK(c.issues[2].message.find("unsupported") != std::string::npos);

  std::uint64_t expected = 0;
  for (const char* name : {"a.html", "b/1.txt", "b/2.jsonl", "c/notes.md"}) {
    expected += fs::file_size(dir.path() / name);
  }
  CHECK(total == expected);
  REQUIRE(c.progress.size() == 3);
  CHECK(std::is_sorted(c.progress.begin(), c.progress.end(),
                       [](auto& x, auto& y) { return x.bytes_read < y.bytes_read; }));
  CHECK(c.progress.back().bytes_read <= total);
  CHECK(c.progress.back().documents == 3);
}

TEST_CASE("A callback can stop the reader", "[readers][walk]") {
  TempDir dir;
  std::string text;
  for (int i = 0; i < 100; ++i) text += R"({"id": ")" + std::to_string(i) + "\"}\n";
  const fs::path file = dir.write("many.jsonl", text);
  int seen = 0;
  const ReadSummary summary = vnsearch::read_documents(
      std::vector<fs::path>{file}, {},
      [&](Document&&, const ReadProgress&) {
        return ++seen == 10 ? ReadFlow::kStop : ReadFlow::kContinue;
      },
      [](const ReadIssue&) { return ReadFlow::kContinue; });
  CHECK(seen == 10);
  CHECK(summary.stopped);
  CHECK(summary.documents == 10);
}

TEST_CASE("Bundled corpus: the sample reads without a bad line", "[readers][corpus]") {
  const Collected c = read_all({kSourceDir / "corpus"});
  INFO(c.all_issues());
  CHECK(c.summary.skipped == 0);
  CHECK(c.documents.size() == 481);  // news-sample.jsonl and the portal page; README skipped
  CHECK(std::count_if(c.documents.begin(), c.documents.end(),
                      [](const Document& d) { return d.timestamp.has_value(); }) == 280);
  CHECK(c.documents.front().id.starts_with("newsmds-"));  // news-sample.jsonl sorts first
  CHECK(c.documents.back().id == "ca-brvt-cum-thi-dua-so-8");
}

TEST_CASE("Shared corpus: newsmds and baomoi read without a bad line", "[readers][shared]") {
  const fs::path shared = kSourceDir / "../shared/corpus";
  if (!fs::exists(shared / "newsmds.jsonl")) {
    WARN("../shared not found; skipped");
    return;
  }
  const Collected news = read_all({shared / "newsmds.jsonl"});
  INFO(news.all_issues());
  // Three bodies are mojibake (UTF-8 read as Latin-1) full of C1 controls, which are removed.
  CHECK(news.issues.size() == 3);
  for (const ReadIssue& issue : news.issues) {
    CHECK_FALSE(issue.fatal_for_document);
    CHECK(issue.field == "body");
    CHECK(issue.message.find("control character(s) removed") != std::string::npos);
  }
  CHECK(news.documents.size() == 948);
  CHECK(std::count_if(news.documents.begin(), news.documents.end(),
                      [](const Document& d) { return d.timestamp.has_value(); }) == 591);

  // Stream the first thousand baomoi articles out of the zstd file and stop.
  std::vector<Document> baomoi;
  const ReadSummary summary = vnsearch::read_documents(
      std::vector<fs::path>{shared / "baomoi-2017.jsonl.zst"}, {},
      [&](Document&& d, const ReadProgress&) {
        baomoi.push_back(std::move(d));
        return baomoi.size() == 1000 ? ReadFlow::kStop : ReadFlow::kContinue;
      },
      [](const ReadIssue& issue) {
        FAIL(vnsearch::format_issue(issue));
        return ReadFlow::kStop;
      });
  CHECK(summary.stopped);
  REQUIRE(baomoi.size() == 1000);
  CHECK(baomoi[0].id.starts_with("baomoi-"));
}
