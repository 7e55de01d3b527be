import CCurlShim

/// Wakes a loop blocked in `hit_multi_set_poll`. `hit_multi_set_wakeup` may be called from any
/// thread (`curl_multi_wakeup`, or a write to an eventfd), which is what makes this one pointer
/// `@unchecked Sendable`.
struct MultiWaker: @unchecked Sendable {
    let multis: OpaquePointer

    func wake() {
        hit_multi_set_wakeup(multis)
    }
}
