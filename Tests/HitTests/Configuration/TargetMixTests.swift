@testable import Hit
import Testing

/// Weighted targets: exact counts, smooth interleaving, the same mix from any set of shards.
@Suite struct TargetMixTests {
    @Test func weightsAreExactOverEveryTurn() throws {
        let mix = try TargetMix(weights: [3, 1])
        let sent = (0..<400).map { mix.target(at: $0) }
        #expect(sent.filter { $0 == 0 }.count == 300 && sent.filter { $0 == 1 }.count == 100)
        #expect(mix.cycle == [0, 0, 1, 0], "smooth: the light target is not left to the turn's end")
    }

    @Test func theTurnIsReducedAndInterleavedSmoothly() throws {
        let mix = try TargetMix(weights: [50, 30, 20])
        #expect(mix.cycle.count == 10)
        #expect([0, 1, 2].map { target in mix.cycle.filter { $0 == target }.count } == [5, 3, 2])
        // No target comes more than twice its share's spacing apart: the largest gap in a turn
        // (wrapping around) is at most ceil(turn / weight) + 1.
        for (target, weight) in [(0, 5), (1, 3), (2, 2)] {
            let places = mix.cycle.indices.filter { mix.cycle[$0] == target }
            let gaps = zip(places, places.dropFirst() + [places[0] + 10]).map { $1 - $0 }
            #expect(gaps.max()! <= (10 + weight - 1) / weight + 1, "target \(target): \(mix.cycle)")
        }
    }

    @Test func shardsTogetherSendTheWholeRunsMix() throws {
        let mix = try TargetMix(weights: [7, 2, 1])
        let whole = (0..<1000).map { mix.target(at: $0) }
        var merged = Array(repeating: -1, count: 1000)
        for shard in 0..<3 {
            for index in stride(from: shard, to: 1000, by: 3) { merged[index] = mix.target(at: index) }
        }
        #expect(merged == whole)
        #expect(TargetMix.roundRobin(targets: 3).cycle == [0, 1, 2])
    }

    @Test func badWeightsAreRefused() {
        #expect(throws: TargetMix.Problem.noTargets) { try TargetMix(weights: []) }
        #expect(throws: TargetMix.Problem.weightNotPositive(target: 1, weight: 0)) { try TargetMix(weights: [1, 0]) }
        #expect(throws: TargetMix.Problem.cycleTooLong(2_000_001)) { try TargetMix(weights: [1_000_000, 1_000_001]) }
    }
}
