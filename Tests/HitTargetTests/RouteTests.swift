@testable import HitTarget
import Testing

@Suite struct RouteTests {
    @Test(arguments: [
        ("/", Route.hello), ("", .hello), ("/?q=1", .hello),
        ("/status/503", .status(503)), ("/status/99", .notFound), ("/status/x", .notFound),
        ("/delay/50", .delay(milliseconds: 50)), ("/delay/-1", .notFound),
        ("/hang", .hang), ("/echo", .echo), ("/loop", .loop), ("/bad-length", .badLength),
        ("/bytes/1024", .bytes(1024)), ("/bytes/\(Route.maxBytes + 1)", .notFound),
        ("/redirect/3", .redirect(3)), ("/close/2", .closeEvery(2)), ("/close/0", .notFound),
        ("/reset/headers", .resetInHeaders), ("/reset/body", .resetInBody), ("/reset/other", .notFound),
        ("/slow-body/20", .slowBody(milliseconds: 20)), ("/chunked/5", .chunked(5)), ("/chunked/100001", .notFound),
        ("/nothing/here", .notFound), ("/hang/more", .notFound),
        ("/tuned", .tuned), ("/tuned?x=1", .tuned),
        ("/tune?delay=5&tail=40&share=0.03", .tune(.init(delayMicroseconds: 5000, tailMicroseconds: 40_000, tailShare: 0.03))),
        ("/tune?delay=2.5", .tune(.init(delayMicroseconds: 2500))), ("/tune", .tune(.init())),
        ("/tune?share=2", .notFound), ("/tune?delay=-1", .notFound), ("/tune?speed=1", .notFound), ("/tune?delay", .notFound),
    ])
    func originFormPathsRoute(uri: String, route: Route) {
        #expect(Route(uri: uri) == route)
    }

    /// The tail falls on an even share of the requests: 3 in 100 with a share of 0.03, one in
    /// every 33 or 34, never two together.
    @Test func theTunedTailIsAnEvenShare() {
        let tuned = TunedLatency()
        tuned.set(.init(delayMicroseconds: 5000, tailMicroseconds: 40_000, tailShare: 0.03))
        let waits = (0..<100).map { _ in tuned.next() }
        #expect(waits.filter { $0 == 45_000 }.count == 3)
        #expect(waits.filter { $0 == 5000 }.count == 97)
        let tails = waits.indices.filter { waits[$0] == 45_000 }
        #expect(zip(tails, tails.dropFirst()).allSatisfy { $1 - $0 >= 33 }, "\(tails)")
        tuned.set(.init(delayMicroseconds: 1000))
        #expect((0..<10).allSatisfy { _ in tuned.next() == 1000 })
    }

    @Test func absoluteFormAsSentToAProxyRoutesByItsPath() {
        #expect(Route(uri: "http://example.test:8080/status/404?x#y") == .status(404))
        #expect(Route(uri: "http://example.test") == .hello)
    }
}
