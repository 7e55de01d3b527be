import Foundation

/// A request body, held once in memory and shared by every request and every worker: libcurl reads
/// it in place (CURLOPT_POSTFIELDS), so nothing is copied per request.
/// `@unchecked Sendable`: the bytes are written once, in `init`, and only read afterwards.
public final class Body: @unchecked Sendable, Equatable {
    /// Size in bytes.
    public let count: Int
    let bytes: UnsafeMutableRawPointer

    public init(_ content: some Sequence<UInt8>) {
        let array = Array(content)
        count = array.count
        bytes = .allocate(byteCount: max(array.count, 1), alignment: 1)
        array.withUnsafeBytes { bytes.copyMemory(from: $0.baseAddress!, byteCount: array.count) }
    }

    public convenience init(_ string: String) {
        self.init(Array(string.utf8))
    }

    /// Reads a file once.
    public convenience init(contentsOfFile path: String) throws {
        self.init(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    deinit {
        bytes.deallocate()
    }

    public static func == (a: Body, b: Body) -> Bool {
        a === b || (a.count == b.count && memcmp(a.bytes, b.bytes, a.count) == 0)
    }
}
