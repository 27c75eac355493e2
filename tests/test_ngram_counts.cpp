// The sorted pair and triple tables of the syllable model (NgramCounts) against a plain map, and
// the split of the model into the file searchers load and the full triple counts beside it.
#include <xapian.h>

#include <catch2/catch.hpp>

#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "temp_dir.h"
#include "vnsearch/large_metadata.h"
#include "vnsearch/ngram_counts.h"
#include "vnsearch/syllable_model.h"
#include "vnsearch/tokenizer.h"

namespace {

// Every entry of `counts` (settled) equals the reference, and nothing else is counted.
void check_same(const vnsearch::NgramCounts& counts,
                const std::map<std::uint64_t, std::int64_t>& reference) {
  std::size_t positive = 0;
  for (const auto& [key, value] : reference) {
    INFO("key " << key);
    CHECK(counts.count(key) == (value > 0 ? value : 0));
    positive += value > 0 ? 1 : 0;
  }
  CHECK(counts.size() == positive);
}

}  // namespace

TEST_CASE("NgramCounts adds, takes back, merges, prunes and round-trips as a map would",
          "[model][ngram]") {
  std::mt19937_64 random(7);
  vnsearch::NgramCounts counts, other;
  std::map<std::uint64_t, std::int64_t> reference;
  // Few distinct keys (so they repeat), spread over the whole 64-bit range as hashes are.
  std::vector<std::uint64_t> keys(500);
  for (auto& key : keys) key = random();
  keys.push_back(0);
  keys.push_back(UINT64_MAX);
  for (int i = 0; i < 20000; ++i) {
    const std::uint64_t key = keys[random() % keys.size()];
    // Take back only what was counted, as the indexer does.
    const bool remove = reference[key] > 0 && random() % 3 == 0;
    counts.add(key, remove ? -1 : 1);
    reference[key] += remove ? -1 : 1;
    if (i % 4000 == 0) counts.settle();  // settled tables and pending changes mix
  }
  check_same(counts, reference);  // before settling: pending changes are counted
  counts.settle();
  check_same(counts, reference);

  for (int i = 0; i < 3000; ++i) {
    const std::uint64_t key = keys[random() % keys.size()];
    other.add(key, 1);
    reference[key] += 1;
  }
  counts.merge(other);
  check_same(counts, reference);

  std::string bytes = "head";
  counts.write(bytes, 1);
  vnsearch::NgramCounts read;
  std::size_t at = 4;
  read.read(bytes, at, 1, "test table");
  CHECK(at == bytes.size());
  CHECK(read == counts);

  // Reading with a minimum keeps what prune keeps.
  at = 4;
  vnsearch::NgramCounts frequent;
  frequent.read(bytes, at, 3, "test table");
  counts.prune(3);
  CHECK(frequent == counts);
  for (auto& [key, value] : reference) {
    if (value < 3) value = 0;
  }
  check_same(counts, reference);
}

TEST_CASE("NgramCounts never reads damaged or truncated tables as counts", "[model][ngram]") {
  vnsearch::NgramCounts counts;
  for (std::uint64_t key : {5u, 9u, 12u}) counts.add(key, 2);
  counts.settle();
  std::string bytes;
  counts.write(bytes, 1);
  vnsearch::NgramCounts read;
  std::size_t at = 0;
  // A table of two entries with Rice parameter 0 and the given bit stream.
  const auto table = [](std::initializer_list<unsigned char> stream) {
    std::string out;
    const std::uint64_t entries = 2, length = stream.size();
    out.append(reinterpret_cast<const char*>(&entries), sizeof entries);
    out.push_back('\0');
    out.append(reinterpret_cast<const char*>(&length), sizeof length);
    for (const unsigned char byte : stream) out.push_back(static_cast<char>(byte));
    return out;
  };

  SECTION("the coded table is read back") {
    REQUIRE_NOTHROW(read.read(bytes, at, 1, "the table"));
    CHECK(at == bytes.size());
    CHECK(read == counts);
    CHECK(read.count(9) == 2);
  }
  SECTION("a repeated key") {
    // Gap 5 (five ones and a zero), count 1 (a zero), then gap 0 and count 1: the key 5 twice.
    CHECK_THROWS_WITH(read.read(table({0x1F, 0x00}), at, 1, "the table"),
                      Catch::Contains("the table is damaged"));
  }
  SECTION("a count wider than 32 bits") {
    // Gap 5, then 42 ones where a count's width is coded.
    CHECK_THROWS_WITH(
        read.read(table({0xDF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00}), at, 1, "the table"),
        Catch::Contains("damaged"));
  }
  SECTION("a stream longer than its entries") {
    // Keys 5 and 6, each counted once, and a byte more.
    CHECK_THROWS_WITH(read.read(table({0x9F, 0x00, 0x00}), at, 1, "the table"),
                      Catch::Contains("damaged"));
  }
  SECTION("more entries than the stream can hold") {
    bytes[0] = 100;
    CHECK_THROWS_WITH(read.read(bytes, at, 1, "the table"), Catch::Contains("damaged"));
  }
  SECTION("truncated") {
    bytes.pop_back();
    CHECK_THROWS_WITH(read.read(bytes, at, 1, "the table"), Catch::Contains("truncated"));
  }
  SECTION("truncated inside the stream") {
    const std::string cut = table({0x9F});  // key 5, then the second gap's code breaks off
    CHECK_THROWS_WITH(read.read(cut, at, 1, "the table"), Catch::Contains("truncated"));
  }
  SECTION("unsettled changes are not written") {
    counts.add(3, 1);
    std::string out;
    CHECK_THROWS_AS(counts.write(out, 1), std::logic_error);
  }
}

TEST_CASE("NgramCounts codes hashed keys, large counts and extreme keys exactly",
          "[model][ngram]") {
  std::mt19937_64 random(11);
  vnsearch::NgramCounts counts;
  std::map<std::uint64_t, std::int64_t> reference;
  // Keys at both ends of the range, spread hashes and dense runs; counts from 1 to 2^32 - 1.
  for (const std::uint64_t key : {std::uint64_t{0}, std::uint64_t{1}, UINT64_MAX, UINT64_MAX - 1}) {
    counts.add(key, 7);
    reference[key] += 7;
  }
  for (int i = 0; i < 20000; ++i) {
    const std::uint64_t key = i % 4 == 0 ? 1000 + static_cast<std::uint64_t>(i) : random();
    const std::int64_t count = i % 1000 == 0 ? std::int64_t{UINT32_MAX} : 1 + i % 37;
    counts.add(key, count);
    reference[key] += count;
  }
  for (auto& [key, value] : reference) value = std::min<std::int64_t>(value, UINT32_MAX);
  counts.settle();
  for (const std::uint32_t min_count : {1u, 2u, 30u}) {
    INFO("min_count " << min_count);
    std::string bytes;
    counts.write(bytes, min_count);
    // Far below the 12 bytes an entry of the plain arrays.
    if (min_count == 1) CHECK(bytes.size() < reference.size() * 8);
    vnsearch::NgramCounts read;
    std::size_t at = 0;
    read.read(bytes, at, 1, "the table");
    CHECK(at == bytes.size());
    std::map<std::uint64_t, std::int64_t> kept;
    for (const auto& [key, value] : reference) {
      if (value >= min_count) kept[key] = value;
    }
    check_same(read, kept);
  }
}

TEST_CASE("the model file keeps triples seen twice, the counts file every triple",
          "[model][ngram]") {
  vnsearch::test::TempDir tmp("test_ngram_counts");
  vnsearch::Analyzer analyzer;
  vnsearch::SyllableModel model;
  for (int i = 0; i < 2; ++i) model.add_tokens(analyzer.analyze("Cụm thi đua số tám."));
  model.add_tokens(analyzer.analyze("Quả dừa và quả dưa hấu."));
  model.settle();
  const std::filesystem::path file = tmp / "model.bin", counts = tmp / "counts.bin";
  model.save(file, 41);
  model.save_full_counts(counts, 42);

  vnsearch::SyllableModel searched;
  CHECK(searched.load(file, 1) == 41);
  CHECK(searched.trigram("thi", "đua", "số") == 2);
  CHECK(searched.trigram("dừa", "và", "quả") == 0);  // seen once: not in the model file
  CHECK(searched.bigram("dừa", "và") == 1);          // every pair is
  CHECK(searched.load_full_counts(counts) == 42);
  CHECK(searched.trigram("dừa", "và", "quả") == 1);
  CHECK(searched.same_counts(model));

  // Each file is only ever read as what it is.
  vnsearch::SyllableModel wrong;
  CHECK_THROWS_WITH(wrong.load(counts), Catch::Contains("not a vnsearch syllable model"));
  CHECK_THROWS_WITH(wrong.load_full_counts(file), Catch::Contains("not vnsearch syllable counts"));
  std::ofstream(file, std::ios::binary | std::ios::trunc) << "VNSYLM03" << std::string(40, '\0');
  CHECK_THROWS_WITH(wrong.load(file), Catch::Contains("older vnsearch"));
  // Version 04 held the same counts as plain arrays: never read as the coded layout.
  std::ofstream(file, std::ios::binary | std::ios::trunc) << "VNSYLM04" << std::string(64, '\1');
  CHECK_THROWS_WITH(wrong.load(file), Catch::Contains("older vnsearch"));
  std::ofstream(counts, std::ios::binary | std::ios::trunc) << "VNSYLC04" << std::string(64, '\1');
  CHECK_THROWS_WITH(wrong.load_full_counts(counts),
                    Catch::Contains("not vnsearch syllable counts of this version"));
  CHECK_THROWS(vnsearch::SyllableModel::file_tag(counts));  // so the indexer recounts it
}

TEST_CASE("a model or counts file cut short or with a byte changed is reported, never read",
          "[model][ngram]") {
  vnsearch::test::TempDir tmp("test_ngram_counts");
  vnsearch::Analyzer analyzer;
  vnsearch::SyllableModel model;
  for (int i = 0; i < 3; ++i) model.add_tokens(analyzer.analyze("Cụm thi đua số tám ở Vũng Tàu."));
  model.add_tokens(analyzer.analyze("Quả dừa và quả dưa hấu."));
  model.settle();
  const std::filesystem::path file = tmp / "model.bin", counts = tmp / "counts.bin";
  model.save(file, 7);
  model.save_full_counts(counts, 7);
  const auto bytes_of = [](const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  const std::string model_bytes = bytes_of(file), counts_bytes = bytes_of(counts);
  const auto rewrite = [](const std::filesystem::path& path, const std::string& bytes) {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
  };
  // Every cut (the tag and the frame's header included) and a changed byte at every place
  // after the tag: an error naming the file, never counts.
  for (std::size_t cut = 9; cut < model_bytes.size(); ++cut) {
    INFO("model cut to " << cut << " bytes");
    rewrite(file, model_bytes.substr(0, cut));
    vnsearch::SyllableModel read;
    CHECK_THROWS_WITH(read.load(file),
                      Catch::Contains(file.string()) &&
                          (Catch::Contains("truncated") || Catch::Contains("damaged")));
  }
  vnsearch::SyllableModel intact;
  rewrite(file, model_bytes);
  intact.load(file, 0);
  std::size_t reported = 0;
  for (std::size_t at = 16; at < model_bytes.size(); ++at) {
    INFO("model byte " << at << " changed");
    std::string changed = model_bytes;
    changed[at] = static_cast<char>(changed[at] ^ 0x10);
    rewrite(file, changed);
    // zstd ignores one bit of its frame header: such a change may load, but only as the same
    // counts; any other is reported.
    vnsearch::SyllableModel read;
    try {
      read.load(file, 0);
      CHECK(read.same_counts(intact));
      CHECK(read.unigram("thi") == 3);
    } catch (const std::runtime_error& error) {
      CHECK_THAT(error.what(), Catch::Contains(file.string()));
      ++reported;
    }
  }
  CHECK(reported + 1 >= model_bytes.size() - 16);
  rewrite(file, model_bytes);
  for (std::size_t cut = 9; cut < counts_bytes.size(); ++cut) {
    INFO("counts cut to " << cut << " bytes");
    rewrite(counts, counts_bytes.substr(0, cut));
    vnsearch::SyllableModel read;
    CHECK_THROWS_WITH(read.load_full_counts(counts), Catch::Contains(counts.string()));
  }
  reported = 0;
  for (std::size_t at = 16; at < counts_bytes.size(); ++at) {
    INFO("counts byte " << at << " changed");
    std::string changed = counts_bytes;
    changed[at] = static_cast<char>(changed[at] ^ 0x01);
    rewrite(counts, changed);
    vnsearch::SyllableModel read;
    read.load(file, 0);
    try {
      read.load_full_counts(counts);
      CHECK(read.same_counts(model));
    } catch (const std::runtime_error& error) {
      CHECK_THAT(error.what(), Catch::Contains(counts.string()));
      ++reported;
    }
  }
  CHECK(reported + 1 >= counts_bytes.size() - 16);
  // Trailing bytes after the frame are damage too.
  rewrite(counts, counts_bytes + "x");
  vnsearch::SyllableModel read;
  CHECK_THROWS_WITH(read.load_full_counts(counts), Catch::Contains("trailing bytes"));
  rewrite(file, model_bytes);
  CHECK(read.load(file, 1) == 7);
  CHECK(read.trigram("thi", "đua", "số") == 3);
}

// The model's copy inside the database (schema/large_metadata.h): Xapian cannot store one tag
// much over 100 MB, which the copy passes on an archive of about 150,000 articles.
TEST_CASE("a metadata value larger than one part is stored in parts and read back whole",
          "[model][metadata]") {
  vnsearch::test::TempDir dir("vnsearch-large-metadata");
  Xapian::WritableDatabase db((dir / "db").string(), Xapian::DB_CREATE_OR_OPEN);
  const std::string key = "vnsearch.syllable-model";
  std::string value;
  std::mt19937 random(7);
  while (value.size() < 10'500) value += static_cast<char>(random() & 0xFF);
  const auto parts = [&] {
    std::vector<std::string> names;
    for (auto it = db.metadata_keys_begin(key + "."); it != db.metadata_keys_end(key + "."); ++it)
      names.push_back(*it);
    return names;
  };

  vnsearch::schema::set_large_metadata(db, key, value, 1000);
  db.commit();
  CHECK(parts().size() == 11);
  CHECK(db.get_metadata(key) == "vnsearch-parts 11 10500");
  CHECK(vnsearch::schema::get_large_metadata(db, key) == value);

  // A smaller value removes the parts it no longer needs, in the same commit.
  vnsearch::schema::set_large_metadata(db, key, value.substr(0, 2500), 1000);
  db.commit();
  CHECK(parts().size() == 3);
  CHECK(vnsearch::schema::get_large_metadata(db, key) == value.substr(0, 2500));

  // One that fits one part is stored as it is, as before parts existed, and no part is left.
  vnsearch::schema::set_large_metadata(db, key, "VNSYLM05 small", 1000);
  db.commit();
  CHECK(parts().empty());
  CHECK(db.get_metadata(key) == "VNSYLM05 small");
  CHECK(vnsearch::schema::get_large_metadata(db, key) == "VNSYLM05 small");
  CHECK(vnsearch::schema::get_large_metadata(db, "no.such.key").empty());

  // Damage names the key and what is wrong, never returns a wrong value.
  vnsearch::schema::set_large_metadata(db, key, value, 1000);
  db.set_metadata(key + ".part-4", "");
  db.commit();
  CHECK_THROWS_WITH(vnsearch::schema::get_large_metadata(db, key),
                    Catch::Contains(key) && Catch::Contains("part 5 of 11 is missing"));
  db.set_metadata(key + ".part-4", "short");
  db.commit();
  CHECK_THROWS_WITH(vnsearch::schema::get_large_metadata(db, key),
                    Catch::Contains("manifest says 10500"));
  for (const char* manifest : {"vnsearch-parts ", "vnsearch-parts x 5", "vnsearch-parts 0 0",
                               "vnsearch-parts 3 12 extra"}) {
    db.set_metadata(key, manifest);
    db.commit();
    CHECK_THROWS_WITH(vnsearch::schema::get_large_metadata(db, key), Catch::Contains(key));
  }
}

TEST_CASE("a 130 MB metadata value, past Xapian's limit for one tag, is stored and read back",
          "[model][metadata]") {
#if defined(VNSEARCH_SANITIZED)
  WARN("AddressSanitizer build: the 130 MB value is skipped (the parts logic is tested above)");
#else
  vnsearch::test::TempDir dir("vnsearch-huge-metadata");
  Xapian::WritableDatabase db((dir / "db").string(), Xapian::DB_CREATE_OR_OPEN);
  std::string value(130u << 20, '\0');
  std::mt19937_64 random(11);  // incompressible, as the coded model is
  for (std::size_t at = 0; at + 8 <= value.size(); at += 8) {
    const std::uint64_t word = random();
    std::memcpy(value.data() + at, &word, 8);
  }
  vnsearch::schema::set_large_metadata(db, "vnsearch.syllable-model", value);
  db.commit();
  CHECK(vnsearch::schema::get_large_metadata(db, "vnsearch.syllable-model") == value);
#endif
}
