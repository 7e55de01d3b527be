import Foundation
import HitTarget
import HitTestSupport
import Testing

/// No output overwrites an input or another output: compared by device and inode (and by path
/// for outputs yet to be made), refused with 64 and one line before anything is written or sent.
@Suite struct FileClashTests {
    @Test func anOutputThatIsAnInputIsRefusedAndTheInputKept() throws {
        let server = try TargetServer()
        defer { server.shutdown() }
        let directory = try temporaryDirectory("hit-clash")
        let run = directory + "/run.json"
        let made = try HitProcess.run(["-n", "2", "-q", "--json-file", run, server.baseURL + "/"])
        try #require(made.exitStatus == 0)
        let before = try String(contentsOfFile: run, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: directory + "/link.html", withDestinationPath: run)
        for arguments in [["report", run, "--html", run], ["report", run, "--html", directory + "/link.html"],
                          ["report", directory + "/../" + directory.split(separator: "/").last! + "/run.json", "--html", run]] {
            let hit = try HitProcess.run(arguments)
            #expect(hit.exitStatus == 64, "\(arguments): \(hit.stderr)")
            #expect(hit.stderr.split(separator: "\n").count == 1 && hit.stderr.contains("is the same file as the input"), "\(hit.stderr)")
        }
        let shards = (0..<2).map { directory + "/s\($0).json" }
        for (index, path) in shards.enumerated() {
            let shard = try HitProcess.run(["-n", "2", "-c", "2", "-q", "--shard", "\(index)/2", "--json-file", path, server.baseURL + "/"])
            try #require(shard.exitStatus == 0)
        }
        let shard0 = try String(contentsOfFile: shards[0], encoding: .utf8)
        let merge = try HitProcess.run(["merge", shards[0], shards[1], "--json-file", shards[0]])
        #expect(merge.exitStatus == 64 && merge.stderr.contains("--json-file '\(shards[0])' is the same file as the input"), "\(merge.stderr)")
        #expect(try String(contentsOfFile: shards[0], encoding: .utf8) == shard0, "the shard is kept")
        #expect(try String(contentsOfFile: run, encoding: .utf8) == before, "the report is kept")

        // A run's inputs: body, headers and targets files.
        let seen = server.stats.requestsSeen
        let body = directory + "/body", headers = directory + "/headers", targets = directory + "/targets"
        try "x".write(toFile: body, atomically: true, encoding: .utf8)
        try "X-A: 1\n".write(toFile: headers, atomically: true, encoding: .utf8)
        try (server.baseURL + "/\n").write(toFile: targets, atomically: true, encoding: .utf8)
        for arguments in [["-D", body, "--output-file", body, server.baseURL + "/"], ["-d", "@" + body, "--csv-file", body, server.baseURL + "/"],
                          ["-H", "@" + headers, "--hgrm", headers, server.baseURL + "/"], ["-f", targets, "--html", targets]] {
            let hit = try HitProcess.run(["-n", "1"] + arguments)
            #expect(hit.exitStatus == 64 && hit.stderr.contains("is the same file as the input"), "\(arguments): \(hit.stderr)")
        }
        #expect(server.stats.requestsSeen == seen, "nothing was sent")
        #expect(try String(contentsOfFile: body, encoding: .utf8) == "x")

        // Devices take several streams.
        let devices = try HitProcess.run(["-n", "1", "-q", "--json-file", "/dev/null", "--html", "/dev/null", server.baseURL + "/"])
        #expect(devices.exitStatus == 0, "\(devices.stderr)")
    }
}
