import Foundation
import Hit
import HitTarget
import HitTestSupport
import Testing

/// A server whose certificate this machine does not trust (a self-signed authority's): the run
/// says once what to do about it, and stops once its first requests all failed verification.
@Suite struct UntrustedCertificateTests {
    static func tlsServer() throws -> TargetServer {
        let certificates = try Certificates.shared.get()
        var configuration = TargetServer.Configuration()
        configuration.tls = .init(certificateChain: certificates.serverCertificate, privateKey: certificates.serverKey)
        return try TargetServer(configuration)
    }

    @Test func theFirstRequestsAllFailingVerificationStopTheRunWithExitOne() throws {
        let server = try Self.tlsServer()
        defer { server.shutdown() }
        let hit = try HitProcess.run(["-n", "2000", "-c", "2", server.baseURL + "/"])
        #expect(hit.exitStatus == 1, "\(hit.stdout)\(hit.stderr)")
        let notes = hit.stderr.split(separator: "\n").filter { $0.contains("--cacert FILE") }
        #expect(notes.count == 1, "said once: \(hit.stderr)")
        #expect(notes.first?.contains("-k skips the check") == true)
        let words = hit.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(words.contains("stopped: the first 10 requests all failed TLS certificate verification"), "\(hit.stdout)")
        #expect(hit.stdout.contains("Verdict: FAIL"), "\(hit.stdout)")
        let requests = reportValue("Requests", in: hit.stdout) ?? ""
        let completed = Int(requests.split(separator: " ").first ?? "") ?? -1
        #expect(completed >= 10 && completed <= 12, "stopped after the first 10, not all 2000: \(requests)")
        #expect(server.stats.requestsSeen == 0)
    }

    /// Machine-readable: the reason on stderr, the JSON marked as stopped.
    @Test func theJSONSaysWhyItStopped() throws {
        let server = try Self.tlsServer()
        defer { server.shutdown() }
        let hit = try HitProcess.run(["-q", "-n", "500", "-o", "json", server.baseURL + "/"])
        #expect(hit.exitStatus == 1)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(hit.stdout.utf8)) as? [String: Any])
        #expect(json["verdict"] as? String == "failed", "\(json["verdict"] ?? "")")
        #expect((json["verdictReason"] as? String)?.contains("failed TLS certificate verification") == true)
        #expect(hit.stderr.contains("hit: FAIL: stopped: the first 10 requests"), "\(hit.stderr)")
    }

    /// A run with fewer requests than the rule's ends as it would, and still says what to do.
    @Test func aShortRunEndsAsItWouldAndStillPointsToTheFlags() throws {
        let server = try Self.tlsServer()
        defer { server.shutdown() }
        let hit = try HitProcess.run(["-n", "3", server.baseURL + "/"])
        #expect(hit.exitStatus == 1)
        #expect(!hit.stdout.contains("stopped"))
        #expect(hit.stderr.contains("--cacert FILE trusts the authority that signed it, -k skips the check"), "\(hit.stderr)")
    }
}

/// `-o json` carries what sent the requests, as `hit --version` says it.
@Suite struct ClientVersionReportTests {
    @Test func theJSONHeaderNamesLibcurlItsTLSAndItsFeatures() throws {
        let server = try TargetServer()
        defer { server.shutdown() }
        let hit = try HitProcess.run(["-q", "-n", "2", "-o", "json", server.baseURL + "/"])
        #expect(hit.exitStatus == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(hit.stdout.utf8)) as? [String: Any])
        let client = try #require(json["client"] as? [String: Any], "\(hit.stdout.prefix(300))")
        #expect(client["hitVersion"] as? String == hitVersion)
        #expect(client["libcurl"] as? String == ClientVersion.current.libcurl)
        #expect(client["tls"] as? String == ClientVersion.current.tls)
        #expect((client["features"] as? [String])?.contains("HTTP2") == true)
        // A capacity search's document carries it too.
        let search = try HitProcess.run(["-q", "-o", "json", "--find-max", "--find-max-step", "300ms", "--find-max-warm-up", "100ms",
                                         "--find-max-rate", "20", "-rps", "10", "--fail-if", "p99>1s", server.baseURL + "/"])
        let document = try #require(try JSONSerialization.jsonObject(with: Data(search.stdout.utf8)) as? [String: Any], "\(search.stderr)")
        #expect((document["client"] as? [String: Any])?["libcurl"] as? String == ClientVersion.current.libcurl)
        let version = try HitProcess.run(["--version"])
        #expect(version.stdout.contains("libcurl \(ClientVersion.current.libcurl)"), "\(version.stdout)")
    }
}
