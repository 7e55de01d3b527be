import Foundation

/// A server the tests start as a process of its own (an OTLP receiver, Prometheus, an HTTP/3
/// server): on a port drawn free, ready once `ready` holds (its output says it listens, or its
/// socket is bound). A test beside it may take the drawn port between the draw and the bind; the
/// helper then exits saying so, and starts again on another port, five times at most. SIGKILLed
/// when released, or by `stop()`; its output stays in `directory`.
public final class HelperProcess: @unchecked Sendable {
    /// What to run on a port.
    public struct Launch {
        public var executable: String
        public var arguments: [String]
        public var environment: [String: String]?

        public init(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) {
            self.executable = executable
            self.arguments = arguments
            self.environment = environment
        }
    }

    public let port: Int
    /// Everything it wrote to stdout and stderr.
    public let outputPath: String
    private let process: Process

    /// Starts `launch(port)` on `port`, or on ports drawn by `draw`, and waits for `ready(output,
    /// port)` at most `timeout` seconds. `name` says which helper did not start.
    public init(_ name: String, directory: String, port fixed: Int? = nil, draw: () throws -> Int = { try freePort() },
                timeout: TimeInterval = 15, launch: (Int) throws -> Launch,
                ready: (_ output: String, _ port: Int) -> Bool = { output, _ in output.contains("listening on") }) throws {
        var attempt = 0
        while true {
            attempt += 1
            let port = try fixed ?? draw()
            let output = directory + "/" + String(name.map { $0.isLetter || $0.isNumber ? $0 : "-" }) + "-\(port).log"
            let process = Process()
            let launch = try launch(port)
            process.executableURL = URL(fileURLWithPath: launch.executable)
            process.arguments = launch.arguments
            if let environment = launch.environment { process.environment = environment }
            _ = FileManager.default.createFile(atPath: output, contents: nil)
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
            process.standardOutput = handle
            process.standardError = handle
            try process.run()
            try? handle.close()
            let read = { (try? String(contentsOfFile: output, encoding: .utf8)) ?? "" }
            let deadline = Date().addingTimeInterval(timeout)
            var started = false
            while Date() < deadline, process.isRunning {
                if ready(read(), port) {
                    started = true
                    break
                }
                usleep(20_000)
            }
            if started, process.isRunning {
                self.process = process
                self.port = port
                outputPath = output
                return
            }
            // One that exited may have lost its drawn port; one still silent at the deadline is stuck.
            let exited = !process.isRunning
            if !exited { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            if !exited || fixed != nil || attempt >= 5 {
                let text = read()
                throw HelperProcessError(description: "\(name) did not start\(exited ? "" : " within \(Int(timeout)) s"): \(text.suffix(2000))")
            }
        }
    }

    deinit {
        stop()
    }

    public var isRunning: Bool { process.isRunning }

    /// Stops it at once (SIGKILL: as a crashed server goes, its connections with it).
    public func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}

public struct HelperProcessError: Error, CustomStringConvertible {
    public let description: String
}
