// What a hostile run of the CLI found (issue 7), pinned: long ids, a full disk, --fresh
// publishing incomplete builds, --db pointing at the user's own folders, pages sharing a file
// name, link loops, standard input, folders of unsupported files, and the syllable model kept
// in step by difference (and its damage reported with a remedy).
//
// Like test_indexer.cpp, every test works in its own temporary directory and runs the real CLI
// as a child process with a timeout.
#include <unistd.h>
#include <zstd.h>

#include "indexer_fixtures.h"
#include "small_disk.h"
#include "vnsearch/search.h"
#include "vnsearch/syllable_model.h"

namespace {

// cli/exit_codes.h: the database could not be used (missing, not a database, disk full...).
constexpr int kExitDatabase = 3;

std::string article(const std::string& id, const std::string& title, const std::string& body) {
  return json{{"id", id}, {"title", title}, {"body", body}}.dump() + "\n";
}

std::string repeat(const std::string& unit, std::size_t times) {
  std::string out;
  for (std::size_t i = 0; i < times; ++i) out += unit;
  return out;
}

// Every count the indexer keeps: the model file and the full triple counts beside it.
vnsearch::SyllableModel load_counts(const fs::path& db) {
  vnsearch::SyllableModel model;
  const std::uint64_t tag = model.load(fs::canonical(db) / vnsearch::SyllableModel::kFileName, 0);
  CHECK(model.load_full_counts(fs::canonical(db) / vnsearch::SyllableModel::kCountsFileName) ==
        tag);
  return model;
}

}  // namespace

TEST_CASE("ids too long for Xapian are rejected by file:line and the rest is committed",
          "[safety][ids]") {
  TempDir tmp;
  const fs::path db = tmp / "db";
  const std::string long_ascii(245, 'a');
  const std::string long_vietnamese = repeat("Đ", 123);  // 246 bytes
  const fs::path input = tmp.write("long.jsonl", article("ok-1", "tin một", "thi đua") +
                                                     article(long_ascii, "tin hai", "thi đua") +
                                                     article(long_vietnamese, "tin ba", "thi đua") +
                                                     article("ok-2", "tin bốn", "thi đua"));
  // A page whose file name is too long to be an id.
  const fs::path page = tmp.write("pages/" + std::string(248, 'p') + ".txt",
                                  "Tiêu đề trang\n\nNội dung bài viết về thi đua.\n");
  const RunResult run = run_cli(tmp, {"index", "--db", db.string(), input.string(), page.string()});
  INFO(run.err);
  CHECK(run.exit_code() == 1);  // some input rejected: not a crash
  CHECK(contains(run.err, input.string() + ":2: "));
  CHECK(contains(run.err, input.string() + ":3: "));
  CHECK(contains(run.err, "ids may be at most 199 bytes"));
  CHECK(complete_ids(db) == std::set<std::string>{"ok-1", "ok-2"});

  // A rerun does not abort at the same place either.
  const RunResult again = run_cli(tmp, {"index", "--db", db.string(), input.string()});
  CHECK(again.exit_code() == 1);
  CHECK(contains(again.err, "2 unchanged"));

  // Deleting an impossible id says it is not there.
  const RunResult deleted = run_cli(tmp, {"delete", "--db", db.string(), long_ascii});
  CHECK(deleted.exit_code() == 1);
  CHECK(complete_ids(db).size() == 2);
}

TEST_CASE("a full disk fails index, --fresh and delete cleanly and keeps the live index",
          "[safety][disk]") {
  TempDir tmp;
  const vnsearch::test::SmallDisk disk(tmp / "disk", "3m");
  if (!disk.mounted()) {
    WARN("skipped: mounting a small tmpfs needs root (CI runs as root)");
    return;
  }
  const fs::path db = tmp / "disk" / "db";
  const fs::path first = tmp.write("first.jsonl", synthetic_jsonl("first", 20));
  REQUIRE(run_cli(tmp, {"index", "--db", db.string(), first.string()}).exit_code() == 0);
  const fs::path corpus = kSourceDir / "corpus";

  const RunResult in_place = run_cli(tmp, {"index", "--db", db.string(), corpus.string()});
  INFO(in_place.err);
  CHECK(in_place.exit_code() == kExitDatabase);
  CHECK(contains(in_place.err, "No space left on device"));
  CHECK(contains(in_place.err, "committed before the failure"));
  const std::set<std::string> after_failure = complete_ids(db);
  for (const std::string& id : synthetic_ids("first", 20)) CHECK(after_failure.count(id) == 1);

  const RunResult fresh = run_cli(tmp, {"index", "--fresh", "--db", db.string(), corpus.string()});
  INFO(fresh.err);
  CHECK(fresh.exit_code() == kExitDatabase);
  CHECK(contains(fresh.err, "live database is unchanged"));
  CHECK(complete_ids(db) == after_failure);
  CHECK(generations(db).size() == 1);  // the failed build was removed

  const RunResult deleted = run_cli(tmp, {"delete", "--db", db.string(), "first-00001"});
  INFO(deleted.err);
  CHECK(deleted.exit_code() != -1);  // full disk: an error, or done in the freed space
  CHECK(complete_ids(db).size() >= after_failure.size() - 1);

  vnsearch::Searcher searcher(db);
  CHECK_FALSE(searcher.search("tin tức").hits.empty());
}

TEST_CASE("a generation abandoned by a killed --fresh is removed by the next run",
          "[safety][fresh]") {
  TempDir tmp;
  const fs::path db = tmp / "db";
  const fs::path input = tmp.write("a.jsonl", synthetic_jsonl("a", 10));
  REQUIRE(run_cli(tmp, {"index", "--db", db.string(), input.string()}).exit_code() == 0);
  const fs::path abandoned = db.string() + ".gen-5-5";
  fs::create_directories(abandoned);
  tmp.write("db.gen-5-5/vnsearch-building", "");
  tmp.write("db.gen-5-5/iamglass", "half-built");
  // Not vnsearch's: a folder whose name merely starts like a generation stays.
  const fs::path users = tmp.write("db.gen-notes/keep.txt", "mine");

  REQUIRE(run_cli(tmp, {"index", "--db", db.string(), input.string()}).exit_code() == 0);
  CHECK_FALSE(fs::exists(abandoned));
  CHECK(fs::exists(users));
}

TEST_CASE("--fresh publishes only complete builds", "[safety][fresh]") {
  TempDir tmp;
  const fs::path db = tmp / "db";
  const fs::path corpus = corpus_sample(tmp);
  REQUIRE(run_cli(tmp, {"index", "--db", db.string(), corpus.string()}).exit_code() == 0);
  const std::set<std::string> live = complete_ids(db);
  REQUIRE(live.size() == kSampleArticles + 1);

  SECTION("a mistyped path") {
    const RunResult run =
        run_cli(tmp, {"index", "--fresh", "--db", db.string(), (tmp / "corpsu").string()});
    CHECK(run.exit_code() == 1);
    CHECK(contains(run.err, "no such file or directory"));
    CHECK(contains(run.err, "not published"));
  }
  SECTION("stopped by --max-errors") {
    const fs::path bad =
        tmp.write("bad.jsonl", "{\"id\": 1}\nnot json\n" + synthetic_jsonl("x", 600));
    const RunResult run =
        run_cli(tmp, {"index", "--fresh", "--max-errors", "1", "--db", db.string(), bad.string()});
    CHECK(run.exit_code() == 1);
    CHECK(contains(run.err, "--max-errors"));
  }
  SECTION("a truncated .zst") {
    const std::string plain = synthetic_jsonl("z", 600);
    std::string packed(ZSTD_compressBound(plain.size()), '\0');
    packed.resize(ZSTD_compress(packed.data(), packed.size(), plain.data(), plain.size(), 3));
    const fs::path cut = tmp.write("cut.jsonl.zst", packed.substr(0, packed.size() / 2));
    const RunResult run =
        run_cli(tmp, {"index", "--fresh", "--allow-shrink", "--db", db.string(), cut.string()});
    INFO(run.err);
    CHECK(run.exit_code() == 1);
    CHECK(contains(run.err, "could not be read to the end"));
  }
  SECTION("a much smaller build needs --allow-shrink") {
    const fs::path one = tmp.write("one.jsonl", synthetic_jsonl("one", 1));
    const RunResult run = run_cli(tmp, {"index", "--fresh", "--db", db.string(), one.string()});
    CHECK(run.exit_code() == 1);
    CHECK(contains(run.err, "--allow-shrink"));
  }
  CHECK(complete_ids(db) == live);
  CHECK(generations(db).size() == 1);  // nothing half-built left behind
}

TEST_CASE("--db must be empty, new or a vnsearch database", "[safety][db]") {
  TempDir tmp;
  const fs::path input = tmp.write("in.jsonl", synthetic_jsonl("d", 5));

  SECTION("a folder of the user's files is never written into, renamed or deleted") {
    const fs::path folder = tmp / "mine";
    tmp.write("mine/notes.txt", "ghi chú");
    for (const bool fresh : {false, true}) {
      std::vector<std::string> args{"index", "--db", folder.string(), input.string()};
      if (fresh) args.insert(args.begin() + 1, "--fresh");
      const RunResult run = run_cli(tmp, args);
      CHECK(run.exit_code() == kExitDatabase);
      CHECK(contains(run.err, "not a vnsearch database"));
    }
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(tmp.path())) {
      names.push_back(entry.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    CHECK(names == std::vector<std::string>{"cli.err", "cli.out", "in.jsonl", "mine"});
    CHECK(fs::is_directory(fs::symlink_status(folder)));
    CHECK(std::distance(fs::directory_iterator(folder), fs::directory_iterator()) == 1);
  }
  SECTION("a regular file: a clear message for every command, and no stray lock") {
    const fs::path file = tmp.write("afile", "x");
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"index", "--db", file.string(), input.string()},
          {"search", "--db", file.string(), "thi"},
          {"stats", "--db", file.string()},
          {"delete", "--db", file.string(), "d-00001"}}) {
      const RunResult run = run_cli(tmp, args);
      INFO(args[0] << ": " << run.err);
      CHECK(run.exit_code() == kExitDatabase);
      CHECK(contains(run.err, "is not a folder"));
    }
    CHECK_FALSE(fs::exists(tmp / "afile.lock"));
  }
  SECTION("an empty folder is not a database yet, but may become one") {
    const fs::path empty = tmp / "empty";
    fs::create_directories(empty);
    const RunResult search = run_cli(tmp, {"search", "--db", empty.string(), "thi"});
    CHECK(search.exit_code() == kExitDatabase);
    CHECK(contains(search.err, "is an empty folder"));
    const RunResult index = run_cli(tmp, {"index", "--db", empty.string(), input.string()});
    INFO(index.err);
    CHECK(index.exit_code() == 0);
    CHECK(complete_ids(empty).size() == 5);
  }
  SECTION("a trailing slash names the same database, lock and generations") {
    const fs::path db = tmp / "db";
    REQUIRE(run_cli(tmp, {"index", "--db", db.string(), input.string()}).exit_code() == 0);
    const fs::path more = tmp.write("more.jsonl", synthetic_jsonl("e", 5));
    const RunResult run = run_cli(tmp, {"index", "--fresh", "--allow-shrink", "--db",
                                        db.string() + "/", input.string(), more.string()});
    INFO(run.err);
    CHECK(run.exit_code() == 0);
    CHECK(fs::is_symlink(db));
    CHECK(complete_ids(db).size() == 10);
    CHECK_FALSE(fs::exists(tmp / "db" / "db.lock"));
    CHECK(generations(db).size() == 2);
  }
}

TEST_CASE("pages sharing a file name get distinct ids, and repeated ids are reported",
          "[safety][ids]") {
  TempDir tmp;
  const fs::path db = tmp / "db";
  const std::string page = "Tiêu đề trang\n\nNội dung bài viết về thi đua.\n";
  tmp.write("site/a/index.txt", page);
  tmp.write("site/b/index.txt", "Trang khác\n\nMột nội dung khác.\n");
  tmp.write("site/index.html",
            "<html><head><title>Trang chủ</title></head><body><p>Thi đua yêu nước.</p></body>"
            "</html>");
  const RunResult run = run_cli(tmp, {"index", "--db", db.string(), (tmp / "site").string()});
  INFO(run.err);
  CHECK(run.exit_code() == 0);
  CHECK(contains(run.err, "3 added, 0 replaced"));
  CHECK(complete_ids(db) == std::set<std::string>{"a/index", "b/index", "site/index"});

  // The bundled portal page keeps its id however the corpus is named.
  const fs::path other = tmp / "other";
  REQUIRE(
      run_cli(tmp, {"index", "--db", other.string(), corpus_sample(tmp).string()}).exit_code() ==
      0);
  CHECK(has_document(other, "ca-brvt-cum-thi-dua-so-8"));

  const fs::path twice =
      tmp.write("twice.jsonl", article("dup", "một", "một") + article("dup", "hai", "hai"));
  const RunResult dup = run_cli(tmp, {"index", "--db", db.string(), twice.string()});
  CHECK(
      contains(dup.err, twice.string() + ":2: dup: id already given by " + twice.string() + ":1"));
}

TEST_CASE("link loops are skipped, linked folders read once, unsupported files named",
          "[safety][walk]") {
  TempDir tmp;
  const fs::path db = tmp / "db";
  tmp.write("in/a/one.jsonl", synthetic_jsonl("one", 3));
  fs::create_directory_symlink("..", tmp / "in/a/loop");
  fs::create_directory_symlink(tmp / "in/a", tmp / "in/again");
  tmp.write("in/b/notes.json", "{}");
  const RunResult run = run_cli(tmp, {"index", "--db", db.string(), (tmp / "in").string()});
  INFO(run.err);
  CHECK(run.exit_code() == 0);
  CHECK(contains(run.err, "3 added"));
  CHECK(contains(run.err, "already read in this run"));
  CHECK(contains(run.err, ".json ×1"));

  const fs::path only = tmp / "only";
  tmp.write("only/a.json", "{}");
  tmp.write("only/b.ndjson.bz2", "BZh");
  const RunResult none = run_cli(tmp, {"index", "--db", db.string(), only.string()});
  CHECK(none.exit_code() == 1);
  CHECK(contains(none.err, "no files of a supported type"));
  CHECK(contains(none.err, ".bz2 ×1"));

  // .ndjson is JSONL by another name.
  const fs::path nd = tmp.write("x.ndjson", synthetic_jsonl("nd", 2));
  CHECK(run_cli(tmp, {"index", "--db", db.string(), nd.string()}).exit_code() == 0);
  CHECK(complete_ids(db).size() == 5);
}

TEST_CASE("`index -` and /dev/stdin read JSONL from standard input", "[safety][stdin]") {
  TempDir tmp;
  const fs::path db = tmp / "db";
  const fs::path input = tmp.write("in.jsonl", synthetic_jsonl("s", 4));
  const RunResult dash = run_cli(tmp, {"index", "--db", db.string(), "-"}, input);
  INFO(dash.err);
  CHECK(dash.exit_code() == 0);
  CHECK(complete_ids(db) == synthetic_ids("s", 4));
  const fs::path more = tmp.write("more.jsonl", synthetic_jsonl("t", 2));
  const RunResult dev = run_cli(tmp, {"index", "--db", db.string(), "/dev/stdin"}, more);
  CHECK(dev.exit_code() == 0);
  CHECK(complete_ids(db).size() == 6);
}

TEST_CASE("the syllable model is updated by difference, exactly as a recount", "[safety][model]") {
  TempDir tmp;
  const fs::path db = tmp / "db";
  const fs::path recount = tmp / "recount";
  const fs::path corpus = corpus_sample(tmp);
  REQUIRE(index_quietly(db, {corpus}).added == kSampleArticles + 1);

  const fs::path change = tmp.write(
      "change.jsonl",
      article("new-1", "Cụm thi đua số 8", "Quả dừa và quả dưa hấu") +
          article("ca-brvt-cum-thi-dua-so-8", "Thay tiêu đề", "Nội dung đã sửa về đua thuyền"));
  const vnsearch::IndexSummary small = index_quietly(db, {change});
  CHECK(small.added == 1);
  CHECK(small.replaced == 1);
  CHECK_FALSE(small.model_recounted);
  CHECK(vnsearch::delete_documents(db, std::vector<std::string>{"new-1"}).empty());

  vnsearch::IndexOptions fresh = small_options();
  fresh.fresh = true;
  index_quietly(recount, {corpus, change}, fresh);
  CHECK(vnsearch::delete_documents(recount, std::vector<std::string>{"new-1"}).empty());
  REQUIRE(vnsearch::rebuild_model(recount, {}, nullptr) == kSampleArticles + 1);
  const vnsearch::SyllableModel updated = load_counts(db);
  CHECK(updated.same_counts(load_counts(recount)));
  // Trigrams are kept by difference too: the replacement's triples are in, the deleted
  // article's are out.
  CHECK(updated.trigram_types() > 0);
  CHECK(updated.trigram("sửa", "về", "đua") == 1);
  CHECK(updated.trigram("thay", "tiêu", "đề") == 1);
  CHECK(updated.trigram("dừa", "và", "quả") == 0);
}

TEST_CASE("a syllable model of an older format is recounted by the next index run",
          "[safety][model]") {
  TempDir tmp;
  const fs::path db = tmp / "db";
  REQUIRE(index_quietly(db, {corpus_sample(tmp)}).added == kSampleArticles + 1);
  const fs::path model = fs::canonical(db) / vnsearch::SyllableModel::kFileName;
  // Version 02 (bigrams only): its counts are never read as the newer layout.
  std::ofstream(model, std::ios::binary | std::ios::trunc) << "VNSYLM02" << std::string(40, '\0');
  vnsearch::SyllableModel old;
  CHECK_THROWS_WITH(old.load(model), Catch::Contains("older vnsearch"));
  const fs::path more = tmp.write("more.jsonl", article("more-1", "Thi đua", "Quả dừa"));
  CHECK(index_quietly(db, {more}).model_recounted);
  CHECK(load_counts(db).trigram_types() > 0);
}

TEST_CASE("a missing, older or damaged triple counts file is recounted, never misread",
          "[safety][model]") {
  TempDir tmp;
  const fs::path db = tmp / "db";
  REQUIRE(index_quietly(db, {corpus_sample(tmp)}).added == kSampleArticles + 1);
  const fs::path counts = fs::canonical(db) / vnsearch::SyllableModel::kCountsFileName;
  const vnsearch::SyllableModel before = load_counts(db);
  SECTION("missing") {
    fs::remove(counts);
  }
  SECTION("of the model's own format") {
    fs::copy_file(fs::canonical(db) / vnsearch::SyllableModel::kFileName, counts,
                  fs::copy_options::overwrite_existing);
  }
  SECTION("truncated") {
    fs::resize_file(counts, fs::file_size(counts) - 5);
  }
  SECTION("a byte changed inside its compressed body") {
    std::fstream file(counts, std::ios::binary | std::ios::in | std::ios::out);
    file.seekp(static_cast<std::streamoff>(fs::file_size(counts) / 2));
    file.put('\x5A');
  }
  SECTION("of the version before (plain arrays)") {
    std::ofstream(counts, std::ios::binary | std::ios::trunc)
        << "VNSYLC04" << std::string(8, '\0') << std::string(64, '\1');
  }
  const fs::path more = tmp.write("more.jsonl", article("more-1", "Thi đua", "Quả dừa"));
  CHECK(index_quietly(db, {more}).model_recounted);
  const vnsearch::SyllableModel after = load_counts(db);
  CHECK(after.trigram_types() == before.trigram_types());  // "thi đua" alone adds no triple
  CHECK(after.bigram("quả", "dừa") == before.bigram("quả", "dừa") + 1);
}

TEST_CASE("a damaged or missing syllable model is reported with its remedy", "[safety][model]") {
  TempDir tmp;
  const fs::path db = tmp / "db";
  REQUIRE(index_quietly(db, {corpus_sample(tmp)}).added == kSampleArticles + 1);
  const fs::path model = fs::canonical(db) / vnsearch::SyllableModel::kFileName;

  SECTION("damaged") {
    std::ofstream(model, std::ios::binary | std::ios::trunc) << "VNSYLM03garbage";
  }
  SECTION("missing") {
    fs::remove(model);
  }

  const RunResult run = run_cli(tmp, {"search", "--db", db.string(), "cum thi dua so 8"});
  INFO(run.out << run.err);
  CHECK(run.exit_code() == 0);
  CHECK(contains(run.out, "ca-brvt-cum-thi-dua-so-8"));  // still found, without restoration
  CHECK(contains(run.out + run.err, "vnsearch rebuild-model --db " + db.string()));

  const RunResult rebuilt = run_cli(tmp, {"rebuild-model", "--db", db.string()});
  INFO(rebuilt.err);
  CHECK(rebuilt.exit_code() == 0);
  const RunResult after = run_cli(tmp, {"search", "--db", db.string(), "cum thi dua so 8"});
  CHECK_FALSE(contains(after.out + after.err, "rebuild-model"));
  CHECK(contains(after.out, "cụm thi đua số 8"));
}
