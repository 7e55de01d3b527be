import Foundation
import HitTarget
import HitTestSupport
import Testing

@Suite struct SignalTests {
    /// Ctrl-C with a thousand requests in flight on a server that never answers.
    @Test func aThousandRequestsInFlight() throws {
        var configuration = TargetServer.Configuration()
        configuration.threads = 2
        let server = try TargetServer(configuration)
        defer { server.shutdown() }
        let hit = try HitProcess(["-n", "5000", "-c", "1000", server.baseURL + "/hang"])
        #expect(eventually(within: 30) { server.stats.requestsInFlight == 1000 }, "in flight: \(server.stats.requestsInFlight)")
        let (status, milliseconds) = hit.interrupt(with: SIGINT)
        #expect(status == 130)
        #expect(milliseconds < 250, "exited \(milliseconds) ms after the signal")
        #expect(hit.stdout.contains("1000 in flight were aborted"))
    }

    /// A signal while hit starts up, at several moments: no crash, no backtrace, and any report
    /// printed is whole.
    @Test(arguments: [0, 1, 3, 10, 30])
    func aSignalDuringStartUp(delayMilliseconds: Int) throws {
        let server = try TargetServer()
        defer { server.shutdown() }
        let hit = try HitProcess(["-n", "100000", "-c", "4", server.baseURL + "/"])
        usleep(useconds_t(delayMilliseconds * 1000))
        hit.send(SIGINT)
        let status = hit.wait(seconds: 10)
        #expect(status == 130 || status == 0, "status \(String(describing: status))")
        #expect(!hit.stderr.contains("Fatal error"))
        #expect(!hit.stderr.contains("Backtrace") && !hit.stderr.contains("backtrace"))
        if !hit.stdout.isEmpty {
            #expect(hit.stdout.hasSuffix("\n"))
            #expect(hit.stdout.contains("Summary"))
        }
    }

    /// Signals arriving without pause while hit runs and writes its report: the report is never
    /// cut off or interleaved.
    @Test func signalsWhileTheReportIsWritten() throws {
        let server = try TargetServer()
        defer { server.shutdown() }
        for _ in 0..<5 {
            let hit = try HitProcess(["-n", "300", "-c", "3", server.baseURL + "/"])
            var status: Int32?
            for _ in 0..<2000 {
                hit.send(SIGINT)
                status = hit.wait(seconds: 0.002)
                if status != nil { break }
            }
            #expect(status == 130 || status == 0)
            #expect(!hit.stderr.contains("Fatal error"))
            if hit.stdout.contains("Summary") {
                #expect(hit.stdout.hasSuffix("\n"))
                #expect(hit.stdout.components(separatedBy: "Summary").count == 2, "one report")
            }
        }
    }

    /// `hit ... | head -0`: a reader that has gone away ends hit quietly, not with a SIGPIPE.
    @Test func aClosedStdout() throws {
        let server = try TargetServer()
        defer { server.shutdown() }
        let hit = try HitProcess(["-n", "20", server.baseURL + "/"], stdoutClosed: true)
        let status = hit.wait(seconds: 30)
        #expect(status == 0, "exit \(String(describing: status)), not death by SIGPIPE (141)")
        #expect(hit.stderr.isEmpty, "\(hit.stderr)")
        let csv = try HitProcess(["-n", "2000", "-o", "csv", server.baseURL + "/"], stdoutClosed: true)
        #expect(csv.wait(seconds: 30) == 0)
    }
}
