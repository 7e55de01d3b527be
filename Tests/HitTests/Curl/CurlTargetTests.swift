@testable import Hit
import Testing

@Suite struct CurlTargetTests {
    @Test func connectionsAreSharedByOrigin() throws {
        #expect(try CurlTarget(Request(url: "http://127.0.0.1:8080/a?b")).origin == "http://127.0.0.1:8080")
        #expect(try CurlTarget(Request(url: "https://[::1]/")).origin == "https://[::1]")
    }

    @Test func aBodyTurnsOffExpectContinue() throws {
        let plain = try CurlTarget(Request(url: "http://h/", headers: ["A: 1"]))
        let withBody = try CurlTarget(Request(url: "http://h/", headers: ["A: 1"], body: Body("x")))
        #expect(CurlStringListTests.entries(plain.headers) == ["A: 1"])
        #expect(CurlStringListTests.entries(withBody.headers) == ["A: 1", "Expect:"])
    }
}

/// The proxy settings a target gives libcurl, decided once as libcurl would from the environment,
/// so that libcurl reads no environment variable on each transfer.
@Suite struct CurlTargetProxyTests {
    static func target(_ url: String, _ environment: [String: String], configure: (inout ClientOptions) -> Void = { _ in })
        throws -> CurlTarget {
        var client = ClientOptions()
        configure(&client)
        return try CurlTarget(Request(url: url), client: client, environment: environment)
    }

    @Test func noProxyAnywhereTurnsLibcurlsLookUpOff() throws {
        let target = try Self.target("http://h/", ["PATH": "/bin"])
        #expect(target.proxy == "" && target.noProxy == "")
    }

    @Test func theEnvironmentsProxyForTheSchemeAsLibcurlPicksIt() throws {
        let environment = ["http_proxy": "http://p1:1", "HTTP_PROXY": "http://upper:1", "https_proxy": "",
                           "HTTPS_PROXY": "http://p2:2", "ALL_PROXY": "socks5://p3:3"]
        #expect(try Self.target("http://h/", environment).proxy == "http://p1:1")
        #expect(try Self.target("https://h/", environment).proxy == "http://p2:2", "an empty variable counts as unset")
        #expect(try Self.target("http://h/", ["HTTP_PROXY": "http://upper:1"]).proxy == "", "HTTP_PROXY is not read (CGI's httpoxy)")
        #expect(try Self.target("http://h/", ["ALL_PROXY": "socks5://p3:3"]).proxy == "socks5://p3:3")
        #expect(try Self.target("http://h/", environment) { $0.proxy = "" }.proxy == "", "-x '' turns it off")
        #expect(try Self.target("http://h/", environment) { $0.proxy = "http://x:9" }.proxy == "http://x:9")
    }

    @Test func theNoProxyListGoesToLibcurlWhichAppliesItsOwnRules() throws {
        #expect(try Self.target("http://h/", ["http_proxy": "http://p:1", "no_proxy": "h,10.0.0.0/8"]).noProxy == "h,10.0.0.0/8")
        #expect(try Self.target("http://h/", ["no_proxy": "", "NO_PROXY": "upper"]).noProxy == "upper")
        #expect(try Self.target("http://h/", ["no_proxy": "env"]) { $0.noProxy = "flag" }.noProxy == "flag")
    }

    @Test func followingRedirectsLeavesTheEnvironmentToLibcurl() throws {
        let target = try Self.target("http://h/", ["http_proxy": "http://p:1"]) { $0.followRedirects = true }
        #expect(target.proxy == nil && target.noProxy == nil, "a redirect to https may need https_proxy")
    }
}

@Suite struct CurlStringListTests {
    /// The entries of a list, read back from libcurl's memory.
    static func entries(_ list: CurlStringList) -> [String] {
        var result: [String] = []
        var node = list.pointer
        while let current = node {
            result.append(String(cString: current.pointee.data))
            node = current.pointee.next
        }
        return result
    }

    @Test func entriesKeepTheirOrder() throws {
        #expect(Self.entries(try CurlStringList(["a", "b", "c"])) == ["a", "b", "c"])
        #expect(try CurlStringList([]).pointer == nil)
    }
}

/// A rendered request's values stay out of libcurl's error messages, whatever libcurl quotes.
@Suite struct RenderedValueScrubTests {
    @Test func theRenderedURLAndHeaderValuesGiveWayToTheirTemplates() throws {
        let template = Request(url: "http://127.0.0.1:1/u/{{user}}?t={{token}}", headers: ["X-Token: {{token}}", "Accept: */*"])
        let target = try CurlTarget(template)
        let easy = try CurlEasy(client: ClientOptions())
        try easy.use(target)
        easy.apply(RenderedRequest(url: "http://127.0.0.1:1/u/ann?t=T0k3nValue", headers: ["X-Token: T0k3nValue", "Accept: */*"], body: nil),
                   of: target)
        let scrubbed = easy.withoutRenderedValues("Failed for http://127.0.0.1:1/u/ann?t=T0k3nValue; header X-Token: T0k3nValue")
        #expect(!scrubbed.contains("T0k3nValue"), "\(scrubbed)")
        #expect(scrubbed.contains("http://127.0.0.1:1/u/{{user}}?t={{token}}"))
        // A handle that sends its target as written changes nothing.
        let plain = try CurlEasy(client: ClientOptions())
        try plain.use(target)
        #expect(plain.withoutRenderedValues("as is T0k3nValue") == "as is T0k3nValue")
    }
}
