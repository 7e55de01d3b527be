#ifndef HIT_CHITSANITIZER_H
#define HIT_CHITSANITIZER_H

/// Tell ThreadSanitizer that a lock at `address` was taken or is about to be released. TSan cannot
/// see the futex behind Swift's Mutex on Linux; without these it reports every access the Mutex
/// guards as a race. Empty unless this target is built with -sanitize=thread.
void hit_tsan_acquire(const void *address);
void hit_tsan_release(const void *address);

#endif
