import Foundation
@testable import HitCLI
import HitTarget
import HitTestSupport
import Testing

/// What an adversarial review found: peer spellings, control characters, secrets in echoes,
/// headers given twice, CRLF targets files.
@Suite struct HardeningTests {
    @Test(arguments: [
        (["-n5", "http://127.0.0.1:1/"], "unknown option '-n5': write '-n 5', with the value as its own argument"),
        (["-z1s", "http://127.0.0.1:1/"], "unknown option '-z1s': write '-z 1s'"),
        (["-concurrency", "2", "http://127.0.0.1:1/"], "unknown option '-concurrency': write '--concurrency', with two dashes"),
        (["-mPOST", "http://127.0.0.1:1/"], "unknown option '-mPOST': write '-m POST'"),
        // Another tool's option is named for what it is, never split into a flag and a value.
        (["-cpus", "2", "http://127.0.0.1:1/"], "unknown option '-cpus': hit sizes its event loops"),
        (["-disable-redirects", "http://127.0.0.1:1/"], "unknown option '-disable-redirects': hit follows no redirect unless -L"),
        (["-n", "1", "--json", "http://127.0.0.1:1/"], "unknown option '--json': write '-o json'"),
        (["--fail", "http://127.0.0.1:1/"], "unknown option '--fail': a failed request already fails the run"),
        (["-R", "100", "http://127.0.0.1:1/"], "unknown option '-R': write '-rps RATE'"),
        (["-q", "5", "http://127.0.0.1:1/"], "-q is quiet here and takes no value: for a rate write -rps 5"),
        (["-n", "1.5\n", "http://127.0.0.1:1/"], "'1.5\\n' is invalid"),
        (["--connect-to", "a:1:b:2\r\n", "http://127.0.0.1:1/"], "'a:1:b:2\\r\\n'"),
        (["http://127.0.0.1/\u{1B}[31m"], "space or a control character"),
    ])
    func everyUsageErrorIsOneLineWithItsValuesEscaped(arguments: [String], message: String) throws {
        let hit = try InProcessRun(arguments)
        #expect(hit.exitStatus == 64)
        #expect(hit.stderr.split(separator: "\n").count == 1, "\(hit.stderr)")
        #expect(hit.stderr.contains(message), "\(hit.stderr)")
        #expect(!hit.stderr.contains("\u{1B}"), "no terminal escape reaches stderr")
    }

    @Test(arguments: [
        ["admin:S3cretPW@127.0.0.1:1/"],
        ["-x", "admin:S3cretPW@127.0.0.1:1 x", "http://127.0.0.1:1/"],
        ["-H", "Authorization Bearer S3cretPW", "http://127.0.0.1:1/"],
        ["http://bob:pass/S3cretPW@127.0.0.1:1/", "ftp://x/"],
        // The part of the password before an unencoded / ? or # reads as a port: never quoted.
        ["http://admin:S3cretPW/2024@127.0.0.1:1/"],
        ["http://admin:S3cretPW#2024@127.0.0.1:1/"],
        ["http://admin:S3cretPW?2024@127.0.0.1:1/"],
        ["-x", "http://u:S3cretPW/x@127.0.0.1:1", "http://127.0.0.1:1/"],
        ["-z", "-H", "Proxy-Authorization: Basic S3cretPW", "http://127.0.0.1:1/"],
    ])
    func secretsStayOutOfUsageErrors(arguments: [String]) throws {
        let hit = try InProcessRun(arguments)
        #expect(hit.exitStatus == 64)
        #expect(!hit.stderr.contains("S3cretPW"), "\(hit.stderr)")
    }

    /// wrk's and vegeta's users write `-d 30s` for a duration: alone it is refused (PeerHabitTests);
    /// with a method hit sends it as the body, as hey and curl do, and says so on stderr (also
    /// under -q), once the arguments are accepted.
    @Test func aBodyThatReadsAsADurationIsNamedOnStderr() throws {
        try withTargetServer { server in
            let hit = try InProcessRun(["-q", "-n", "1", "-m", "POST", "-d", "30s", server.baseURL + "/echo"])
            #expect(hit.exitStatus == 0)
            #expect(hit.stderr == "hit: warning: -d '30s' is sent as the request body (as in hey and curl); for a duration write -z 30s\n")
            #expect(server.stats.recentRequests.first?.body == Array("30s".utf8))
            let plain = try InProcessRun(["-q", "-n", "1", "-d", "30 seconds", server.baseURL + "/echo"])
            #expect(plain.stderr.isEmpty, "\(plain.stderr)")
        }
    }

    /// Methods are case-sensitive: a lower-case standard one is sent as written, and named once
    /// on stderr; a method of the user's own (PURGE, purge) is theirs to spell.
    @Test func aLowerCaseStandardMethodIsSentAsWrittenAndNamed() throws {
        try withTargetServer { server in
            let directory = try temporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let file = directory + "/targets"
            try "get \(server.baseURL)/\nget \(server.baseURL)/echo\nGET \(server.baseURL)/\npurge \(server.baseURL)/\n"
                .write(toFile: file, atomically: true, encoding: .utf8)
            let hit = try InProcessRun(["-q", "-n", "4", "-f", file])
            #expect(hit.stderr == "hit: warning: the method 'get' is sent as written (methods are case-sensitive): for the standard one write GET\n")
            // The server's parser refuses what is not a method it knows: only GET gets through.
            #expect(server.stats.recentRequests.map(\.method) == ["GET"])
            #expect(hit.exitStatus == 1)
        }
    }

    @Test func aTargetsFileWithCRLFLineEnds() throws {
        try withTargetServer { server in
            let path = NSTemporaryDirectory() + "hit-crlf-\(UUID().uuidString)"
            defer { try? FileManager.default.removeItem(atPath: path) }
            try "# targets\r\n\(server.baseURL)/\r\nPOST \(server.baseURL)/echo\r\n\r\n".write(toFile: path, atomically: true, encoding: .utf8)
            let hit = try InProcessRun(["-q", "-n", "4", "-c", "2", "-f", path])
            #expect(hit.exitStatus == 0, "\(hit.stderr)")
            let requests = server.stats.recentRequests.map { "\($0.method) \($0.uri)" }.sorted()
            #expect(requests == ["GET /", "GET /", "POST /echo", "POST /echo"])
        }
    }

    @Test func shorthandsGiveWayToAnExplicitHeader() throws {
        try withTargetServer { server in
            let hit = try InProcessRun(["-q", "-n", "1", "-T", "text/plain", "-H", "content-type: application/json",
                                        "-A", "text/html", "-H", "Accept: */*", "-d", "{}", server.baseURL + "/echo"])
            #expect(hit.exitStatus == 0)
            let headers = try #require(server.stats.recentRequests.last?.headers)
            #expect(headers.filter { $0.name.lowercased() == "content-type" }.map(\.value) == ["application/json"])
            #expect(headers.filter { $0.name.lowercased() == "accept" }.map(\.value) == ["*/*"])
        }
    }

    @Test func headersFromAFileKeepSecretsOutOfTheArguments() throws {
        try withTargetServer { server in
            let path = NSTemporaryDirectory() + "hit-headers-\(UUID().uuidString)"
            defer { try? FileManager.default.removeItem(atPath: path) }
            try "Authorization: Bearer FileToken\r\nX-One: 1\r\n".write(toFile: path, atomically: true, encoding: .utf8)
            let hit = try InProcessRun(["-q", "-n", "1", "-H", "@" + path, "-o", "json", server.baseURL + "/"])
            #expect(hit.exitStatus == 0, "\(hit.stderr)")
            let headers = try #require(server.stats.recentRequests.last?.headers)
            #expect(headers.contains { $0.name == "Authorization" && $0.value == "Bearer FileToken" })
            #expect(headers.contains { $0.name == "X-One" && $0.value == "1" })
            #expect(!hit.stdout.contains("FileToken"), "redacted in the report")
        }
    }

    @Test func rawBytesOfABodyArgumentAreSentAsGiven() throws {
        let raw = RawArguments([Array("-d".utf8), [0xFF, 0xFE, 0x80], Array("--data=".utf8) + [0xC3]])
        #expect(raw.bytes(of: String(decoding: [0xFF, 0xFE, 0x80] as [UInt8], as: UTF8.self)) == [0xFF, 0xFE, 0x80])
        #expect(raw.bytes(of: String(decoding: [0xC3] as [UInt8], as: UTF8.self)) == [0xC3])
        #expect(raw.bytes(of: "plain") == Array("plain".utf8))
    }
}
