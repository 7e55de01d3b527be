#include "CHitSanitizer.h"

#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define HIT_THREAD_SANITIZER 1
void __tsan_acquire(void *address);
void __tsan_release(void *address);
#endif
#endif

void hit_tsan_acquire(const void *address) {
#ifdef HIT_THREAD_SANITIZER
    __tsan_acquire((void *)address);
#else
    (void)address;
#endif
}

void hit_tsan_release(const void *address) {
#ifdef HIT_THREAD_SANITIZER
    __tsan_release((void *)address);
#else
    (void)address;
#endif
}
