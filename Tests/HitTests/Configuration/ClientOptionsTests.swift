@testable import Hit
import Testing

@Suite struct ClientOptionsTests {
    @Test(arguments: ["hit.test:80:127.0.0.1", "+hit.test:443:127.0.0.1,127.0.0.2", "hit.test:80:[::1]", "[::1]:80:::1"])
    func validResolveEntries(entry: String) {
        #expect(ClientOptions.isValid(resolve: entry))
    }

    @Test(arguments: ["hit.test:80", "hit.test:port:127.0.0.1", ":80:127.0.0.1", "hit.test:0:127.0.0.1",
                      "hit.test:65536:127.0.0.1", "hit.test:80:", "", "hit.test:80:notanip", "hit.test:80:127.0.0.1,nope", "hit.test:80:[127.0.0.1"])
    func invalidResolveEntries(entry: String) {
        #expect(!ClientOptions.isValid(resolve: entry))
    }

    @Test(arguments: ["a:1:b:2", "::b:2", "a:1::", ":::", "[::1]:80:[::2]:81"])
    func validConnectToEntries(entry: String) {
        #expect(ClientOptions.isValid(connectTo: entry))
    }

    @Test(arguments: ["a:1:b", "a:x:b:2", "a:1:b:70000", "a"])
    func invalidConnectToEntries(entry: String) {
        #expect(!ClientOptions.isValid(connectTo: entry))
    }

    @Test(arguments: [
        ("127.0.0.1", "127.0.0.1", true), ("127.0.0.1", "127.0.0.0/8", true), ("127.1.2.3", "10.0.0.0/8, 127.0.0.0/8", true),
        ("127.0.0.1", "127.0.1.0/24", false), ("127.0.0.1", "127.0.0.1:8080", false), ("127.0.0.1", "127.0.0.0/0", false),
        ("127.0.0.1", "127.0.0.1/0", true), ("127.0.0.1", "foo,*", false), ("api.example.test", "foo api.example.test", true),
        ("api.example.test", "xample.test", false), ("api.example.test.", "example.test.", true),
        ("::1", "::1", true), ("::1", "[::1]", true), ("fd00::5", "fd00::/8", true), ("fe80::1", "fd00::/8", false),
        ("::1", "127.0.0.0/8", false), ("127.0.0.1", "127.0.0.0/33", false),
        ("api.example.test", "example.test", true), ("api.example.test", ".example.test", true),
        ("badexample.test", "example.test", false), ("example.test", "*", true), ("host", "", false),
    ] as [(String, String, Bool)])
    func theNoProxyListMatchesAsLibcurlDoes(host: String, list: String, bypassed: Bool) {
        #expect(ClientOptions.bypasses(host, noProxy: list) == bypassed, "\(host) in '\(list)'")
    }
}
