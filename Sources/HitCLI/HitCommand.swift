import ArgumentParser
import FoundationEssentials
import Hit

/// The command line: `hit [options] URL...`.
///
/// Values are checked in `loadTest()`, after parsing, rather than in `validate()`: the parser runs
/// `validate()` and its missing-argument check before it reports an unknown option, which would
/// make `hit --rsp 5 URL` look like a bad URL ('5') instead of the typo it is.
struct HitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Load-test an HTTP server: send N requests from C workers, optionally at R requests per second in total.",
        usage: "hit [options] <url>...\n  hit [options] -f <targets-file>\n  hit report <run.json> --html <path>\n  hit merge <shard.json>... [--partial] [-o text|json] [--fail-if <rule>]",
        discussion: """
        Several URLs, or a targets file, take turns (as often as their weights ask); the report breaks results down per target. \
        Press Ctrl-C to stop early: the report of what completed is printed, marked as interrupted. \
        A second Ctrl-C exits at once.

        \(ExitStatus.table)
        """,
        version: hitVersion
    )

    @OptionGroup(title: "Load") var load: LoadFlags
    @OptionGroup(title: "Request") var request: RequestFlags
    @OptionGroup(title: "Requests that vary") var templates: TemplateFlags
    @OptionGroup(title: "Connection") var connection: ConnectionFlags
    @OptionGroup(title: "TLS") var tls: TLSFlags
    @OptionGroup(title: "Output") var output: OutputFlags
    @OptionGroup(title: "Verdict") var verdict: VerdictFlags
    @OptionGroup(title: "Baseline") var baseline: BaselineFlags
    @OptionGroup(title: "Metrics") var metrics: MetricsFlags
    @OptionGroup(title: "Capacity search") var findMax: FindMaxFlags
    @OptionGroup(title: "Beyond one machine") var shards: ShardFlags

    @Argument(help: ArgumentHelp("The http:// or https:// URLs to send requests to.", valueName: "url"))
    var urls: [String] = []

    /// The load test these arguments describe, or the usage error that stops it.
    func loadTest(raw: RawArguments = RawArguments([])) throws(UsageError) -> LoadTest {
        var files = Readable(raw: raw)
        let targets = try targets(files: &files)
        do {
            _ = try TargetMix(weights: targets.map(\.weight))
        } catch {
            throw UsageError("-f: the targets' weights: \(error)")
        }
        let templating = try templates.templating(files: &files)
        if let templating {
            for target in targets {
                do {
                    _ = try RequestTemplate(target, fields: templating.fields)
                } catch {
                    throw UsageError("bad template in \(error)")
                }
            }
        }
        var client = ClientOptions()
        client.compression = !request.disableCompression
        try connection.apply(to: &client)
        try tls.apply(to: &client)
        try ConnectionFlags.checkRoutes(of: targets, client: client, environment: ProcessEnvironment.variables)
        let shard = try shards.shard(environment: ProcessEnvironment.variables)
        var options = try load.options(client: &client, shards: shard?.shard.count ?? 1)
        options.shard = shard?.shard
        options.templating = templating
        options.checks = try verdict.checks()
        if let count = shard?.shard.count, let connections = client.connectionsPerOrigin, connections < count {
            throw UsageError("--connections \(connections) is fewer than the \(count) shards: every shard needs a connection of its own")
        }
        options.startAt = try shards.startInstant(now: WallClock.unixNanoseconds())
        options.interval = try output.intervalLength()
        try load.validate(options)
        return LoadTest(targets: targets, options: options, client: client)
    }

    /// The targets: the URLs given and those of `-f`, each checked, with the request's template
    /// and each line's own name, weight, method, headers and body.
    private func targets(files: inout Readable) throws(UsageError) -> [Request] {
        var entries = urls.map { TargetsFile.Entry(url: $0) }
        if let targetsFile = request.targetsFile { entries += try TargetsFile.read(targetsFile, files: &files) }
        guard !entries.isEmpty else { throw UsageError("missing the URL to send requests to") }
        for url in entries.map(\.url) {
            do {
                try Request.validate(url: url)
            } catch .missingScheme where !url.contains("://") {
                throw UsageError("bad URL '\(Redaction.text(url))': \(Request.URLProblem.missingScheme): "
                    + "write 'http://\(Redaction.text(url))'")
            } catch {
                throw UsageError("bad URL '\(Redaction.text(url))': \(error)")
            }
        }
        let template = try request.template(reading: &files)
        return entries.map { entry in
            var target = template
            target.url = entry.url
            target.name = entry.name
            target.weight = entry.weight
            target.headers += entry.headers
            if let body = entry.body {
                target.body = Body(body)
                // A body of its own makes a target without a method a POST, as -d does.
                if request.method == nil { target.method = "POST" }
            }
            if let method = entry.method { target.method = method }
            return target
        }
    }
}
