#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes all of `bytes` to `descriptor`, retrying short writes and `EINTR`.
///
/// Returns 0, or the `errno` of the write that failed: a caller that must not fail in silence
/// keeps it and says so.
package func writeAll(_ bytes: some Collection<UInt8>, to descriptor: Int32) -> Int32 {
    let array = Array(bytes)
    var written = 0
    while written < array.count {
        let result = array.withUnsafeBytes { write(descriptor, $0.baseAddress! + written, array.count - written) }
        if result >= 0 {
            written += result
        } else if errno != EINTR {
            return errno
        }
    }
    return 0
}
