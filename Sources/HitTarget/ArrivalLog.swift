import Dispatch
import Foundation
import Synchronization

/// When each request's head arrived, in nanoseconds of CLOCK_MONOTONIC (`DispatchTime`, the clock
/// hit's schedule runs on), kept in memory and appended to a file at shutdown, one number a line:
/// so that a benchmark can compare hit's schedule with the server's arrivals.
public final class ArrivalLog: Sendable {
    public let path: String
    private let arrivals = Mutex<[UInt64]>([])

    public init(path: String) {
        self.path = path
        arrivals.withLock { $0.reserveCapacity(1 << 16) }
    }

    func record(_ uptimeNanoseconds: UInt64) {
        arrivals.withLock { $0.append(uptimeNanoseconds) }
    }

    /// The arrivals so far, in the order they were recorded.
    public var recorded: [UInt64] { arrivals.withLock { $0 } }

    /// Appends what was recorded to the file (creating it), and forgets it.
    public func flush() throws {
        let lines = arrivals.withLock { arrivals in
            defer { arrivals.removeAll() }
            return arrivals.map { "\($0)\n" }.joined()
        }
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
            }
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(lines.utf8))
    }
}
