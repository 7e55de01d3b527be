import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// A request body, held once in memory and shared by every request and every worker: libcurl reads
/// it in place (CURLOPT_POSTFIELDS), so nothing is copied per request, and a body read from a file
/// or a pipe goes straight into this one buffer.
/// `@unchecked Sendable`: the bytes are written once, in `init`, and only read afterwards.
public final class Body: @unchecked Sendable, Equatable {
    /// Size in bytes.
    public let count: Int
    let bytes: UnsafeMutableRawPointer

    /// A copy of the bytes.
    package var contents: [UInt8] { Array(UnsafeRawBufferPointer(start: bytes, count: count)) }

    /// Why a body could not be read.
    public struct ReadError: Error, Sendable, Equatable, CustomStringConvertible {
        public let reason: String
        public var description: String { reason }
    }

    public init(_ content: some Sequence<UInt8>) {
        let array = Array(content)
        count = array.count
        bytes = .allocate(byteCount: max(array.count, 1), alignment: 1)
        array.withUnsafeBytes { bytes.copyMemory(from: $0.baseAddress!, byteCount: array.count) }
    }

    public convenience init(_ string: String) {
        self.init(Array(string.utf8))
    }

    private init(taking bytes: UnsafeMutableRawPointer, count: Int) {
        self.bytes = bytes
        self.count = count
    }

    /// Reads a file, a pipe or a FIFO once, into the body's own buffer: a regular file is read at
    /// its size, a stream until it ends. Refuses more than `limit` bytes and character devices
    /// other than a terminal and /dev/null, which would never end.
    public convenience init(contentsOfFile path: String, limit: Int = 1 << 32) throws(ReadError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ReadError(reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        try self.init(reading: fd, limit: limit)
    }

    /// Reads an open descriptor to its end, as `init(contentsOfFile:limit:)` does.
    public convenience init(reading fd: Int32, limit: Int = 1 << 32) throws(ReadError) {
        var status = stat()
        guard fstat(fd, &status) == 0 else { throw ReadError(reason: String(cString: strerror(errno))) }
        switch status.st_mode & S_IFMT {
        case S_IFDIR: throw ReadError(reason: "it is a directory")
        case S_IFCHR where isatty(fd) == 0 && status.st_rdev != 0x103:  // /dev/null is makedev(1, 3)
            throw ReadError(reason: "it is a device that never ends")
        default: break
        }
        var capacity = status.st_mode & S_IFMT == S_IFREG ? max(Int(status.st_size), 1) : 64 * 1024
        guard capacity <= limit else { throw ReadError(reason: "it is larger than \(limit) bytes") }
        var buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 1)
        var count = 0
        while true {
            if count == capacity {
                // Full: at the end (a regular file read at its size), or a stream with more to come.
                var probe: UInt8 = 0
                let more = Glibc.read(fd, &probe, 1)
                if more == 0 { break }
                if more < 0 {
                    if errno == EINTR { continue }
                    let reason = String(cString: strerror(errno))
                    buffer.deallocate()
                    throw ReadError(reason: reason)
                }
                guard capacity < limit else {
                    buffer.deallocate()
                    throw ReadError(reason: "it is larger than \(limit) bytes")
                }
                let grown = UnsafeMutableRawPointer.allocate(byteCount: min(capacity * 2, limit), alignment: 1)
                grown.copyMemory(from: buffer, byteCount: count)
                buffer.deallocate()
                buffer = grown
                capacity = min(capacity * 2, limit)
                buffer.storeBytes(of: probe, toByteOffset: count, as: UInt8.self)
                count += 1
                continue
            }
            let read = Glibc.read(fd, buffer + count, capacity - count)
            if read > 0 {
                count += read
            } else if read == 0 {
                break
            } else if errno != EINTR {
                let reason = String(cString: strerror(errno))
                buffer.deallocate()
                throw ReadError(reason: reason)
            }
        }
        self.init(taking: buffer, count: count)
    }

    /// The body's bytes, copied out.
    public var content: [UInt8] {
        Array(UnsafeRawBufferPointer(start: bytes, count: count))
    }

    deinit {
        bytes.deallocate()
    }

    public static func == (a: Body, b: Body) -> Bool {
        a === b || (a.count == b.count && memcmp(a.bytes, b.bytes, a.count) == 0)
    }
}
