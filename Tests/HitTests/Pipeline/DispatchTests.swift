import Foundation
@testable import Hit
import Testing

/// How the dispatch stage shares workers and connections out over its event loops.
@Suite struct DispatchTests {
    @Test func loopsFollowTheCores() {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        #expect(Pipeline.defaultLoops(concurrency: 1) == 1)
        #expect(Pipeline.defaultLoops(concurrency: 10) == 1)
        #expect(Pipeline.defaultLoops(concurrency: 512) == min(cores, 2))
        // Beyond the cores, more loops only contend: a loop holds many small multi handles instead.
        #expect(Pipeline.defaultLoops(concurrency: 5000) == min(cores, 19))
        #expect(Pipeline.defaultLoops(concurrency: 18_000) == min(cores, 70))
        #expect(Pipeline.defaultLoops(concurrency: Options.maximumConcurrency) == min(cores, Options.maximumLoops))
    }

    @Test func aLoopSpreadsHTTP1WorkersOverSmallMultiHandlesAndKeepsHTTP2InOne() {
        let most = TransferLoop.workersPerMultiHandle
        #expect(TransferLoop.multiHandles(workers: 1, multiplexing: false) == 1)
        #expect(TransferLoop.multiHandles(workers: most, multiplexing: false) == 1)
        #expect(TransferLoop.multiHandles(workers: most + 1, multiplexing: false) == 2)
        #expect(TransferLoop.multiHandles(workers: 9_000, multiplexing: false) == (9_000 + most - 1) / most)
        // HTTP/2's connections belong to a multi handle: its transfers must share one to multiplex.
        #expect(TransferLoop.multiHandles(workers: 9_000, multiplexing: true) == 1)
    }
}
