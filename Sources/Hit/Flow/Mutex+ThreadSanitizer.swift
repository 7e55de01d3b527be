import CHitSanitizer
import Synchronization

extension Mutex where Value: Sendable {
    /// `withLock`, announced to ThreadSanitizer. TSan cannot see the futex behind the standard
    /// library's Mutex on Linux and reports every access the Mutex guards as a race; these calls
    /// tell it about the lock (and do nothing outside TSan builds). `owner`, the object that holds
    /// the mutex, names the lock by its address.
    func withLock<Result: Sendable>(for owner: AnyObject, _ body: (inout Value) -> Result) -> Result {
        let address = UnsafeRawPointer(Unmanaged.passUnretained(owner).toOpaque())
        return withLock { value in
            hit_tsan_acquire(address)
            defer { hit_tsan_release(address) }
            return body(&value)
        }
    }
}
