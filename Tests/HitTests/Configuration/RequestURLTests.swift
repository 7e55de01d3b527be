import Hit
import Testing

@Suite struct RequestURLTests {
    @Test func piecesOfAFullURL() {
        let url = RequestURL("HTTPS://user:pa:ss@example.test:8443/path?q=1#f")
        #expect(url.scheme == "https")
        #expect(url.isHTTPS)
        #expect(url.userInfo == "user:pa:ss")
        #expect(url.hostAndPort == "example.test:8443")
        #expect(url.host == "example.test")
        #expect(url.origin == "HTTPS://user:pa:ss@example.test:8443")
        #expect(url.path == "/path")
    }

    @Test func thePathLeavesTheQueryAndFragmentOut() {
        #expect(RequestURL("http://h").path == "/")
        #expect(RequestURL("http://h?token=s3cret").path == "/")
        #expect(RequestURL("http://h/a/b#c").path == "/a/b")
        #expect(RequestURL("http://h/users/{{id}}?x=1").path == "/users/{{id}}")
    }

    @Test func ipv6HostsLoseTheirBrackets() {
        let url = RequestURL("http://[::1]:8080/")
        #expect(url.host == "::1")
        #expect(url.hostAndPort == "[::1]:8080")
        #expect(url.origin == "http://[::1]:8080")
    }

    @Test func theAuthorityEndsAtPathQueryOrFragment() {
        #expect(RequestURL("http://h?x@y").userInfo == nil)
        #expect(RequestURL("http://h#x@y").host == "h")
        #expect(RequestURL("http://h").origin == "http://h")
    }

    @Test func withoutASchemeThereIsNoAuthority() {
        let url = RequestURL("127.0.0.1:8080/x")
        #expect(url.scheme == nil)
        #expect(url.host.isEmpty)
        #expect(url.userInfo == nil)
        #expect(url.redacted == "127.0.0.1:8080/x")
        #expect(!url.isHTTPS)
    }

    @Test func redactionKeepsTheUserAndHidesThePassword() {
        #expect(RequestURL("http://alice:s3cret@h/p").redacted == "http://alice:[redacted]@h/p")
        #expect(RequestURL("http://h/p").redacted == "http://h/p")
        // The last @ of the authority ends the user information, as libcurl reads it.
        #expect(RequestURL("http://a:b@c@h/").redacted == "http://a:[redacted]@h/")
        #expect(!RequestURL("ftp://u:topsecret@h/").redacted.contains("topsecret"))
    }
}
