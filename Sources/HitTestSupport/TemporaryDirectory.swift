import Foundation

/// A new, empty directory of its own under the system's temporary directory; the caller removes it.
public func temporaryDirectory(_ prefix: String = "hit-test") throws -> String {
    let path = NSTemporaryDirectory() + "\(prefix)-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}
