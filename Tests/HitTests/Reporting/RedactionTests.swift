import Hit
import Testing

@Suite struct RedactionTests {
    @Test(arguments: ["Authorization: Bearer SECRET", "authorization:Basic SECRET", "Proxy-Authorization: SECRET", "Cookie: id=SECRET"])
    func secretHeadersLoseTheirValues(line: String) {
        let redacted = Redaction.header(line)
        #expect(redacted.hasSuffix(": " + Redaction.marker))
        #expect(!redacted.contains("SECRET"))
    }

    @Test func otherHeadersAreKept() {
        #expect(Redaction.header("Accept: */*") == "Accept: */*")
        #expect(Redaction.header("no colon") == "no colon")
    }

    @Test func urlPasswordsAreReplaced() {
        #expect(Redaction.url("http://user:pass@127.0.0.1:8080/x") == "http://user:[redacted]@127.0.0.1:8080/x")
        #expect(Redaction.url("http://127.0.0.1/x") == "http://127.0.0.1/x")
    }
}
