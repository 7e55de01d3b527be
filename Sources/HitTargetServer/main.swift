import ArgumentParser
import Dispatch
import Foundation
import HitTarget
import NIOCore

/// A port or socket that cannot be listened on: one line, no usage.
struct CannotListen: Error, CustomStringConvertible {
    let description: String
}

/// `hit-target`: the bundled target server, for demos, smoke tests and benchmarks. Loopback only.
struct HitTargetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hit-target",
        abstract: "A loopback HTTP/1.1 server to aim hit at.",
        discussion: """
        Routes: /  /status/{code}  /delay/{ms}  /capacity/{slots}/{ms}  /hang  /bytes/{n}  /echo  /redirect/{n}  /loop \
        (the README's table says what each answers).
        Prints "listening on URL" on its first line; stops on SIGINT or SIGTERM.
        """
    )

    @Option(help: "Loopback address to listen on (127.0.0.0/8, ::1 or localhost).")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on; 0 picks a free one.")
    var port = 0

    @Option(help: "Event-loop threads.")
    var threads = 1

    @Option(help: "Also listen on this unix-domain socket.")
    var unixSocket: String?

    @Flag(help: "Speak HTTP/2 with prior knowledge (h2c) instead of HTTP/1.1.")
    var http2 = false

    @Flag(help: "Never compress responses.")
    var noCompression = false

    @Option(help: ArgumentHelp(
        "Append, for every request, when its head arrived: CLOCK_MONOTONIC nanoseconds, one a line, written at shutdown.",
        valueName: "path"))
    var arrivalLog: String?

    func validate() throws {
        guard TargetServer.isLoopback(host) else { throw ValidationError("--host must be a loopback address, not '\(host)'") }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be from 0 to 65535, not \(port)") }
        guard threads > 0 else { throw ValidationError("--threads must be positive, not \(threads)") }
    }

    func run() throws {
        var configuration = TargetServer.Configuration()
        configuration.host = host
        configuration.port = port
        configuration.threads = threads
        configuration.unixSocketPath = unixSocket
        configuration.http2 = http2
        configuration.compression = !noCompression
        configuration.arrivalLogPath = arrivalLog
        if let arrivalLog, !FileManager.default.fileExists(atPath: arrivalLog) {
            // Fail now, not at shutdown, if the log cannot be written.
            guard FileManager.default.createFile(atPath: arrivalLog, contents: nil) else {
                throw ValidationError("cannot create --arrival-log file '\(arrivalLog)'")
            }
        }
        let server: TargetServer
        do {
            server = try TargetServer(configuration)
        } catch let error as IOError {
            // NIO's own text has a stray parenthesis: say it plainly.
            let address = configuration.host + ":\(configuration.port)"
            throw CannotListen(description: "cannot listen on \(address): \(String(cString: strerror(error.errnoCode)))")
        }
        print("listening on \(server.baseURL)")
        if let unixSocket { print("listening on unix:\(unixSocket)") }
        fflush(nil)  // all streams: `stdout` itself is not concurrency-safe to name
        let stop: @Sendable () -> Void = {
            server.shutdown()
            Foundation.exit(0)
        }
        var sources: [any DispatchSourceSignal] = []
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .main)
            source.setEventHandler(handler: stop)
            source.resume()
            sources.append(source)
        }
        withExtendedLifetime(sources) { dispatchMain() }
    }
}

HitTargetCommand.main()
