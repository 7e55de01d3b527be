import Foundation
@testable import HitCLI
import HitTarget
import HitTestSupport
import Testing

/// Other tools' habits, met safely: what would send something else than was meant is refused
/// (exit 64, nothing sent) with the pointer to hit's spelling.
@Suite struct PeerHabitTests {
    static let url = "http://127.0.0.1:1/"

    /// The option names written out for a quick start are the ones the help shows.
    @Test func theSpellingsKnowEveryOptionTheHelpShows() {
        let help = PeerSpelling.namesInHelp()
        #expect(PeerSpelling.valueTaking == help.valueTaking)
        #expect(PeerSpelling.singleDashNames == help.singleDash)
    }

    static let refusals: [([String], String)] = [
        // wrk's and vegeta's -d is a duration: a body that reads as one needs a method or --data-raw.
        (["-d", "10s", "-t", "2", url], "-d '10s' is a request body here (as in hey and curl), not a duration: for a duration write -z 10s"),
        (["-d", "1m30s", url], "for a duration write -z 1m30s"),
        (["--data", "500ms", url], "for a duration write -z 500ms"),
        (["--data=30s", url], "for a duration write -z 30s"),
        (["localhost:8080"], "bad URL 'localhost:8080': the URL needs a scheme: http:// or https://: write 'http://localhost:8080'"),
        (["example.test:80/path"], "needs a scheme"),
        (["--vus", "10", url], "unknown option '--vus': write '-c N'"),
        (["-p", "/etc/hostname", url], "unknown option '-p': ab's -p FILE posts a file: write '-D FILE"),
        (["-j", url], "unknown option '-j': write '-o json'"),
        (["--no-tui", url], "unknown option '--no-tui': hit draws its live view"),
        (["help", "bogus"], "no help on 'bogus'"),
    ]

    @Test(arguments: refusals)
    func aPeersSpellingIsRefusedBeforeAnythingIsSent(arguments: [String], message: String) throws {
        let server = try TargetServer()
        defer { server.shutdown() }
        let aimed = arguments.map { $0 == Self.url ? server.baseURL + "/" : $0 }
        let hit = try InProcessRun(aimed)
        UsageTests.expectRefused(exitStatus: hit.exitStatus, stdout: hit.stdout, stderr: hit.stderr, naming: message, server: server)
    }

    /// Who means a body that reads as a duration says so: --data-raw, or a method.
    @Test func aBodyThatReadsAsADurationIsSentWhenAMethodOrDataRawSaysSo() throws {
        try withTargetServer { server in
            let raw = try InProcessRun(["-q", "-n", "1", "--data-raw", "10s", server.baseURL + "/echo"])
            #expect(raw.exitStatus == 0, "\(raw.stderr)")
            #expect(server.stats.recentRequests.last?.body == Array("10s".utf8))
            let post = try InProcessRun(["-q", "-n", "1", "-m", "PUT", "-d", "30s", server.baseURL + "/echo"])
            #expect(post.exitStatus == 0, "\(post.stderr)")
            #expect(post.stderr == "hit: warning: -d '30s' is sent as the request body (as in hey and curl); for a duration write -z 30s\n")
            #expect(server.stats.recentRequests.last?.body == Array("30s".utf8))
            #expect(server.stats.requestsSeen == 2)
        }
    }

    /// `hit help`, `hit help merge`, `hit help report`, `hit help options`.
    @Test func helpIsACommand() throws {
        let help = try InProcessRun(["help"])
        #expect(help.exitStatus == 0)
        #expect(help.stdout == (try InProcessRun(["--help"])).stdout)
        #expect(help.stdout.hasPrefix("USAGE"))
        let merge = try InProcessRun(["help", "merge"])
        #expect(merge.exitStatus == 0)
        #expect(merge.stdout.contains("hit merge"), "\(merge.stdout)")
        #expect(merge.stdout == (try InProcessRun(["merge", "--help"])).stdout)
        let report = try InProcessRun(["help", "report"])
        #expect(report.exitStatus == 0)
        #expect(report.stdout.contains("--html"), "\(report.stdout)")
        let options = try InProcessRun(["help", "options"])
        #expect(options.stdout == (try InProcessRun(["--help-all"])).stdout)
        #expect(options.stdout.contains("--find-max-resolution"))
        #expect(try InProcessRun(["help", "run"]).stdout == options.stdout)
        #expect(try InProcessRun(["run", "--help"]).stdout == help.stdout)
    }

    /// The commands are one tree: the default subcommand has a name of its own, and every
    /// subcommand's name chooses it; any other first word is the default's.
    @Test func theDefaultCommandIsNamedRunAndEverySubcommandIsChosenByItsName() throws {
        func chosen(_ arguments: [String]) -> ObjectIdentifier { ObjectIdentifier(HitTool.command(for: arguments).command) }
        #expect(chosen(["-n", "1", "http://h/"]) == ObjectIdentifier(HitCommand.self))
        #expect(HitTool.command(for: ["run", "-n", "1", "http://h/"]).arguments == ["-n", "1", "http://h/"])
        #expect(chosen(["merge", "a.json"]) == ObjectIdentifier(MergeCommand.self))
        #expect(chosen(["report", "a.json"]) == ObjectIdentifier(ReportCommand.self))
        for command in HitTool.subcommands {
            #expect(chosen([command.configuration.commandName ?? ""]) == ObjectIdentifier(command))
        }
        let unreachable = "http://127.0.0.1:\(try closedPort())/"
        let named = try InProcessRun(["run", "-n", "2", "-q", unreachable])
        let plain = try InProcessRun(["-n", "2", "-q", unreachable])
        #expect(named.exitStatus == plain.exitStatus && named.exitStatus == 69)
    }
}
