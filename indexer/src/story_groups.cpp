#include "story_groups.h"

#include <algorithm>
#include <map>
#include <numeric>
#include <optional>
#include <set>
#include <unordered_set>

#include "near_duplicates.h"
#include "vnsearch/schema.h"

namespace vnsearch::indexing {
namespace {

struct Member {
  Xapian::docid docid = 0;
  std::string id;
  std::string key;
  std::optional<Sketch> sketch;
};

std::string id_of(const Xapian::Document& document) {
  const std::string prefix(schema::kId);
  auto term = document.termlist_begin();
  term.skip_to(prefix);
  if (term == document.termlist_end() || (*term).compare(0, prefix.size(), prefix) != 0) return {};
  return (*term).substr(prefix.size());
}

// Union-find over member indexes, with path halving.
struct Components {
  std::vector<std::size_t> parent;
  explicit Components(std::size_t n) : parent(n) { std::iota(parent.begin(), parent.end(), 0); }
  std::size_t find(std::size_t i) {
    while (parent[i] != i) i = parent[i] = parent[parent[i]];
    return i;
  }
  void unite(std::size_t a, std::size_t b) { parent[find(a)] = find(b); }
};

}  // namespace

std::string StoryGroups::key_of(Xapian::docid docid) const {
  return db_.get_document(docid).get_value(schema::kSlotStoryKey);
}

// Past this many cached sketches (about 250 bytes each) the cache starts over: memory stays
// bounded on any archive, at the price of re-reading values.
constexpr std::size_t kMaxCachedSketches = std::size_t{1} << 21;

const std::optional<Sketch>& StoryGroups::sketch_of(Xapian::docid docid) {
  if (const auto found = sketches_.find(docid); found != sketches_.end()) return found->second;
  if (sketches_.size() >= kMaxCachedSketches) sketches_.clear();
  return sketches_
      .emplace(docid, decode_sketch(db_.get_document(docid).get_value(schema::kSlotMinHash)))
      .first->second;
}

void StoryGroups::written(Xapian::docid docid, const std::string& old_key) {
  sketches_.erase(docid);  // a replaced document keeps its docid
  // The old version's edges are gone: its former story may fall apart. Then the new version
  // joins the stories of its copies.
  if (!old_key.empty()) split(old_key, docid);
  merge(docid);
}

void StoryGroups::deleted(const std::vector<std::string>& old_keys) {
  std::set<std::string> keys;
  for (const std::string& key : old_keys) {
    if (!key.empty()) keys.insert(key);
  }
  for (const std::string& key : keys) split(key, 0);
}

void StoryGroups::set_key(Xapian::docid docid, const std::string& old_key, const std::string& key) {
  Xapian::Document document = db_.get_document(docid);
  if (!old_key.empty()) {
    try {
      document.remove_term(std::string(schema::kStoryKey) + old_key);
    } catch (const Xapian::InvalidArgumentError&) {
      // The term was missing (a value without its term): nothing to remove.
    }
  }
  document.add_boolean_term(std::string(schema::kStoryKey) + key);
  document.add_value(schema::kSlotStoryKey, key);
  db_.replace_document(docid, document);
}

void StoryGroups::merge(Xapian::docid docid) {
  const Xapian::Document document = db_.get_document(docid);
  const std::string id = id_of(document);
  const std::string current = document.get_value(schema::kSlotStoryKey);
  std::set<std::string> keys;
  if (const std::optional<Sketch> sketch = sketch_of(docid)) {
    std::unordered_set<Xapian::docid> checked = {docid};
    const auto check = [&](Xapian::docid other) {
      if (!checked.insert(other).second) return;
      const std::optional<Sketch>& theirs = sketch_of(other);
      // A shared band term may be a chance bucket: the band itself must agree.
      if (theirs && share_a_band(sketch->signature, theirs->signature) &&
          near_duplicates(*sketch, *theirs)) {
        keys.insert(db_.get_document(other).get_value(schema::kSlotStoryKey));
      }
    };
    for (const std::uint64_t band : band_keys(sketch->signature)) {
      const std::string term = band_term(band);
      if (before_) {
        // A document replaced in this run may still be listed under its old bands here, and
        // one written in this run may be listed both here (once committed) and in the run's
        // index: the check reads the current sketch once per document.
        try {
          for (auto it = before_->postlist_begin(term); it != before_->postlist_end(term); ++it) {
            check(*it);
          }
        } catch (const Xapian::DatabaseModifiedError&) {
          before_->reopen();  // fell behind: read the latest commit (checked skips repeats)
          for (auto it = before_->postlist_begin(term); it != before_->postlist_end(term); ++it) {
            check(*it);
          }
        }
        auto& in_run = written_bands_[band];
        for (Xapian::docid other : in_run) check(other);
        in_run.push_back(docid);
      } else {
        for (auto it = db_.postlist_begin(term); it != db_.postlist_end(term); ++it) check(*it);
      }
    }
  }
  keys.erase(std::string());
  std::string key = id;
  if (!keys.empty() && *keys.begin() < key) key = *keys.begin();
  if (key.empty()) return;
  if (key != current) set_key(docid, current, key);
  for (const std::string& other : keys) {
    if (other == key) continue;
    // Another story joined through this document: its members take the smaller key. Their
    // docids are collected first, as rekeying changes the posting list being read.
    const std::string term = std::string(schema::kStoryKey) + other;
    std::vector<Xapian::docid> members(db_.postlist_begin(term), db_.postlist_end(term));
    for (Xapian::docid member : members) {
      if (member == docid) continue;
      set_key(member, other, key);
      ++rekeyed_;
    }
  }
}

// Stories are connected components, so recomputing components over the members of one story is
// enough: no edge leaves them.
void StoryGroups::split(const std::string& key, Xapian::docid skip) {
  const std::string term = std::string(schema::kStoryKey) + key;
  std::vector<Member> members;
  for (auto it = db_.postlist_begin(term); it != db_.postlist_end(term); ++it) {
    if (*it == skip) continue;
    const Xapian::Document document = db_.get_document(*it);
    members.push_back(
        {*it, id_of(document), document.get_value(schema::kSlotStoryKey), sketch_of(*it)});
  }
  if (members.empty()) return;
  // Candidate pairs are those sharing a band, as in merge(): the graph is the same whichever
  // document was written last.
  Components components(members.size());
  std::map<std::string, std::vector<std::size_t>> buckets;
  for (std::size_t i = 0; i < members.size(); ++i) {
    if (!members[i].sketch) continue;
    for (std::string& band : band_terms(members[i].sketch->signature)) {
      buckets[band].push_back(i);
    }
  }
  for (const auto& [band, in_bucket] : buckets) {
    for (std::size_t a = 0; a < in_bucket.size(); ++a) {
      for (std::size_t b = 0; b < a; ++b) {
        const std::size_t i = in_bucket[a], j = in_bucket[b];
        if (components.find(i) == components.find(j)) continue;
        const Sketch& first = *members[i].sketch;
        const Sketch& second = *members[j].sketch;
        if (share_a_band(first.signature, second.signature) && near_duplicates(first, second)) {
          components.unite(i, j);
        }
      }
    }
  }
  std::map<std::size_t, std::string> smallest;  // component root -> smallest id
  for (std::size_t i = 0; i < members.size(); ++i) {
    auto [it, fresh] = smallest.try_emplace(components.find(i), members[i].id);
    if (!fresh && members[i].id < it->second) it->second = members[i].id;
  }
  for (Member& member : members) {
    const std::string& new_key =
        smallest[components.find(static_cast<std::size_t>(&member - members.data()))];
    if (new_key.empty() || new_key == member.key) continue;
    set_key(member.docid, member.key, new_key);
    ++rekeyed_;
  }
}

}  // namespace vnsearch::indexing
