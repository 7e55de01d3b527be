import Dispatch
@testable import Hit
import HitTarget
import HitTestSupport
import Testing

/// A loop of more workers than one multi handle holds (`TransferLoop.workersPerMultiHandle`): its
/// workers are spread over several handles waited on in one epoll, and everything a single handle
/// does still holds: every request sent once, every worker's connection kept, paced requests sent
/// on their schedule, a stop ending every transfer.
@Suite struct MultiHandleSetTests {
    /// Workers enough for three handles in one loop.
    static let workers = 2 * TransferLoop.workersPerMultiHandle + 50

    @Test func everyWorkerKeepsItsConnectionInItsOwnHandle() throws {
        try withTargetServer { server in
            let requests = Self.workers * 8
            let summary = try LoadTest(request: Request(url: server.baseURL + "/"),
                                       options: Options(requests: requests, concurrency: Self.workers, loops: 1)).run()
            #expect(summary.total.succeeded == requests)
            #expect(server.stats.requestsSeen == requests)
            // A worker that joined another handle for a transfer would find its connection gone
            // and open one more.
            #expect(server.stats.connectionsAccepted == Self.workers)
        }
    }

    @Test func aPacedRunOverSeveralHandlesSendsEveryRequestAsDue() throws {
        try withTargetServer { server in
            let summary = try LoadTest(request: Request(url: server.baseURL + "/"),
                                       options: Options(requests: 400, concurrency: Self.workers, rate: 1000, loops: 1)).run()
            #expect(summary.total.succeeded == 400)
            #expect(summary.dropped == 0)
            // Each was due, so each has its latency from its due time.
            #expect(summary.correctedLatency.count == 400)
            #expect(server.stats.requestsSeen == 400)
        }
    }

    @Test func aStopEndsEveryTransferInEveryHandle() throws {
        try withTargetServer { server in
            let cancellation = CancellationToken()
            // Stopped once the server holds every request, each in one of the loop's handles.
            DispatchQueue.global().async {
                _ = eventually(within: 30) { server.stats.requestsSeen == Self.workers }
                cancellation.cancel()
            }
            let summary = try LoadTest(request: Request(url: server.baseURL + "/hang"),
                                       options: Options(requests: Self.workers, concurrency: Self.workers, loops: 1)).run(cancellation: cancellation)
            #expect(summary.interrupted)
            #expect(summary.total.completed == 0)
            // Every request written is aborted, in whichever handle it was.
            #expect(summary.started == Self.workers)
            #expect(summary.abandoned == Self.workers)
            #expect(server.stats.requestsSeen == Self.workers)
        }
    }
}
