import Hit

/// A command that reads saved reports and writes reports of them: `hit report` and `hit merge`.
protocol ReadingCommand: Subcommand {
    var output: OutputFlags { get }
    var verdict: VerdictFlags { get }
    /// What it reads and writes, for the check that no output is an input or another output.
    func fileClash(standardOutput: Int32) -> FileClash
}

/// What a reading command's arguments came to: the command, what it read, its rules, and where
/// its reports go.
struct Reading<Command, Value> {
    let command: Command
    let value: Value
    let thresholds: [Threshold]
    let destination: OutputFile
    let extra: ExtraFiles
}

extension ReadingCommand {
    /// Parses `arguments`, checks the rules and the files, reads what `read` reads, and only then
    /// opens the outputs (a refused input creates no file); every error ends as `prepare` ends it.
    static func prepareReading<Value>(_ arguments: [String], raw: RawArguments, stdout: TextStream, stderr: TextStream,
                                      read: (Self) throws -> Value) -> Parsed<Reading<Self, Value>> {
        prepare(arguments, stdout: stdout, stderr: stderr) { command in
            Redaction.showsSecrets = command.output.showSecrets
            let thresholds = try command.verdict.thresholds()
            try command.fileClash(standardOutput: stdout.descriptor).check(raw: raw)
            let value = try read(command)
            return Reading(command: command, value: value, thresholds: thresholds,
                           destination: try command.output.destination(stdout: stdout, raw: raw),
                           extra: try command.output.extraFiles(raw: raw))
        }
    }
}
