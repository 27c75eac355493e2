// Integration tests for the indexer's safety promises: re-runs skip unchanged documents, a
// kill -9 leaves exactly the committed batches, a second writer fails fast (or waits), --fresh
// swaps generations under open readers, bad input is reported by file:line without losing
// anything, huge bodies are capped, and `delete` reports missing ids.
//
// Every test works in its own temporary directory and uses only the bundled corpus/ sample and
// generated input, so the suite runs without ../shared. Child processes run the real CLI
// (VNSEARCH_BINARY) and are always killed on timeout, so a hung indexer cannot hang CI.
#include "indexer_fixtures.h"

TEST_CASE("indexing the bundled corpus, again unchanged, then one changed body", "[indexer]") {
  TempDir tmp;
  const fs::path db = tmp / "db";
  const fs::path corpus = kSourceDir / "corpus";

  const vnsearch::IndexSummary first = index_quietly(db, {corpus});
  CHECK(first.added == 481);
  CHECK(first.replaced == 0);
  CHECK(first.rejected == 0);
  REQUIRE(first.documents_in_index == 481);
  CHECK(Xapian::Database(db.string()).get_doccount() == 481);
  CHECK(complete_ids(db).size() == 481);
  CHECK(has_document(db, "ca-brvt-cum-thi-dua-so-8"));

  // Same input again: every document is recognised by its content hash.
  const vnsearch::IndexSummary second = index_quietly(db, {corpus});
  CHECK(second.unchanged == 481);
  CHECK(second.added == 0);
  CHECK(second.replaced == 0);
  CHECK(second.documents_in_index == 481);
  CHECK(Xapian::Database(db.string()).get_doccount() == 481);

  // A copy of the input where one article's body changed: exactly that one is replaced.
  std::istringstream lines(read_file(corpus / "news-sample.jsonl"));
  std::string changed_input, line, changed_id;
  const std::string new_body = "Nội dung đã được cập nhật lúc 10 giờ.";
  for (std::size_t number = 1; std::getline(lines, line); ++number) {
    if (number == 7) {
      json record = json::parse(line);
      changed_id = record["id"].get<std::string>();
      record["body"] = new_body;
      line = record.dump();
    }
    changed_input += line + "\n";
  }
  REQUIRE_FALSE(changed_id.empty());
  const fs::path copy = tmp.write("input/news-sample.jsonl", changed_input);
  const vnsearch::IndexSummary third = index_quietly(db, {copy, corpus / "portal"});
  CHECK(third.replaced == 1);
  CHECK(third.unchanged == 480);
  CHECK(third.added == 0);
  CHECK(third.documents_in_index == 481);
  CHECK(stored_record(db, changed_id)["body"] == new_body);
  CHECK(complete_ids(db).size() == 481);
}

TEST_CASE("kill -9 during indexing leaves exactly the committed batches", "[indexer][crash]") {
  TempDir tmp;
  // Smaller under ASan, where indexing is several times slower; the kill points below still
  // land after 1, 8 and 3 more batches, short of the end of the input.
  const std::size_t kDocs = kSanitized ? 1600 : 5000, kBatch = kSanitized ? 100 : 200;
  const fs::path input = tmp.write("big.jsonl", synthetic_jsonl("syn", kDocs));
  const fs::path db = tmp / "db";
  const std::vector<std::string> command = {
      "index",     "--db", db.string(),   "--batch-size", std::to_string(kBatch),
      "--threads", "2",    input.string()};

  // Each run resumes the previous one; it is killed once it has committed `batches_in_run`
  // more batches, `extra` later (so that some kills land inside a batch or a commit).
  struct KillPoint {
    std::size_t batches_in_run;
    std::chrono::milliseconds extra;
  };
  std::size_t before = 0;
  for (const KillPoint point : {KillPoint{1, 0ms}, KillPoint{8, 0ms}, KillPoint{3, 37ms}}) {
    INFO("kill after " << point.batches_in_run << " batch(es) + " << point.extra.count() << " ms, "
                       << before << " documents before the run");
    Child child(command, tmp / "kill.out", tmp / "kill.err");
    const std::size_t target = before + point.batches_in_run * kBatch;
    const auto deadline = std::chrono::steady_clock::now() + kChildTimeout;
    while (child.running() && std::chrono::steady_clock::now() < deadline) {
      if (const auto count = try_doc_count(db); count && *count >= target) break;
      std::this_thread::sleep_for(2ms);
    }
    std::this_thread::sleep_for(point.extra);
    // Finishing before the kill would make this round test nothing.
    if (!child.running()) FAIL("vnsearch ended before the kill:\n" << child.stderr_text());
    child.kill9();
    const int status = child.wait();
    REQUIRE(WIFSIGNALED(status));
    REQUIRE(WTERMSIG(status) == SIGKILL);

    const std::set<std::string> ids = complete_ids(db);
    CHECK(ids.size() % kBatch == 0);
    CHECK(ids.size() >= target);
    CHECK(ids.size() < kDocs);
    // Documents are written in input order, so the committed batches are a prefix of the input.
    CHECK(ids == synthetic_ids("syn", ids.size()));
    before = ids.size();
  }

  const RunResult rerun = run_cli(tmp, command);
  INFO(rerun.err);
  CHECK(rerun.exit_code() == 0);
  CHECK(contains(rerun.err, std::to_string(before) + " unchanged"));
  CHECK(complete_ids(db) == synthetic_ids("syn", kDocs));
}

TEST_CASE("a second writer fails fast naming the database, or waits with --wait",
          "[indexer][lock]") {
  TempDir tmp;
  const fs::path db = tmp / "db";
  REQUIRE(
      index_quietly(db, {tmp.write("pre.jsonl", synthetic_jsonl("pre", 50))}).documents_in_index ==
      50);

  // The first writer is held inside its run: its first input line is bad, and the issue sink
  // blocks at the gate. It holds the writer lock (and an open WritableDatabase) until released.
  const fs::path held_input = tmp.write("held.jsonl", "not json\n" + synthetic_jsonl("held", 100));
  Gate gate;
  vnsearch::IndexSummary held_summary;
  std::exception_ptr held_failure;
  std::thread holder([&] {
    try {
      const std::vector<fs::path> inputs{held_input};
      held_summary = vnsearch::index_paths(
          db, inputs, small_options(),
          [&](const vnsearch::ReadIssue&) {
            gate.wait_open();
            return vnsearch::ReadFlow::kContinue;
          },
          nullptr);
    } catch (...) {
      held_failure = std::current_exception();
      gate.arrive();  // so that the main thread stops waiting and sees the failure
    }
  });
  // Whatever happens below, release and join the holder before the thread object dies.
  struct Joiner {
    Gate& gate;
    std::thread& thread;
    ~Joiner() {
      gate.open();
      if (thread.joinable()) thread.join();
    }
  } joiner{gate, holder};
  REQUIRE(gate.wait_reached(kChildTimeout));
  REQUIRE_FALSE(held_failure);

  const fs::path other_input = tmp.write("other.jsonl", synthetic_jsonl("other", 20));

  {  // in process: index_paths throws at once

    const std::vector<fs::path> inputs{other_input};
    const auto started = std::chrono::steady_clock::now();
    std::string message;
    try {
      vnsearch::index_paths(db, inputs, small_options(), nullptr, nullptr);
    } catch (const std::runtime_error& error) {
      message = error.what();
    }
    INFO(message);
    CHECK(contains(message, db.string()));
    CHECK(contains(message, "--wait"));
    CHECK(std::chrono::steady_clock::now() - started < 5s);
  }

  // The CLI, too, fails while the holder is still inside its run (it cannot have waited).
  const RunResult refused = run_cli(tmp, {"index", "--db", db.string(), other_input.string()});
  INFO(refused.err);
  CHECK(refused.exit_code() != 0);
  CHECK(contains(refused.err, db.string()));
  CHECK(contains(refused.err, "--wait"));
  const RunResult refused_delete = run_cli(tmp, {"delete", "--db", db.string(), "pre-00001"});
  CHECK(refused_delete.exit_code() != 0);
  CHECK(contains(refused_delete.err, "--wait"));

  // Readers are unaffected by the held writer.
  CHECK(complete_ids(db) == synthetic_ids("pre", 50));

  // With --wait the CLI blocks until the holder is done, then does its work.
  Child waiting({"index", "--wait", "--db", db.string(), "--threads", "2", other_input.string()},
                tmp / "wait.out", tmp / "wait.err");
  std::this_thread::sleep_for(700ms);
  CHECK(waiting.running());
  gate.open();
  holder.join();
  REQUIRE_FALSE(held_failure);
  CHECK(held_summary.added == 100);
  CHECK(held_summary.rejected == 1);
  const int status = waiting.wait();
  INFO(waiting.stderr_text());
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);

  std::set<std::string> expected = synthetic_ids("pre", 50);
  expected.merge(synthetic_ids("held", 100));
  expected.merge(synthetic_ids("other", 20));
  CHECK(complete_ids(db) == expected);
}

TEST_CASE("--fresh swaps in a new generation under an open reader", "[indexer][fresh]") {
  TempDir tmp;
  const fs::path db = tmp / "db";
  const fs::path old_input = tmp.write("old.jsonl", synthetic_jsonl("old", 40));
  const fs::path new_input = tmp.write("new.jsonl", synthetic_jsonl("new", 25));
  const fs::path newer_input = tmp.write("newer.jsonl", synthetic_jsonl("newer", 10));
  REQUIRE(run_cli(tmp, {"index", "--db", db.string(), old_input.string()}).exit_code() == 0);
  const fs::path old_generation = fs::canonical(db);

  // A generation left behind by an interrupted --fresh run (kill -9 before the swap).
  fs::create_directories(db.string() + ".gen-1-1");

  const Xapian::Database reader(db.string());
  REQUIRE(reader.get_doccount() == 40);

  const RunResult fresh =
      run_cli(tmp, {"index", "--fresh", "--db", db.string(), new_input.string()});
  INFO(fresh.err);
  REQUIRE(fresh.exit_code() == 0);

  // The old reader still reads its old documents, all of them whole.
  CHECK(complete_ids(reader) == synthetic_ids("old", 40));
  // A new reader sees only the new set.
  CHECK(complete_ids(db) == synthetic_ids("new", 25));
  CHECK(fs::canonical(db) != old_generation);
  CHECK(generations(db) == std::vector<fs::path>{old_generation, fs::canonical(db)});

  // A build under half the live size is not published without --allow-shrink.
  const fs::path replaced = fs::canonical(db);
  const RunResult refused =
      run_cli(tmp, {"index", "--fresh", "--db", db.string(), newer_input.string()});
  CHECK(refused.exit_code() == 1);
  CHECK(contains(refused.err, "--allow-shrink"));
  CHECK(complete_ids(db) == synthetic_ids("new", 25));

  // One more swap: the first generation goes, the one just replaced stays.
  const RunResult again = run_cli(
      tmp, {"index", "--fresh", "--allow-shrink", "--db", db.string(), newer_input.string()});
  INFO(again.err);
  REQUIRE(again.exit_code() == 0);
  CHECK(complete_ids(db) == synthetic_ids("newer", 10));
  std::vector<fs::path> expected{replaced, fs::canonical(db)};
  std::sort(expected.begin(), expected.end());
  CHECK(generations(db) == expected);
}

// A database directory made by hand (or copied) is used in place, but --fresh refuses it: the
// swap would have to move the user's folder aside, and vnsearch only moves what it created.
TEST_CASE("--fresh refuses a plain database directory and leaves it alone", "[indexer][fresh]") {
  TempDir tmp;
  const fs::path db = tmp / "db";
  const fs::path old_input = tmp.write("old.jsonl", synthetic_jsonl("old", 40));
  const fs::path new_input = tmp.write("new.jsonl", synthetic_jsonl("new", 25));
  REQUIRE(run_cli(tmp, {"index", "--db", db.string(), old_input.string()}).exit_code() == 0);
  const fs::path generation = fs::canonical(db);
  fs::remove(db);
  fs::rename(generation, db);
  REQUIRE(fs::is_directory(fs::symlink_status(db)));

  const RunResult fresh =
      run_cli(tmp, {"index", "--fresh", "--db", db.string(), new_input.string()});
  INFO(fresh.err);
  CHECK(fresh.exit_code() == 3);  // cli/exit_codes.h: the database could not be used
  CHECK(contains(fresh.err, "made by hand or copied"));
  REQUIRE(fs::is_directory(fs::symlink_status(db)));
  CHECK(complete_ids(db) == synthetic_ids("old", 40));
  CHECK(generations(db).empty());

  // In place it still works.
  const RunResult in_place = run_cli(tmp, {"index", "--db", db.string(), new_input.string()});
  CHECK(in_place.exit_code() == 0);
  CHECK(complete_ids(db).size() == 65);
}

TEST_CASE("bad input lines are reported by file:line and lose nothing", "[indexer][cli]") {
  TempDir tmp;
  const fs::path db = tmp / "db";
  const fs::path earlier = tmp.write("earlier.jsonl", synthetic_jsonl("earlier", 3));
  REQUIRE(run_cli(tmp, {"index", "--db", db.string(), earlier.string()}).exit_code() == 0);

  const std::string bad_lines =
      synthetic_article("b-1", 1) + "\n" +                            // 1: good
      "{\"id\": \"b-2\", \"title\": \"cắt ngang\n" +                  // 2: malformed JSON
      "{\"title\": \"không có id\", \"body\": \"nội dung\"}\n" +      // 3: no id
      "{\"id\": \"b-4\", \"title\": 42, \"body\": \"nội dung\"}\n" +  // 4: title a number
      "{\"id\": \"b-5\", \"title\": \"Tin \xFF\xFE tức\", \"body\": \"nội dung\"}\n" +  // 5
      synthetic_article("b-6", 6) + "\n";                                               // 6: good
  const fs::path bad = tmp.write("bad.jsonl", bad_lines);
  const std::string file = bad.string();

  const RunResult run = run_cli(tmp, {"index", "--db", db.string(), file});
  INFO(run.err);
  CHECK(run.exit_code() == 1);
  CHECK(contains(run.err, "error: " + file + ":2:"));
  CHECK(contains(run.err, "error: " + file + ":3:"));
  CHECK(contains(run.err, "error: " + file + ":4:"));
  CHECK(contains(run.err, "title"));
  // Invalid UTF-8 is repaired (U+FFFD) and indexed, with a warning naming the line.
  CHECK(contains(run.err, "warning: " + file + ":5:"));
  CHECK_FALSE(contains(run.err, file + ":1:"));
  CHECK_FALSE(contains(run.err, file + ":6:"));

  std::set<std::string> expected = synthetic_ids("earlier", 3);
  expected.insert({"b-1", "b-5", "b-6"});
  CHECK(complete_ids(db) == expected);
  CHECK(contains(stored_record(db, "b-5")["title"].get<std::string>(), "\xEF\xBF\xBD"));

  SECTION("--max-errors 1 stops at the first rejected line") {
    const fs::path db2 = tmp / "db2";
    const RunResult stopped =
        run_cli(tmp, {"index", "--db", db2.string(), "--max-errors", "1", file});
    INFO(stopped.err);
    CHECK(stopped.exit_code() == 1);
    CHECK(contains(stopped.err, file + ":2:"));
    CHECK_FALSE(contains(stopped.err, file + ":3:"));
    CHECK(contains(stopped.err, "stopped early"));
    const std::set<std::string> ids = complete_ids(db2);
    CHECK(ids.count("b-6") == 0);
    CHECK(ids.size() <= 1);
  }

  SECTION("a missing input path is a clear error, not a crash") {
    const std::string missing = (tmp / "no-such-input.jsonl").string();
    const RunResult run_missing = run_cli(tmp, {"index", "--db", db.string(), missing});
    INFO(run_missing.err);
    CHECK(run_missing.exit_code() == 1);
    CHECK(contains(run_missing.err, missing));
    CHECK(contains(run_missing.err, "no such file"));
    CHECK(complete_ids(db) == expected);
  }

  SECTION("stats on a missing database is a clear error, not a crash") {
    const fs::path nowhere = tmp / "no-such-db";
    const RunResult stats = run_cli(tmp, {"stats", "--db", nowhere.string()});
    INFO(stats.err);
    CHECK(stats.exit_code() == 3);  // database error (README.md, cli/exit_codes.h)
    CHECK(contains(stats.err, "no database at " + nowhere.string()));
    CHECK_FALSE(fs::exists(nowhere));
  }
}

TEST_CASE("a 50 MB body is truncated to the cap with a warning", "[indexer][cli]") {
  TempDir tmp;
  const fs::path db = tmp / "db";
  // "Việt " is 7 bytes with a 3-byte letter at offsets 2-4; 8 MiB = 7 * 1198372 + 4, so a cut at
  // exactly 8 MiB would split that letter: the cap must back off to a character boundary.
  // Built by doubling and written by hand: character-by-character building and a JSON dump of
  // 50 MB would cost more than the indexing under test.
  std::string body = "Việt ";
  while (body.size() < (50u << 20)) body += body;
  body.resize((50u << 20) / 7 * 7);  // whole units: the text stays valid UTF-8
  const fs::path input = tmp / "huge.jsonl";
  {
    std::ofstream out(input, std::ios::binary);
    out << R"({"id": "huge", "title": "Bài rất dài", "body": ")" << body << "\"}\n"
        << synthetic_article("small", 1) << "\n";
    REQUIRE(out.good());
  }

  const RunResult run =
      run_cli(tmp, {"index", "--db", db.string(), "--threads", "2", input.string()});
  INFO(run.err);
  CHECK(run.exit_code() == 0);
  CHECK(contains(run.err, "warning: " + input.string() + ":1:"));
  CHECK(contains(run.err, "truncated"));

  constexpr std::size_t kCap = 8u << 20;
  const std::string stored = stored_record(db, "huge")["body"].get<std::string>();
  CHECK(stored.size() <= kCap);
  CHECK(stored.size() > kCap - 4);
  CHECK(body.compare(0, stored.size(), stored) == 0);  // a prefix, no character split
  CHECK(complete_ids(db) == std::set<std::string>{"huge", "small"});
}

TEST_CASE("delete removes existing ids and reports missing ones", "[indexer][cli]") {
  TempDir tmp;
  const fs::path db = tmp / "db";
  const fs::path input = tmp.write("in.jsonl", synthetic_jsonl("d", 5));
  REQUIRE(run_cli(tmp, {"index", "--db", db.string(), input.string()}).exit_code() == 0);

  const RunResult one = run_cli(tmp, {"delete", "--db", db.string(), "d-00001"});
  INFO(one.err);
  CHECK(one.exit_code() == 0);
  CHECK_FALSE(has_document(db, "d-00001"));
  CHECK(complete_ids(db).size() == 4);

  const RunResult mixed = run_cli(tmp, {"delete", "--db", db.string(), "d-00002", "nope"});
  INFO(mixed.err);
  CHECK(mixed.exit_code() == 1);
  CHECK(contains(mixed.err, "not in the index: nope"));
  CHECK_FALSE(contains(mixed.err, "not in the index: d-00002"));
  CHECK(complete_ids(db) == std::set<std::string>{"d-00000", "d-00003", "d-00004"});

  // In process, the missing ids come back to the caller.
  const std::vector<std::string> ids{"d-00003", "d-00001"};
  CHECK(vnsearch::delete_documents(db, ids) == std::vector<std::string>{"d-00001"});
  CHECK(complete_ids(db) == std::set<std::string>{"d-00000", "d-00004"});

  const fs::path nowhere = tmp / "no-such-db";
  const RunResult missing_db = run_cli(tmp, {"delete", "--db", nowhere.string(), "d-00000"});
  INFO(missing_db.err);
  CHECK(missing_db.exit_code() == 3);  // database error (README.md, cli/exit_codes.h)
  CHECK(contains(missing_db.err, "no database at " + nowhere.string()));
}
