#include "story_groups.h"

#include <algorithm>
#include <map>
#include <numeric>
#include <optional>
#include <set>

#include "near_duplicates.h"
#include "vnsearch/schema.h"

namespace vnsearch::indexing {
namespace {

struct Member {
  Xapian::docid docid = 0;
  std::string id;
  std::string key;
  std::optional<Signature> signature;
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

void StoryGroups::written(Xapian::docid docid, const std::string& old_key) {
  std::vector<std::string> keys;
  if (!old_key.empty()) keys.push_back(old_key);
  regroup(std::move(keys), docid);
}

void StoryGroups::deleted(const std::vector<std::string>& old_keys) {
  std::vector<std::string> keys;
  for (const std::string& key : old_keys) {
    if (!key.empty()) keys.push_back(key);
  }
  if (!keys.empty()) regroup(std::move(keys), 0);
}

// The documents whose key may change are the seed (when there is one), every member of the
// stories in `keys`, and every member of the stories of the seed's copies. Stories are connected
// components, so recomputing components over exactly these documents is enough: no edge leaves
// them except the seed's, which are followed.
void StoryGroups::regroup(std::vector<std::string> keys, Xapian::docid seed) {
  std::set<Xapian::docid> docids;
  if (seed != 0) {
    docids.insert(seed);
    const Xapian::Document document = db_.get_document(seed);
    if (const auto signature = decode_signature(document.get_value(schema::kSlotMinHash))) {
      std::set<Xapian::docid> checked = {seed};
      for (const std::string& term : band_terms(*signature)) {
        for (auto it = db_.postlist_begin(term); it != db_.postlist_end(term); ++it) {
          if (!checked.insert(*it).second) continue;
          const Xapian::Document other = db_.get_document(*it);
          const auto theirs = decode_signature(other.get_value(schema::kSlotMinHash));
          if (theirs && estimated_jaccard(*signature, *theirs) >= kNearDuplicateJaccard) {
            keys.push_back(other.get_value(schema::kSlotStoryKey));
          }
        }
      }
    }
  }
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  for (const std::string& key : keys) {
    if (key.empty()) continue;
    const std::string term = std::string(schema::kStoryKey) + key;
    for (auto it = db_.postlist_begin(term); it != db_.postlist_end(term); ++it) docids.insert(*it);
  }
  if (docids.empty()) return;

  std::vector<Member> members;
  members.reserve(docids.size());
  for (Xapian::docid docid : docids) {
    const Xapian::Document document = db_.get_document(docid);
    members.push_back({docid, id_of(document), document.get_value(schema::kSlotStoryKey),
                       decode_signature(document.get_value(schema::kSlotMinHash))});
  }
  // Candidate pairs are those sharing a band, as at the seed: the graph is the same whichever
  // document is written last.
  Components components(members.size());
  std::map<std::string, std::vector<std::size_t>> buckets;
  for (std::size_t i = 0; i < members.size(); ++i) {
    if (!members[i].signature) continue;
    for (std::string& term : band_terms(*members[i].signature)) buckets[term].push_back(i);
  }
  for (const auto& [term, in_bucket] : buckets) {
    for (std::size_t a = 0; a < in_bucket.size(); ++a) {
      for (std::size_t b = a + 1; b < in_bucket.size(); ++b) {
        const std::size_t i = in_bucket[a], j = in_bucket[b];
        if (components.find(i) == components.find(j)) continue;
        if (estimated_jaccard(*members[i].signature, *members[j].signature) >=
            kNearDuplicateJaccard) {
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
  for (std::size_t i = 0; i < members.size(); ++i) {
    const std::string& key = smallest[components.find(i)];
    if (key == members[i].key || key.empty()) continue;
    Xapian::Document document = db_.get_document(members[i].docid);
    if (!members[i].key.empty()) {
      try {
        document.remove_term(std::string(schema::kStoryKey) + members[i].key);
      } catch (const Xapian::InvalidArgumentError&) {
        // The term was missing (a value without its term): nothing to remove.
      }
    }
    document.add_boolean_term(std::string(schema::kStoryKey) + key);
    document.add_value(schema::kSlotStoryKey, key);
    db_.replace_document(members[i].docid, document);
    if (members[i].docid != seed) ++rekeyed_;
  }
}

}  // namespace vnsearch::indexing
