import Foundation
import HitTestSupport
import Testing

/// scripts/cluster-demo: a sharded run over three load generators reached by ssh, each a network
/// namespace of this machine, against nginx in another; the merged report counts exactly the
/// requests nginx logged, from every generator, and the script leaves no namespace behind.
@Suite struct ClusterDemoTests {
    static let root = #filePath.components(separatedBy: "/Tests/")[0]
    static let script = root + "/scripts/cluster-demo"
    static let ip = ["/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static let ready = getuid() == 0 && ip != nil && FileManager.default.isExecutableFile(atPath: "/usr/sbin/sshd")
        && Nginx.isInstalled && ["ssh", "scp", "ssh-keygen", "parallel", "python3"].allSatisfy(ExternalTool.exists)

    @Test(.enabled(if: ready, "needs root, iproute2, sshd, GNU parallel and nginx (scripts/setup sshd parallel iproute2 nginx)"))
    func theMergedShardsCountWhatTheTargetLogged() throws {
        let requests = 900
        let environment = ProcessInfo.processInfo.environment.merging(
            ["HIT": HitProcess.binary, "REQUESTS": String(requests), "KEEP": "0"]) { $1 }
        let demo = try ExternalTool("/bin/bash", [Self.script], environment: environment)
        let output = demo.stdout + demo.stderr
        #expect(demo.status == 0, "\(output)")

        // cluster-demo: merged 900 requests, access log 900, from 3 generators (198.51.100.11 ...)
        let summary = try #require(Self.line(after: "cluster-demo: merged ", in: demo.stdout), "\(output)")
        let words = summary.split(separator: " ").map(String.init)
        try #require(words.count >= 8, "\(summary)")
        let merged = try #require(Int(words[0]), "\(summary)")
        let logged = try #require(Int(words[4].trimmingCharacters(in: CharacterSet(charactersIn: ","))), "\(summary)")
        let generators = try #require(Int(words[6]), "\(summary)")
        #expect(merged == requests, "\(output)")
        #expect(logged == merged, "nginx logged every request of the merged report, and no other")
        #expect(generators == 3, "\(summary)")
        #expect(demo.stdout.contains("cluster-demo: ok: the merged count equals the access log count"))

        // One shard on each generator: "shard K ran on ADDRESS".
        let placements = demo.stdout.split(separator: "\n").compactMap { line -> (String, String)? in
            let parts = line.split(separator: " ").map(String.init)
            guard parts.count == 5, parts[0] == "shard", parts[2] == "ran", parts[3] == "on" else { return nil }
            return (parts[1], parts[4])
        }
        #expect(Set(placements.map { $0.0 }) == ["0", "1", "2"], "\(demo.stdout)")
        #expect(Set(placements.map { $0.1 }) == ["198.51.100.11", "198.51.100.12", "198.51.100.13"], "\(demo.stdout)")

        // cluster-demo: namespaces hitdemo-PID-*, files in /tmp/hit-cluster-demo.XXXXXX
        let started = try #require(Self.line(after: "cluster-demo: namespaces ", in: demo.stdout), "\(output)")
        let prefix = try #require(started.split(separator: "*").first.map { String($0) })
        #expect(prefix.hasPrefix("hitdemo-") && prefix.hasSuffix("-"), "\(started)")
        let ip = try #require(Self.ip)
        let namespaces = try ExternalTool(ip, ["netns", "list"])
        #expect(namespaces.status == 0, "\(namespaces.stderr)")
        let left = namespaces.stdout.split(separator: "\n").filter { $0.hasPrefix(prefix) }
        #expect(left.isEmpty, "namespaces left behind: \(left)")
        let directory = try #require(started.components(separatedBy: "files in ").last)
        #expect(directory.hasPrefix("/tmp/hit-cluster-demo."), "\(started)")
        #expect(!FileManager.default.fileExists(atPath: directory), "the script removes its files")
    }

    /// The rest of the first line that starts with `start`.
    private static func line(after start: String, in text: String) -> String? {
        text.split(separator: "\n").first { $0.hasPrefix(start) }.map { String($0.dropFirst(start.count)) }
    }
}
