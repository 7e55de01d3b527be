import Foundation
import HitTarget
import HitTestSupport
import Testing

/// The `hit-target` executable, as the demo and the benchmarks start it.
@Suite struct HitTargetBinaryTests {
    static let binary = URL(fileURLWithPath: HitProcess.binary).deletingLastPathComponent().appendingPathComponent("hit-target").path

    @Test func aPortInUseIsSaidInOneLine() throws {
        let server = try TargetServer()
        defer { server.shutdown() }
        let port = try #require(URL(string: server.baseURL)?.port)
        let target = try ExternalTool(Self.binary, ["--port", "\(port)"])
        #expect(target.status == 1)
        #expect(target.stderr == "Error: cannot listen on 127.0.0.1:\(port): Address already in use\n", "\(target.stderr)")
        #expect(target.stdout.isEmpty)
    }

    @Test func itsHelpNamesEveryRouteTheREADMEDocuments() throws {
        let help = try ExternalTool(Self.binary, ["--help"])
        let words = help.stdout.split(whereSeparator: \.isWhitespace)
        for route in ["/status/{code}", "/delay/{ms}", "/capacity/{slots}/{ms}", "/hang", "/bytes/{n}", "/echo", "/redirect/{n}", "/loop"] {
            #expect(words.contains(Substring(route)), "\(route) in --help")
        }
    }
}
