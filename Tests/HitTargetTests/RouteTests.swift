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
    ])
    func originFormPathsRoute(uri: String, route: Route) {
        #expect(Route(uri: uri) == route)
    }

    @Test func absoluteFormAsSentToAProxyRoutesByItsPath() {
        #expect(Route(uri: "http://example.test:8080/status/404?x#y") == .status(404))
        #expect(Route(uri: "http://example.test") == .hello)
    }
}
