import Foundation
import Hit
@testable import HitCLI

/// `CLI.run` called in this process, with stdout and stderr captured in files: what a test of the
/// command line needs when no real process is called for.
struct InProcessRun {
    let exitStatus: Int32
    let stdout: String
    let stderr: String

    init(_ arguments: [String], cancellation: CancellationToken = CancellationToken()) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hit-in-process-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let outURL = directory.appendingPathComponent("stdout"), errURL = directory.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        exitStatus = CLI.run(arguments: arguments, stdout: TextStream(descriptor: out.fileDescriptor),
                             stderr: TextStream(descriptor: err.fileDescriptor), cancellation: cancellation).rawValue
        try out.close()
        try err.close()
        stdout = try String(contentsOf: outURL, encoding: .utf8)
        stderr = try String(contentsOf: errURL, encoding: .utf8)
    }
}
