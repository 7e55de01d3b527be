import Foundation
import Hit
import HitTarget
import HitTestSupport
import Testing

/// Output formats and the progress line, from the `hit` binary.
@Suite struct OutputTests {
    @Test func csvHasAHeaderAndOneRowPerRequest() throws {
        let server = try TargetServer()
        defer { server.shutdown() }
        let hit = try HitProcess.run(["-n", "57", "-c", "3", "-o", "csv", server.baseURL + "/", server.baseURL + "/status/404"])
        #expect(hit.exitStatus == 1)
        let lines = hit.stdout.split(separator: "\n")
        #expect(lines.count == 58)
        #expect(lines.first == Substring(CSVWriter.header))
        let columns = CSVWriter.header.split(separator: ",").map(String.init)
        let status = try #require(columns.firstIndex(of: "status"))
        let connect = try #require(columns.firstIndex(of: "connect_s"))
        let index = try #require(columns.firstIndex(of: "index"))
        let rows = lines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(rows.allSatisfy { $0.count == columns.count })
        #expect(rows.filter { $0[status] == "200" }.count == 29)
        #expect(rows.filter { $0[status] == "404" }.count == 28)
        #expect(rows.filter { $0[connect] != "" }.count == 3, "connect time only on the 3 new connections")
        #expect(Set(rows.compactMap { Int($0[index]) }) == Set(0..<57), "each request's place in the run")
    }

    @Test func csvGoesToAFileAndRecordsErrors() throws {
        let path = NSTemporaryDirectory() + "hit-\(UUID().uuidString).csv"
        defer { try? FileManager.default.removeItem(atPath: path) }
        // A port held closed: a stopped server's port may be taken by a test running beside this one.
        let url = "http://127.0.0.1:\(try closedPort())/"
        let hit = try HitProcess.run(["-n", "4", "-o", "csv", "--output-file", path, url])
        #expect(hit.exitStatus == 69)
        #expect(hit.stdout.isEmpty)
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 5)
        #expect(lines.dropFirst().allSatisfy { $0.contains(",\"connect: ") || $0.contains(",connect: ") })
    }

    @Test func jsonParsesAndCountsMatch() throws {
        let server = try TargetServer()
        defer { server.shutdown() }
        let hit = try HitProcess.run(["-n", "25", "-c", "5", "-o", "json", server.baseURL + "/"])
        #expect(hit.exitStatus == 0)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(hit.stdout.utf8)) as? [String: Any])
        let summary = try #require(document["summary"] as? [String: Any])
        #expect(summary["completed"] as? Int == 25)
        #expect((document["statusCodes"] as? [String: Int]) == ["200": 25])
    }

    @Test func anInterruptedRunIsMarkedInTheJSON() throws {
        let server = try TargetServer()
        defer { server.shutdown() }
        let hit = try HitProcess(["-n", "100", "-c", "4", "-o", "json", server.baseURL + "/hang"])
        #expect(eventually { server.stats.requestsInFlight == 4 })
        #expect(hit.interrupt().status == 130)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(hit.stdout.utf8)) as? [String: Any])
        #expect(document["interrupted"] as? Bool == true)
        let summary = try #require(document["summary"] as? [String: Any])
        #expect(summary["abortedInFlight"] as? Int == 4)
        #expect(summary["neverStarted"] as? Int == 96)
    }

    @Test func anInterruptedCSVRunSaysSoOnStderr() throws {
        let server = try TargetServer()
        defer { server.shutdown() }
        let hit = try HitProcess(["-n", "100", "-c", "2", "-o", "csv", server.baseURL + "/hang"])
        #expect(eventually { server.stats.requestsInFlight == 2 })
        #expect(hit.interrupt().status == 130)
        #expect(hit.stdout.split(separator: "\n").count == 1, "the header, and no row")
        #expect(hit.stderr.contains("interrupted"))
    }

    @Test func progressShowsOnATerminalOnly() throws {
        let server = try TargetServer()
        defer { server.shutdown() }
        // On a pipe (the HitProcess default): nothing on stderr.
        let piped = try HitProcess.run(["-n", "20", "-rps", "20", server.baseURL + "/"])
        #expect(piped.stderr.isEmpty)
        // On a pseudo-terminal, through script(1): the line is drawn, then cleared.
        let command = "\(HitProcess.binary) -n 20 -rps 20 \(server.baseURL)/"
        // script(1)'s own copy of the session goes to a file of ours, never to a device of the machine's.
        let typescript = NSTemporaryDirectory() + "hit-typescript-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: typescript) }
        let terminal = try HitProcess.runTool("/usr/bin/script", ["-qec", command, typescript])
        #expect(terminal.contains("\r\u{1B}[K"), "the progress line is redrawn in place")
        #expect(terminal.contains("/20"))
        #expect(terminal.contains("done/s"))
        #expect(terminal.contains("Summary:"))
        let quiet = try HitProcess.runTool("/usr/bin/script", ["-qec", command.replacingOccurrences(of: " -n ", with: " -q -n "), typescript])
        #expect(!quiet.contains("done/s"))
        #expect(quiet.contains("Summary:"))
    }
}

/// CSV rows reach their file promptly, so that a kill -9 loses at most the last moment.
@Suite struct CSVPromptnessTests {
    @Test func rowsReachTheFileWhileTheRunGoesOn() throws {
        let server = try TargetServer()
        defer { server.shutdown() }
        let path = NSTemporaryDirectory() + "hit-rows-\(UUID().uuidString).csv"
        defer { try? FileManager.default.removeItem(atPath: path) }
        // The first request completes at once; the second hangs, so no further result comes.
        let hit = try HitProcess(["-q", "-n", "2", "-c", "1", "-t", "20", "-o", "csv", "--output-file", path,
                                  server.baseURL + "/", server.baseURL + "/hang"])
        #expect(eventually(within: 3) {
            ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").count == 2
        }, "the header and the first row, within about a second")
        hit.send(SIGKILL)
        _ = hit.wait(seconds: 5)
        #expect(try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").count == 2)
    }
}

