import Foundation
@testable import Hit
import Testing

/// How the dispatch stage shares workers and connections out over its event loops.
@Suite struct DispatchTests {
    @Test func loopsFollowTheCoresThenTheConnections() {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        #expect(Pipeline.defaultLoops(concurrency: 1) == 1)
        #expect(Pipeline.defaultLoops(concurrency: 10) == 1)
        #expect(Pipeline.defaultLoops(concurrency: 512) == min(cores, 2))
        // Beyond what the cores call for, one loop per 640 workers: libcurl's walk of a multi
        // handle's connections on every removal stays short.
        #expect(Pipeline.defaultLoops(concurrency: 5000) == max(min(cores, 19), 8))
        #expect(Pipeline.defaultLoops(concurrency: 18_000) == max(min(cores, 70), 29))
        #expect(Pipeline.defaultLoops(concurrency: Options.maximumConcurrency) == Options.maximumLoops)
    }

    @Test func sharesAddUpAndDifferByAtMostOne() {
        for (total, parts) in [(10, 3), (5000, 8), (7, 7), (3, 5)] {
            let shares = Pipeline.split(total, into: parts)
            #expect(shares.reduce(0, +) == total)
            #expect((shares.max() ?? 0) - (shares.min() ?? 0) <= 1)
        }
    }

    @Test func workersFollowTheConnectionsShares() {
        // --connections 3 over 2 loops: 2 and 1; 30 workers split the same way.
        #expect(Pipeline.split(30, proportionally: [2, 1]) == [20, 10])
        #expect(Pipeline.split(10, proportionally: [1, 1, 1]).reduce(0, +) == 10)
        #expect(Pipeline.split(7, proportionally: [5, 0]) == [7, 0])
    }
}
