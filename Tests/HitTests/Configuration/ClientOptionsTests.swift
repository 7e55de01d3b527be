import Hit
import Testing

@Suite struct ClientOptionsTests {
    @Test(arguments: ["hit.test:80:127.0.0.1", "+hit.test:443:127.0.0.1,127.0.0.2", "hit.test:80:[::1]", "[::1]:80:::1"])
    func validResolveEntries(entry: String) {
        #expect(ClientOptions.isValid(resolve: entry))
    }

    @Test(arguments: ["hit.test:80", "hit.test:port:127.0.0.1", ":80:127.0.0.1", "hit.test:0:127.0.0.1",
                      "hit.test:65536:127.0.0.1", "hit.test:80:", ""])
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
}
