@testable import Hit
@testable import HitCLI
import Testing

/// `--http1.1`, `-h2`, `-h3` and `--http3-only`: one of them, HTTP/3 only of a libcurl that has it,
/// and only where QUIC can go. Decided without a network and whatever this machine's libcurl is.
@Suite struct HTTPVersionFlagTests {
    static func version(_ arguments: [String], hasHTTP3: Bool = true) throws -> ClientOptions.HTTPVersion {
        try ConnectionFlags.parse(arguments).httpVersion(libcurlHasHTTP3: hasHTTP3)
    }

    @Test(arguments: [([String](), ClientOptions.HTTPVersion.http1_1), (["--http1.1"], .http1_1), (["-h2"], .http2),
                      (["--http2-prior-knowledge"], .http2), (["-h3"], .http3), (["--http3"], .http3), (["--http3-only"], .http3Only)])
    func eachFlagAsksForItsVersion(arguments: [String], expected: ClientOptions.HTTPVersion) throws {
        #expect(try Self.version(arguments) == expected)
    }

    /// The message of the usage error `body` throws, if it throws one.
    static func refusal(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch let error as UsageError {
            return error.message
        } catch {
            return "\(error)"
        }
    }

    @Test func twoVersionsAreRefusedByName() {
        #expect(Self.refusal { _ = try Self.version(["-h2", "-h3"]) } == "choose one HTTP version: -h2 or -h3, not both")
        #expect(Self.refusal { _ = try Self.version(["--http3-only", "--http1.1"]) }
                == "choose one HTTP version: --http1.1 or --http3-only, not both")
    }

    @Test(arguments: ["-h3", "--http3-only"])
    func aLibcurlWithoutHTTP3IsRefusedWithHowToGetOne(flag: String) {
        let message = Self.refusal { _ = try Self.version([flag], hasHTTP3: false) } ?? ""
        #expect(message.hasPrefix("\(flag): this libcurl ("))
        #expect(message.contains("has no HTTP/3; scripts/build-http3 builds a hit that has it"))
        #expect(Self.refusal { _ = try Self.version(["-h2"], hasHTTP3: false) } == nil)
    }

    static func routes(_ version: ClientOptions.HTTPVersion, _ urls: [String], proxy: String? = nil, unixSocket: String? = nil,
                       environment: [String: String] = [:]) throws(UsageError) {
        var client = ClientOptions()
        client.httpVersion = version
        client.proxy = proxy
        client.unixSocket = unixSocket
        try ConnectionFlags.checkRoutes(of: urls.map { Request(url: $0) }, client: client, environment: environment)
    }

    @Test func http3GoesOnlyWhereQUICCan() {
        #expect(Self.refusal { try Self.routes(.http3, ["https://127.0.0.1:8443/"]) } == nil)
        #expect(Self.refusal { try Self.routes(.http3, ["https://127.0.0.1:8443/", "http://127.0.0.1:8080/"]) }
                == "-h3 needs https: QUIC is always encrypted, and 'http://127.0.0.1:8080/' is http")
        #expect(Self.refusal { try Self.routes(.http3Only, ["https://127.0.0.1:8443/"], unixSocket: "/tmp/socket") }
                == "--http3-only cannot go through --unix-socket: QUIC runs over UDP")
        // A proxy tunnels TCP only: -h3 goes through it over TCP, --http3-only cannot.
        #expect(Self.refusal { try Self.routes(.http3, ["https://127.0.0.1:8443/"], proxy: "http://127.0.0.1:3128") } == nil)
        #expect(Self.refusal {
            try Self.routes(.http3Only, ["https://127.0.0.1:8443/"], environment: ["https_proxy": "http://127.0.0.1:3128"])
        } == "--http3-only cannot go through a proxy (http://127.0.0.1:3128 from https_proxy): "
            + "libcurl tunnels only TCP; use -h3, which goes through it over TCP, or --noproxy '*'")
        #expect(Self.refusal { try Self.routes(.http3Only, ["https://127.0.0.1:8443/"], proxy: "") } == nil)
    }
}
