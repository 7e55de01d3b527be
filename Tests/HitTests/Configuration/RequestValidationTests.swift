import Hit
import HitTestSupport
import Testing

@Suite struct ValidationTests {
    @Test(arguments: ["http://127.0.0.1:8080/", "https://localhost/x?y=1", "HTTP://[::1]:80/", "http://user:pw@host/"])
    func acceptsWebURLs(url: String) throws {
        try Request.validate(url: url)
    }

    @Test(arguments: [
        ("", Request.URLProblem.empty),
        ("127.0.0.1:8080/", .missingScheme),
        ("//host/", .missingScheme),
        ("ftp://host/", .unsupportedScheme("ftp")),
        ("file:///etc/passwd", .unsupportedScheme("file")),
        ("http:///path", .missingHost),
        ("http://:80/", .missingHost),
        ("http:host", .missingHost),
        ("http://ho st/", .invalidCharacter),
        ("http://host/\n", .invalidCharacter),
    ])
    func refusesOtherURLs(url: String, problem: Request.URLProblem) {
        #expect(throws: problem) { try Request.validate(url: url) }
    }

    @Test func optionsFollowTheOriginalsRules() throws {
        try Options(requests: 1, concurrency: 1).validate()
        try Options(requests: 10, concurrency: 10, rate: 0.5).validate()
        #expect(throws: Options.Problem.requestsNotPositive(0)) { try Options(requests: 0).validate() }
        #expect(throws: Options.Problem.concurrencyNotPositive(-1)) { try Options(concurrency: -1).validate() }
        #expect(throws: Options.Problem.concurrencyAboveRequests(concurrency: 11, requests: 10)) {
            try Options(requests: 10, concurrency: 11).validate()
        }
        #expect(throws: Options.Problem.self) { try Options(rate: 0).validate() }
        #expect(throws: Options.Problem.self) { try Options(rate: .nan).validate() }
        #expect(throws: Options.Problem.self) { try Options(rate: .infinity).validate() }
    }
}
