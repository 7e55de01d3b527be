import Foundation
import HitTarget
import HitTestSupport
import Testing

/// Credentials kept out of the process's arguments (which other users can read in
/// /proc/PID/cmdline), the ways curl users know.
@Suite struct CredentialFileTests {
    @Test func aNetrcFileGivesTheHostItsCredentials() throws {
        let server = try TargetServer()
        defer { server.shutdown() }
        let path = NSTemporaryDirectory() + "hit-netrc-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = FileManager.default.createFile(atPath: path, contents: Data("machine 127.0.0.1 login alice password N3trcSECRET\n".utf8),
                                       attributes: [.posixPermissions: 0o600])
        let hit = try HitProcess.run(["-n", "1", "-o", "json", "--netrc-file", path, "{URL}/echo"], against: server)
        #expect(hit.exitStatus == 0, "\(hit.stderr)")
        let authorization = server.stats.recentRequests.last?.header("Authorization")
        #expect(authorization == "Basic " + Data("alice:N3trcSECRET".utf8).base64EncodedString())
        #expect(!hit.stdout.contains("N3trcSECRET"))
        let missing = try HitProcess.run(["-n", "1", "--netrc-file", "/nonexistent/netrc", "{URL}/"], against: server)
        #expect(missing.exitStatus == 64)
    }
}
