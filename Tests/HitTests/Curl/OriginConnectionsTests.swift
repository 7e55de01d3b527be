@testable import Hit
import Testing

/// Which connection an HTTP/2 transfer joins or opens, decided without libcurl: transfers are
/// numbers here.
@Suite struct OriginConnectionsTests {
    typealias Resume = OriginConnections<Int>.Resume

    @Test func withoutMultiplexingEveryTransferConnectsAsLibcurlChooses() {
        var plan = OriginConnections<Int>(origins: 1, multiplexing: false)
        #expect((0..<5).map { plan.start($0, origin: 0) } == Array(repeating: .any, count: 5))
        #expect(plan.openingCount == 0)
    }

    @Test func oneOpensTheOthersWaitThenMultiplex() {
        var plan = OriginConnections<Int>(origins: 1, multiplexing: true)
        #expect(plan.start(1, origin: 0) == .opener)
        #expect(plan.opener(of: 0) == 1 && plan.openingCount == 1)
        #expect(plan.start(2, origin: 0) == nil)
        #expect(plan.start(3, origin: 0) == nil)
        #expect(plan.openerDone(origin: 0, connected: true) == [Resume(handle: 2, role: .follower), Resume(handle: 3, role: .follower)])
        #expect(plan.opener(of: 0) == nil && plan.openingCount == 0)
        // Once a connection is up, new transfers multiplex on it.
        #expect(plan.start(4, origin: 0) == .follower)
        // The end of an opener no longer waited for changes nothing.
        #expect(plan.openerDone(origin: 0, connected: false) == [])
    }

    @Test func anOpenerThatFailsPassesTheOpeningOnToTheFirstWaiting() {
        var plan = OriginConnections<Int>(origins: 1, multiplexing: true)
        _ = plan.start(1, origin: 0)
        _ = plan.start(2, origin: 0)
        _ = plan.start(3, origin: 0)
        #expect(plan.openerDone(origin: 0, connected: false) == [Resume(handle: 2, role: .opener)])
        #expect(plan.opener(of: 0) == 2 && plan.openingCount == 1)
        #expect(plan.openerDone(origin: 0, connected: true) == [Resume(handle: 3, role: .follower)])
    }

    @Test func theTransfersWaitingForAnOpenerThatTimedOutShareItsFate() {
        var plan = OriginConnections<Int>(origins: 2, multiplexing: true)
        _ = plan.start(1, origin: 0)
        _ = plan.start(2, origin: 0)
        _ = plan.start(3, origin: 0)
        _ = plan.start(9, origin: 1)
        _ = plan.start(10, origin: 1)
        #expect(plan.openerTimedOut(origin: 0) == [2, 3])
        // No longer parked: the end of the wait resumes nobody, and the next transfer opens anew.
        #expect(plan.openerDone(origin: 0, connected: false) == [])
        #expect(plan.opener(of: 0) == nil)
        #expect(plan.start(4, origin: 0) == .follower)
        #expect(plan.refused(4, origin: 0) == Resume(handle: 4, role: .opener))
        // Another origin's waiting transfers are its own.
        #expect(plan.openerDone(origin: 1, connected: true) == [Resume(handle: 10, role: .follower)])
        // With no opener, there is nothing to share.
        #expect(plan.openerTimedOut(origin: 1) == [])
    }

    @Test func aServerThatAnswersInHTTP1FallsBackForEveryLaterTransfer() {
        var plan = OriginConnections<Int>(origins: 1, multiplexing: true)
        _ = plan.start(1, origin: 0)
        _ = plan.start(2, origin: 0)
        plan.fellBack(0)
        // Whether or not the opener got a response, the waiting connect on their own.
        #expect(plan.openerDone(origin: 0, connected: false) == [Resume(handle: 2, role: .any)])
        #expect(plan.start(3, origin: 0) == .any)
    }

    @Test func aRefusedFollowerOpensTheNextConnectionOrWaits() {
        var plan = OriginConnections<Int>(origins: 1, multiplexing: true)
        _ = plan.start(1, origin: 0)
        _ = plan.openerDone(origin: 0, connected: true)
        #expect(plan.start(2, origin: 0) == .follower)
        #expect(plan.start(3, origin: 0) == .follower)
        // Every connection full: the first refused opens one, the next waits for it.
        #expect(plan.refused(2, origin: 0) == Resume(handle: 2, role: .opener))
        #expect(plan.refused(3, origin: 0) == nil)
        #expect(plan.openerDone(origin: 0, connected: true) == [Resume(handle: 3, role: .follower)])
    }

    @Test func originsAreIndependent() {
        var plan = OriginConnections<Int>(origins: 2, multiplexing: true)
        #expect(plan.start(1, origin: 0) == .opener)
        #expect(plan.start(2, origin: 1) == .opener)
        #expect(plan.openingCount == 2)
        #expect(plan.start(3, origin: 1) == nil)
        #expect(plan.openerDone(origin: 0, connected: true) == [])
        #expect(plan.opener(of: 1) == 2)
    }

    @Test func abandoningForgetsTheWaitingButNotTheOrigins() {
        var plan = OriginConnections<Int>(origins: 1, multiplexing: true)
        _ = plan.start(1, origin: 0)
        _ = plan.start(2, origin: 0)
        plan.abandonAll()
        #expect(plan.opener(of: 0) == nil && plan.openingCount == 0)
        #expect(plan.openerDone(origin: 0, connected: true) == [])
        #expect(plan.start(3, origin: 0) == .follower, "a connection was opened before")
    }
}
