import Hit

extension CompareCommand: Subcommand {
    static let invokedAs = "hit compare"

    /// `hit compare`: the reports read (64 for a file that cannot be read, 65 for one that is not
    /// a run's report of hit's), checked comparable (65 otherwise), compared, and the verdict's
    /// exit status: 0, 1 regressed, 3 inconclusive.
    static func execute(_ arguments: [String], in context: CommandContext) -> ExitStatus {
        let (stdout, stderr) = (context.stdout, context.stderr)
        let raw = context.raw ?? RawArguments(arguments.map { Array($0.utf8) })
        let parsed = prepare(arguments, stdout: stdout, stderr: stderr) { command in
            Settings(sides: try command.sides(arguments: arguments), gates: try command.gating.parsedGates(),
                     format: try command.parsedFormat(), inconclusivePasses: try command.gating.passesInconclusive(),
                     limit: try command.input_.limit())
        }
        guard case .ready(let settings) = parsed else { return parsed.status }
        var sides: [[(name: String, report: JSONReport)]] = [[], []]
        for (side, files) in [settings.sides.base, settings.sides.new].enumerated() {
            for file in files {
                let body: Body
                do {
                    body = try ReportCommand.body(file, raw: raw, command: invokedAs, limit: settings.limit)
                } catch {
                    stderr.write(error.line)
                    return .usage
                }
                do {
                    let report = try ReportCommand.decode(body.contents, name: ReportCommand.name(of: file), command: invokedAs)
                    sides[side].append((file == "-" ? "standard input" : file, report))
                } catch {
                    stderr.write("\(invokedAs): \(UsageError.escaped(error.message))\n")
                    return .notComparable
                }
            }
        }
        switch compare(sides, settings: settings) {
        case .failure(let refusal):
            stderr.write("\(invokedAs): \(UsageError.escaped(refusal.message))\n")
            return .notComparable
        case .success(let report):
            switch settings.format {
            case .text: stdout.write(report.text)
            case .markdown: stdout.write(report.markdown)
            case .json: stdout.write(report.json)
            }
            let outcome = report.comparison.outcome
            if settings.format != .text, outcome == .regressed || outcome == .inconclusive {
                stderr.write("\(invokedAs): \(outcome.rawValue.uppercased()): \(report.reason)\n")
            }
            return ExitStatus(outcome, inconclusivePasses: settings.inconclusivePasses)
        }
    }

    struct Settings {
        let sides: (base: [String], new: [String])
        let gates: [ComparisonGate]
        let format: Format
        let inconclusivePasses: Bool
        let limit: Int
    }

    /// Why two runs are not compared.
    struct Refusal: Error {
        let message: String
    }

    /// The comparison of the runs read, or why there is none.
    static func compare(_ sides: [[(name: String, report: JSONReport)]], settings: Settings) -> Result<ComparisonReport, Refusal> {
        guard let first = sides.first?.first else { return .failure(Refusal(message: "nothing to compare")) }
        var warnings: [String] = []
        // What was asked first, then whether each run did it.
        for (name, report) in sides.joined() {
            if let difference = Comparability.difference(first.report.configuration, report.configuration) {
                return .failure(Refusal(message: "\(first.name) and \(name) are not comparable: \(difference)"))
            }
        }
        for (name, report) in sides.joined() {
            if let unfit = Comparability.unfit(report) {
                return .failure(Refusal(message: "\(name) cannot be compared: \(unfit); its latencies describe hit, not the server"))
            }
        }
        for (name, report) in sides[1] {
            warnings += Comparability.warnings(first.report, report).map { "\(first.name) and \(name): \($0)" }
        }
        // Paced runs are compared on their corrected latency, as their rules judge them.
        let corrected = sides.joined().allSatisfy { $0.report.pacing != nil }
        do {
            let runs = try sides.map { side throws(ComparedRun.Problem) in
                try side.map { entry throws(ComparedRun.Problem) in try ComparedRun(report: entry.report, name: entry.name, corrected: corrected) }
            }
            let comparison = RunComparison(base: runs[0], new: runs[1], gates: settings.gates)
            return .success(ComparisonReport(comparison, base: sides[0].map(\.name), new: sides[1].map(\.name),
                                             corrected: corrected, warnings: warnings))
        } catch {
            return .failure(Refusal(message: error.description))
        }
    }
}

extension ExitStatus {
    /// A comparison's: 1 when a gated metric regressed, 3 when inconclusive (0 if that passes).
    init(_ outcome: RunComparison.Outcome, inconclusivePasses: Bool) {
        switch outcome {
        case .regressed: self = .failure
        case .inconclusive: self = inconclusivePasses ? .success : .inconclusive
        case .equivalent, .improved: self = .success
        }
    }
}
