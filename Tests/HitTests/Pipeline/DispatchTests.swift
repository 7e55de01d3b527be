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
}
