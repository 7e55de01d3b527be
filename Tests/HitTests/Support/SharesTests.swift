@testable import Hit
import Testing

/// One total shared out exactly: workers over loops, in proportion to connections.
@Suite struct SharesTests {
    @Test func sharesAddUpAndDifferByAtMostOne() {
        for (total, parts) in [(10, 3), (5000, 8), (7, 7), (3, 5)] {
            let shares = Shares.split(total, into: parts)
            #expect(shares.reduce(0, +) == total)
            #expect((shares.max() ?? 0) - (shares.min() ?? 0) <= 1)
        }
    }

    @Test func workersFollowTheConnectionsShares() {
        // --connections 3 over 2 loops: 2 and 1; 30 workers split the same way.
        #expect(Shares.split(30, proportionally: [2, 1]) == [20, 10])
        #expect(Shares.split(10, proportionally: [1, 1, 1]).reduce(0, +) == 10)
        #expect(Shares.split(7, proportionally: [5, 0]) == [7, 0])
    }
}
