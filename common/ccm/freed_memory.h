// freed_memory.h — hands memory the process has freed back to the kernel.
//
// glibc's malloc keeps freed chunks inside its heaps resident, and only gives back the top of a
// heap. A job that frees a large structure between phases (an import's directory changes after
// they are applied, its set model and plan when it ends) would otherwise keep that memory in its
// resident set while the next phase allocates anew: the next phase's peak would add to the last
// one's instead of replacing it. malloc_trim(0) returns every whole free page of every arena
// (madvise), at the cost of one walk over the heaps.
//
// Thread safety: safe to call from any thread.
#pragma once

#include <malloc.h>

namespace ccm {

/// Returns the whole free pages of the process's heaps to the kernel.
inline void ReturnFreedMemory() {
  ::malloc_trim(0);
}

}  // namespace ccm
