// A small tmpfs mounted for one test, to fill the disk on purpose (needs root, as in CI; tests
// skip visibly otherwise). Unmounted at the end.
#pragma once

#include <sys/mount.h>
#include <unistd.h>

#include <filesystem>
#include <string>

namespace vnsearch::test {

class SmallDisk {
 public:
  SmallDisk(const std::filesystem::path& where, const std::string& size) : where_(where) {
    std::filesystem::create_directories(where);
    mounted_ = ::getuid() == 0 &&
               ::mount("tmpfs", where.c_str(), "tmpfs", 0, ("size=" + size).c_str()) == 0;
  }
  ~SmallDisk() {
    if (mounted_) ::umount2(where_.c_str(), MNT_DETACH);
  }
  SmallDisk(const SmallDisk&) = delete;
  SmallDisk& operator=(const SmallDisk&) = delete;
  bool mounted() const { return mounted_; }
  /// Gives the disk a new size (the operator freeing space); true when done.
  bool resize(const std::string& size) {
    return mounted_ &&
           ::mount("tmpfs", where_.c_str(), "tmpfs", MS_REMOUNT, ("size=" + size).c_str()) == 0;
  }

 private:
  std::filesystem::path where_;
  bool mounted_ = false;
};

}  // namespace vnsearch::test
