import Hit
import Testing

@Suite struct RedactionTests {
    @Test(arguments: ["Authorization: Bearer SECRET", "authorization:Basic SECRET", "Proxy-Authorization: SECRET", "Cookie: id=SECRET"])
    func secretHeadersLoseTheirValues(line: String) {
        let redacted = Redaction.header(line)
        #expect(redacted.hasSuffix(": " + Redaction.marker))
        #expect(!redacted.contains("SECRET"))
    }

    @Test(arguments: ["X-Api-Key: SECRET", "X-Auth-Token: SECRET", "Api-Key: SECRET", "X-Session-Token:SECRET", "Client-Secret: SECRET",
                      "X-Access-Key SECRET", "Set-Cookie: id=SECRET", "X-Password: SECRET"])
    func headersThatCarryTokensByConventionLoseTheirValues(line: String) {
        #expect(!Redaction.header(line).contains("SECRET"), "\(Redaction.header(line))")
    }

    @Test func secretQueryParametersLoseTheirValues() {
        let url = "https://h.test/p?token=A1&api_key=B2&access_token=C3&sig=D4&X-Amz-Signature=E5&client_secret=F6&page=2#token=frag"
        let redacted = Redaction.url(url)
        for secret in ["A1", "B2", "C3", "D4", "E5", "F6"] { #expect(!redacted.contains(secret), "\(redacted)") }
        #expect(redacted.contains("page=2") && redacted.contains("token=[redacted]"))
        #expect(Redaction.url("https://h.test/?q=1&tok") == "https://h.test/?q=1&tok")
    }

    /// A malformed header is quoted by its name only.
    @Test(arguments: [("Cookie=sid=SECRET", "Cookie…"), ("Authorization;Bearer SECRET", "Authorization…"), ("X-Api-Key: SECRET", "X-Api-Key: [redacted]"),
                      ("Accept: */*", "Accept: */*"), ("no colon", "no…")])
    func malformedHeadersAreQuotedByTheirNameOnly(line: String, quoted: String) {
        #expect(Redaction.headerForMessage(line) == quoted)
    }

    @Test func otherHeadersAreKept() {
        #expect(Redaction.header("Accept: */*") == "Accept: */*")
        #expect(Redaction.header("no colon") == "no colon")
    }

    /// What libcurl's error text may quote back is scrubbed: the targets' and every proxy's
    /// password, also a proxy named by the environment, not only by -x.
    @Test func theSecretsOfARunIncludeItsEnvironmentProxy() {
        var client = ClientOptions()
        client.noProxy = "127.0.0.2"
        let test = LoadTest(targets: [Request(url: "http://u:TargetPW@127.0.0.1:1/"), Request(url: "https://127.0.0.2:1/")],
                            options: Options(requests: 1), client: client)
        let secrets = test.secrets(environment: [
            "http_proxy": "http://p:HttpProxyPW@127.0.0.1:3128", "https_proxy": "http://q:HttpsProxyPW@127.0.0.1:3129",
        ])
        #expect(secrets.contains("TargetPW"))
        #expect(secrets.contains("HttpProxyPW"))
        #expect(!secrets.contains("HttpsProxyPW"), "127.0.0.2 goes direct: its proxy is never used")
        #expect(test.secrets(environment: [:]) == ["TargetPW"])
    }

    @Test func urlPasswordsAreReplaced() {
        #expect(Redaction.url("http://user:pass@127.0.0.1:8080/x") == "http://user:[redacted]@127.0.0.1:8080/x")
        #expect(Redaction.url("http://127.0.0.1/x") == "http://127.0.0.1/x")
    }
}
