import Dispatch
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
import Hit

/// The `hit` command as a function: arguments in, report out, exit status back. `main.swift`
/// wires it to the process (signals, `exit`); tests call it in process.
enum CLI {
    /// Runs the command `arguments` name (without the program name; `raw` holds their bytes as
    /// given): a load test (`hit [options] URL`), `hit report`, `hit merge` (see `HitTool`), or help. Usage errors
    /// print one line on `stderr` and return `.usage` before anything is sent. `cancellation` stops
    /// a run early (Ctrl-C); `onStart` is called once the arguments are accepted, before the wait
    /// for `--start-at` is announced and anything is sent; `onReport` once it has ended and its
    /// report is about to be written.
    static func run(arguments: [String], raw: RawArguments? = nil, stdout: TextStream = .standardOutput, stderr: TextStream = .standardError,
                    cancellation: CancellationToken = CancellationToken(),
                    onStart: @escaping () -> Void = {}, onReport: @escaping () -> Void = {}) -> ExitStatus {
        // `hit help ...`, `--help`, `--help-all`, `--version`: no URL is ever "help" either.
        switch Help.requested(by: arguments) {
        case .success(let text)?:
            stdout.write(text + "\n")
            return .success
        case .failure(let error)?:
            stderr.write(error.line)
            return .usage
        case nil:
            break
        }
        let (command, own) = HitTool.command(for: arguments)
        return command.execute(own, in: CommandContext(raw: raw, stdout: stdout, stderr: stderr, cancellation: cancellation,
                                                       onStart: onStart, onReport: onReport))
    }

    /// The status a command ends with once its reports are written: `status`, unless one of them
    /// could not be written, which is never lost in silence.
    static func ending(destination: OutputFile, extra: ExtraFiles, stderr: TextStream, status: ExitStatus) -> ExitStatus {
        let failures = ([destination] + extra.all).compactMap { $0.failureLine }
        for line in failures { stderr.write(line) }
        return failures.isEmpty ? status : .ioError
    }

    /// Whether `descriptor` is a pipe (or a FIFO).
    static func isPipe(_ descriptor: Int32) -> Bool {
        var status = stat()
        return fstat(descriptor, &status) == 0 && (status.st_mode & S_IFMT) == S_IFIFO
    }
}
