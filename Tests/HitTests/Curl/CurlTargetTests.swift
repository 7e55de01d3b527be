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
