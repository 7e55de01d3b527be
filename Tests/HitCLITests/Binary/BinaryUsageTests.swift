import Foundation
import HitTarget
import HitTestSupport
import Testing

/// What only a real process shows about bad input: the one line on stderr, exit status 64 and no
/// request sent, for a sample of `UsageTests.badInputs` (all of which run in process).
@Suite struct BinaryUsageTests {
    static let url = UsageTests.url
    static let badInputs = UsageTests.badInputs.filter { _, message in
        ["-n must be a positive whole number, not -5", "Unknown option '--rsp'", "the scheme 'ftp' is not supported",
         "line break", "-z '10' is not a duration", "cannot be written"].contains { message.contains($0) }
    }

    @Test func theSampleIsNotEmpty() {
        #expect(Self.badInputs.count >= 6)
    }

    @Test(arguments: badInputs)
    func badInputIsRefusedBeforeAnythingIsSent(arguments: [String], message: String) throws {
        let server = try TargetServer()
        defer { server.shutdown() }
        // Aim every URL-shaped argument at the live server, so a request sent by mistake would show.
        let aimed = arguments.map { $0 == Self.url ? server.baseURL + "/" : $0 }
        let hit = try HitProcess.run(aimed)
        UsageTests.expectRefused(exitStatus: hit.exitStatus, stdout: hit.stdout, stderr: hit.stderr, naming: message, server: server)
    }

    @Test func helpIsPrintedWithExitZero() throws {
        let hit = try HitProcess.run(["--help"])
        #expect(hit.exitStatus == 0)
        #expect(hit.stdout.contains("EXIT STATUS"))
        #expect(hit.stderr.isEmpty)
    }
}
