import ArgumentParser
import Hit

/// `hit --help`, `hit help [merge|report|compare|options]` and `--help-all`.
///
/// `--help` is the short text a user reads first: the usage, the common recipes, the options most
/// runs need, and the exit statuses, in two screens (at most `shortLines` at 80 columns). Every
/// option, with its full text, is in `--help-all` (`hit help options`): swift-argument-parser's
/// help, with the exit statuses moved to its end.
enum Help {
    /// The most lines `--help` may print.
    static let shortLines = 100

    /// What `arguments` ask for, when they ask for help: the text for stdout, or a usage error.
    /// `nil` when they do not ask for help.
    static func requested(by arguments: [String]) -> Result<String, UsageError>? {
        if arguments.first == "help" {
            switch arguments.dropFirst().first {
            case nil: return .success(short)
            case "options", "all", "run": return .success(full)
            case let topic?:
                if let command = HitTool.subcommand(named: topic) { return .success(command.helpMessage(columns: 80)) }
                let topics = ["hit help", "hit help options"] + HitTool.subcommands.filter { $0 != HitCommand.self }
                    .map { "hit help " + $0.configuration.commandName! }
                return .failure(UsageError("no help on '\(UsageError.escaped(topic))': write "
                    + topics.dropLast().joined(separator: ", ") + " or " + topics.last!))
            }
        }
        // `hit merge --help` is merge's own.
        if let named = HitTool.subcommand(named: arguments.first), named != HitCommand.self { return nil }
        let words = arguments.prefix { $0 != "--" }
        if words.contains("--help-all") { return .success(full) }
        if words.contains("--help") || words.contains("-h") { return .success(short) }
        return nil
    }

    /// The short help.
    static var short: String {
        """
        USAGE
          hit [options] <url>...
          hit [options] -f <targets-file>
          hit merge <shard.json>... [-o text|json] [--fail-if <rule>]
          hit report <report.json> [-o text|json] [--html <path>] [--fail-if <rule>]
          hit compare <base.json> <new.json> [--gate <metric:margin>] [-o markdown]
          hit help [options|merge|report|compare]

        Load-test an HTTP server: send N requests from C workers, optionally at R
        requests per second in total.

        EXAMPLES
          hit -n 1000 -c 10 https://example.test/
              1000 requests from 10 workers, as fast as they go
          hit -z 30s -rps 200 --fail-if 'p99>250ms' --fail-if 'errors>0' URL
              a paced CI smoke test: exit 1 when a rule holds
          hit --find-max --fail-if 'p99>100ms' URL
              the highest rate at which no rule holds
          hit --stages 30s:500,2m:500,30s:0 URL
              ramp the arrival rate up, hold it, ramp it down
          hit --shard 0/2 --start-at @1767272400 -o json URL > shard-0.json
          hit merge shard-*.json
              one run from several machines, merged exactly
          hit -z 1m -rps 100 --html report.html URL
              an offline HTML page with the run's charts
          hit compare base.json new.json --gate p99:+5%
              did this build make it slower? (exit 1 regressed, 3 inconclusive)

        LOAD
          -n, --requests <n>      Requests to send (default: 100; no limit with -z).
          -c, --concurrency <n>   Workers sending at once (default: 1; under -rps or
                                  --stages the most in flight: peak rate × 1s, 10-1000).
          -rps, --rps <rate>      Requests per second in total, across all workers,
                                  not per worker (default: no limit).
          -z, --duration <d>      Run for this long: 500ms, 10s, 1m30s.
          --stages <d:rate,...>   Arrival-rate stages, e.g. 30s:1000,2m:1000,30s:0.
          --ramp-up <d>           Start the -c workers evenly over this time.

        REQUEST
          -m, -X, --method <m>    HTTP method (default: GET, or POST with a body).
          -H, --header <h>        A header 'Name: value'; repeatable.
          -d, --data <data>       Request body (@FILE reads a file); -D <path> too.
          -f, --targets <file>    Targets, one per line: 'URL' or 'METHOD URL', or
                                  JSON lines: {"name":..,"url":..,"weight":3}.

        CONNECTION AND TLS
          -t, --timeout <s>       Seconds one request may take (default: 20).
          -h2, --http2            HTTP/2 (ALPN over https, prior knowledge on http).
          -h3, --http3            HTTP/3 over QUIC, falling back to TCP as curl does;
          --http3-only            or without fallback (a libcurl with HTTP/3).
          -disable-keepalive      A new connection for every request.
          -k, --insecure          Do not verify the server's certificate;
          --cacert <file>         or trust the authorities in this file.

        OUTPUT AND VERDICT
          -o, --output <format>   text (default), json or csv.
          --json-file, --csv-file, --html, --hlog, --hgrm <path>
                                  Also write that form of the report to a file.
          -q, --quiet             No live view on stderr.
          --fail-if <rule>        Fail the run (exit 1) when the rule holds, e.g.
                                  'p99>200ms', 'errors>1%', 'rps<100'; repeatable.
          --expect-status <list>  Statuses that succeed, e.g. 200,3xx (default: <400);
          --expect-body <regex>   and a pattern each body must match (grep -E).
          --find-max              Search for the highest rate no --fail-if holds at.
          --baseline <file>       Compare the run with a saved one as it ends.
          --otlp                  Push metrics over OTLP while the run goes;
          --prometheus-remote-write <url>  or to Prometheus, as native histograms.

        Every option, with its full text: hit --help-all (or hit help options).
        The README has the recipes at length.

        \(ExitStatus.table)
        """
    }

    /// swift-argument-parser's help for every option, with the exit statuses (its discussion)
    /// moved after the options, where a reader of a long text looks for them.
    static var full: String {
        let generated = HitCommand.helpMessage(columns: Terminal.width(of: 1))
        guard let usage = generated.firstRange(of: "USAGE:"),
              let exits = generated[..<usage.lowerBound].firstRange(of: "EXIT STATUS") else { return generated }
        let before = generated[..<exits.lowerBound]
        let table = generated[exits.lowerBound..<usage.lowerBound]
        return String(before) + String(generated[usage.lowerBound...]).trimmingTrailingNewlines() + "\n\n"
            + String(table).trimmingTrailingNewlines()
    }
}

extension String {
    fileprivate func trimmingTrailingNewlines() -> String {
        var text = self
        while text.last?.isNewline == true { text.removeLast() }
        return text
    }
}
