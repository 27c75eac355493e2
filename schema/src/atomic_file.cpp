#include "atomic_file.h"

#include <fstream>
#include <stdexcept>
#include <system_error>

namespace vnsearch::schema {

void replace_file_atomically(const std::filesystem::path& path,
                             const std::function<void(std::ostream&)>& write) {
  const std::filesystem::path temporary = path.string() + ".tmp";
  struct RemoveOnFailure {
    const std::filesystem::path& file;
    bool done = false;
    ~RemoveOnFailure() {
      std::error_code ignored;
      if (!done) std::filesystem::remove(file, ignored);
    }
  } cleanup{temporary};
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error("cannot write " + temporary.string());
    write(out);
    if (!out.flush()) throw std::runtime_error("cannot write " + temporary.string());
    out.close();
    if (!out) throw std::runtime_error("cannot write " + temporary.string());
  }
  std::filesystem::rename(temporary, path);
  cleanup.done = true;
}

}  // namespace vnsearch::schema
