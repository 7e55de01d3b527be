import ArgumentParser
import Dispatch
import Foundation
import Hit

// A reader that goes away (`hit ... | head -1`) must not kill hit with SIGPIPE.
signal(SIGPIPE, SIG_IGN)

let loadTest: LoadTest
do {
    loadTest = try HitCommand.parse(Array(CommandLine.arguments.dropFirst())).loadTest()
} catch let error as UsageError {
    UsageError.exit(error.message)
} catch {
    if HitCommand.exitCode(for: error) == .success {
        print(HitCommand.fullMessage(for: error))  // --help, --version
        exit(ExitStatus.success.rawValue)
    }
    UsageError.exit(HitCommand.message(for: error))
}

let cancellation = CancellationToken()
let interruptSources = Interrupts.cancel(cancellation, queue: DispatchQueue(label: "hit.signals"))

let summary: Summary
do {
    summary = try loadTest.run(cancellation: cancellation)
} catch {
    FileHandle.standardError.write(Data("hit: \(error)\n".utf8))
    exit(ExitStatus.setup.rawValue)
}

print(TextReport(summary, targets: loadTest.targets.map { "\($0.method) \($0.url)" }))
fflush(nil)  // all streams: `stdout` itself is not concurrency-safe to name
withExtendedLifetime(interruptSources) {}

let status: ExitStatus = summary.interrupted ? .interrupted : summary.allSucceeded ? .success : .failure
exit(status.rawValue)
