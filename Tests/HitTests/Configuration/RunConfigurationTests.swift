import Foundation
@testable import Hit
import Testing

/// The configuration a report records: one shape, secrets redacted, one digest per run.
@Suite struct RunConfigurationTests {
    static func json(_ configuration: RunConfiguration) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(configuration)) as? [String: Any])
    }

    @Test func everyKeyIsWrittenEvenWhenItHasNoValue() throws {
        let test = LoadTest(request: Request(url: "http://127.0.0.1:1/"), options: Options(requests: 10))
        let object = try Self.json(test.configuration)
        for key in ["user", "proxy", "proxySource", "rate", "durationUs", "bodyBytes", "rampUpUs", "connectionsPerOrigin"] {
            #expect(object.keys.contains(key), "\(key) is in the configuration")
            #expect(object[key] is NSNull, "\(key) is null")
        }
    }

    @Test func secretsAreRedactedAndTheDigestIgnoresWhatMachinesMayDiffer() throws {
        var request = Request(url: "http://bob:pw@127.0.0.1:1/?access_token=S3cr3tQ")
        request.headers = ["Authorization: Bearer S3cr3tH"]
        var client = ClientOptions()
        let plain = LoadTest(targets: [request], options: Options(requests: 10), client: client)
        client.sourceAddresses = ["127.0.0.2"]
        let elsewhere = LoadTest(targets: [request], options: Options(requests: 10), client: client)
        let configuration = plain.configuration
        #expect(!configuration.targets[0].url.contains("pw") && !configuration.targets[0].url.contains("S3cr3tQ"))
        #expect(configuration.headers == ["Authorization: [redacted]"])
        #expect(plain.configurationDigest == elsewhere.configurationDigest, "--interface differs between machines")
        let other = LoadTest(targets: [request], options: Options(requests: 11), client: client)
        #expect(other.configurationDigest != plain.configurationDigest)
    }

    @Test func aTemplatedRunRecordsItsSeedAndItsFeedButNoRow() throws {
        var options = Options(requests: 10)
        let feed = try Feed(csv: Array("token\nS3cr3tRow\n".utf8))
        options.templating = Templating(seed: UInt64.max, feed: feed, feedOrder: .random)
        let object = try Self.json(LoadTest(request: Request(url: "http://127.0.0.1:1/{{token}}"), options: options).configuration)
        let templating = try #require(object["templating"] as? [String: Any])
        #expect(templating["seed"] as? String == "18446744073709551615")
        #expect(templating["feedRows"] as? Int == 1 && templating["feedOrder"] as? String == "random")
        #expect(templating["feedColumns"] as? [String] == ["token"])
        #expect(!String(decoding: try JSONEncoder().encode(LoadTest(request: Request(url: "http://127.0.0.1:1/{{token}}"),
                                                                    options: options).configuration), as: UTF8.self).contains("S3cr3tRow"))
        #expect(try Self.json(LoadTest(request: Request(url: "http://127.0.0.1:1/"), options: Options(requests: 1)).configuration)["templating"] is NSNull)
    }
}

