#include "completion_loading.h"

#include <memory>
#include <system_error>

#include "vnsearch/completion_table.h"

namespace vnsearch::query {

void load_completions(const std::filesystem::path& database, const std::filesystem::path& directory,
                      IndexSnapshot& snapshot) {
  auto table = std::make_shared<CompletionTable>();
  const std::filesystem::path path = directory / CompletionTable::kFileName;
  const std::string remedy =
      "rebuild it with `vnsearch rebuild-model --db " + database.string() + "`";
  snapshot.completions_problem.clear();
  std::error_code error;
  if (!std::filesystem::exists(path, error)) {
    snapshot.completions_problem =
        "the completion table of " + database.string() + " is missing: " + remedy;
  } else {
    try {
      table->load(path);
    } catch (const std::exception& failure) {
      table = std::make_shared<CompletionTable>();
      snapshot.completions_problem = "the completion table of " + database.string() +
                                     " cannot be used (" + failure.what() + "): " + remedy;
    }
  }
  snapshot.completions = std::move(table);
}

}  // namespace vnsearch::query
