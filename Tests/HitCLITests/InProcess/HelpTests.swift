import Foundation
import Hit
@testable import HitCLI
import Testing

/// `hit --help` is read first: usage, recipes, the common options, the exit statuses, in two
/// screens; `--help-all` has every option.
@Suite struct HelpTests {
    static func sections(of text: String) -> [String] {
        text.split(separator: "\n").filter { $0.first?.isUppercase == true && $0 == $0.uppercased() }.map(String.init)
    }

    @Test func theShortHelpStartsWithUsageAndExamplesAndEndsWithTheExitStatuses() throws {
        let hit = try InProcessRun(["--help"])
        #expect(hit.exitStatus == 0)
        let lines = hit.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count <= Help.shortLines, "two screens: \(lines.count) lines")
        #expect(lines.allSatisfy { $0.count <= 80 }, "\(lines.filter { $0.count > 80 })")
        let headings = Self.sections(of: hit.stdout)
        #expect(headings.first == "USAGE" && headings.dropFirst().first == "EXAMPLES", "\(headings)")
        #expect(headings.last == "EXIT STATUS", "\(headings)")
        #expect(hit.stdout.contains("hit --help-all"))
    }

    /// An entry is an option's line and the deeper-indented lines under it.
    @Test func noEntryOfTheShortHelpRunsPastFourLines() throws {
        let lines = try InProcessRun(["--help"]).stdout.split(separator: "\n").map(String.init)
        var entry = 0
        for line in lines {
            if line.hasPrefix("  -") { entry = 1 } else if entry > 0, line.hasPrefix("          ") { entry += 1 } else { entry = 0 }
            #expect(entry <= 4, "\(line)")
        }
    }

    /// Every option the short help names is one hit knows, and every example parses.
    @Test func theShortHelpNamesOnlyRealOptions() throws {
        let short = Help.short
        for word in short.split(whereSeparator: { $0.isWhitespace || $0 == "," || $0 == "[" || $0 == "]" })
        where word.hasPrefix("--") && word.count > 2 {
            let name = String(word.dropFirst(2).prefix { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." })
            #expect(PeerSpelling.longNames.contains(name) || name == "help-all", "--\(name)")
        }
        for line in short.split(separator: "\n") where line.hasPrefix("  hit -") {
            let arguments = line.split(separator: " ").dropFirst().map { String($0).replacingOccurrences(of: "'", with: "") }
                .map { $0 == "URL" ? "http://127.0.0.1:1/" : $0 }
            #expect(throws: Never.self, "\(line)") { _ = try HitCommand.parse(arguments) }
        }
    }

    /// The full text: -f among the request options, the exit statuses after every option.
    @Test func theFullHelpHasEveryOptionAndEndsWithTheExitStatuses() throws {
        let hit = try InProcessRun(["--help-all"])
        #expect(hit.exitStatus == 0)
        let request = try #require(hit.stdout.firstRange(of: "REQUEST:"))
        let connection = try #require(hit.stdout.firstRange(of: "CONNECTION:"))
        #expect(hit.stdout[request.upperBound..<connection.lowerBound].contains("-f, --targets <file>"))
        let exits = try #require(hit.stdout.firstRange(of: "EXIT STATUS"))
        let lastGroup = try #require(hit.stdout.firstRange(of: "BEYOND ONE MACHINE:"))
        #expect(exits.lowerBound > lastGroup.lowerBound)
        #expect(hit.stdout.hasPrefix("OVERVIEW:"))
    }

    @Test func theVersionNamesLibcurlItsTLSAndItsFeatures() throws {
        let hit = try InProcessRun(["--version"])
        #expect(hit.exitStatus == 0)
        let lines = hit.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "hit \(hitVersion)")
        let client = ClientVersion.current
        #expect(lines.dropFirst().first?.hasPrefix("libcurl \(client.libcurl) (\(client.tls ?? "")") == true, "\(lines)")
        #expect(lines.last?.hasPrefix("Features: ") == true, "\(lines)")
        #expect(client.features.contains("HTTP2") && client.features.contains("AsynchDNS"), "\(client.features)")
        #expect(hit.stdout.contains(client.features.contains("HTTP3") ? " HTTP3" : "(no HTTP3)"), "\(hit.stdout)")
    }
}
