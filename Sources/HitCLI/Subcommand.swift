import ArgumentParser
import Hit

/// One of hit's commands (`hit [options] URL`, `hit report`, `hit merge`), and the one way all of
/// them turn arguments into what they describe: a usage error is one line on stderr naming the
/// command, and 64; `--help` prints the command's help on stdout, and 0.
protocol Subcommand: ParsableCommand {
    /// How its messages name it: `hit`, `hit report`, `hit merge`.
    static var invokedAs: String { get }
    /// Runs the command `arguments` (its own, without its name) describe, to its exit status.
    static func execute(_ arguments: [String], in context: CommandContext) -> ExitStatus
    /// Checks made before the parser sees the arguments (another tool's spelling of a flag).
    static func checkBeforeParsing(_ arguments: [String]) throws(UsageError)
    /// The parser's `error` as the one line the user reads.
    static func usageMessage(for error: any Error, arguments: [String]) -> String
}

/// What every command runs with: the arguments' bytes as given, the output streams, and for a load
/// test its cancellation and the moments its caller wants to know of.
struct CommandContext {
    var raw: RawArguments?
    var stdout: TextStream
    var stderr: TextStream
    var cancellation: CancellationToken
    /// Called once the arguments are accepted, before anything is sent.
    var onStart: () -> Void
    /// Called once the run has ended and its report is about to be written.
    var onReport: () -> Void
}

/// What a command's arguments came to: what they describe, or the status to end with now.
enum Parsed<Value> {
    case ready(Value)
    case ended(ExitStatus)

    /// The status it ended with (`.success` when it is ready).
    var status: ExitStatus {
        if case .ended(let status) = self { return status }
        return .success
    }
}

extension Subcommand {
    static func checkBeforeParsing(_ arguments: [String]) throws(UsageError) {}

    static func usageMessage(for error: any Error, arguments: [String]) -> String {
        message(for: error)
    }

    /// Parses `arguments` and makes what they describe with `make`, which throws a `UsageError`
    /// for a value that cannot be used; every error ends here, on stderr or (help) on stdout.
    static func prepare<Value>(_ arguments: [String], stdout: TextStream, stderr: TextStream,
                               _ make: (Self) throws -> Value) -> Parsed<Value> {
        do {
            try checkBeforeParsing(arguments)
            return .ready(try make(parse(arguments)))
        } catch let error as UsageError {
            stderr.write(UsageError(error.message, command: invokedAs).line)
            return .ended(.usage)
        } catch let error as NotComparable {
            stderr.write("\(invokedAs): \(UsageError.escaped(error.message))\n")
            return .ended(.notComparable)
        } catch {
            if exitCode(for: error) == .success {
                stdout.write(fullMessage(for: error) + "\n")  // --help
                return .ended(.success)
            }
            stderr.write(UsageError(usageMessage(for: error, arguments: arguments), command: invokedAs).line)
            return .ended(.usage)
        }
    }
}
