import ArgumentParser
import Hit

/// Requests that vary: --template, --seed, --feed, --feed-order.
struct TemplateFlags: ParsableArguments {
    @Flag(name: .customLong("template"),
          help: ArgumentHelp("Fill {{...}} placeholders in the URL, the header values and the body for each request: "
              + "{{seq}} (the request's index in the whole run, from 0), {{uuid}}, {{rand:A:B}}, {{now}} (Unix ms), a feed's "
              + "columns, each with filters :url, :json, :b64, :trim. Without it (or --feed), braces are sent as written."))
    var template = false

    @Option(name: .customLong("seed"),
            help: ArgumentHelp("Seed of {{uuid}}, {{rand:A:B}} and --feed-order random: the same seed renders the same "
                + "requests (default: a random seed, recorded in the JSON report).", valueName: "n"))
    var seed: UInt64?

    @Option(name: .customLong("feed"),
            help: ArgumentHelp("Rows whose columns fill the placeholders (implies --template): CSV with a header row, or "
                + "JSON lines (.jsonl: one flat object a line); - reads standard input.", valueName: "file"))
    var feed: String?

    @Option(name: .customLong("feed-order"),
            help: ArgumentHelp("Which row a request takes: cycle (request i takes row i mod rows; the default), random, "
                + "or once (each row at most once: the run ends when the rows are used up).", valueName: "order"))
    var feedOrder: String?

    /// How the targets' placeholders are filled, or `nil` when they are sent as written.
    func templating(files: inout Readable) throws(UsageError) -> Templating? {
        guard template || feed != nil else {
            if seed != nil || feedOrder != nil { throw UsageError("--seed and --feed-order apply with --template or --feed") }
            return nil
        }
        var order = Templating.FeedOrder.cycle
        if let feedOrder {
            guard let chosen = Templating.FeedOrder(rawValue: feedOrder) else {
                throw UsageError("--feed-order '\(UsageError.escaped(feedOrder))' is not cycle, random or once")
            }
            guard feed != nil else { throw UsageError("--feed-order applies with --feed") }
            order = chosen
        }
        var templating = Templating(seed: seed ?? UInt64.random(in: 0...UInt64.max), feedOrder: order)
        if let feed {
            let bytes = try files.body(feed, flag: "--feed").contents
            do {
                templating.feed = feed.hasSuffix(".jsonl") || feed.hasSuffix(".ndjson") ? try Feed(jsonLines: bytes) : try Feed(csv: bytes)
            } catch {
                throw UsageError("--feed '\(UsageError.escaped(feed))': \(error)")
            }
        }
        return templating
    }
}
