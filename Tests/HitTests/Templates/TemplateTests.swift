import Foundation
@testable import Hit
import Testing

/// Templates read once and filled per request, without a network.
@Suite struct TemplateTests {
    @Test func textWithoutPlaceholdersIsSentAsWritten() throws {
        let template = try Template(parsing: "{\"a\": {\"b\": 1}} } {")
        #expect(template.isConstant)
        #expect(template.render(index: 7) == "{\"a\": {\"b\": 1}} } {")
    }

    @Test func theSequenceIsTheRequestsIndex() throws {
        let template = try Template(parsing: "/items/{{seq}}?page={{ seq }}")
        #expect(!template.isConstant)
        #expect((0..<5).map { template.render(index: $0) } == (0..<5).map { "/items/\($0)?page=\($0)" })
    }

    @Test func fieldsComeFromTheRowAndUnknownNamesAreRefused() throws {
        let template = try Template(parsing: "user={{user}}&t={{token:url}}", fields: ["user", "token"])
        #expect(template.fields == ["user", "token"])
        #expect(template.render(index: 0, row: ["user": "ann", "token": "a b&c/d"]) == "user=ann&t=a%20b%26c%2Fd")
        #expect(throws: Template.Problem.unknown(name: "usr", placeholder: "usr")) { try Template(parsing: "{{usr}}", fields: ["user"]) }
    }

    @Test(arguments: [
        ("{{seq", "has no closing }}"), ("{{}}", "names nothing"), ("{{ :url}}", "names nothing"),
        ("{{seq:upper}}", "no filter is named 'upper'"), ("{{rand:5:1}}", "not rand:A:B"), ("{{rand:1}}", "not rand:A:B"),
        ("{{rand:a:b}}", "not rand:A:B"), ("{{nope}}", "no value is named 'nope'"),
    ])
    func malformedPlaceholdersAreRefusedNamingThem(text: String, message: String) {
        #expect { try Template(parsing: text) } throws: { error in
            (error as? Template.Problem)?.description.contains(message) == true
        }
    }

    @Test func randomValuesStayInRangeAndDependOnlyOnTheSeedAndTheIndex() throws {
        let template = try Template(parsing: "{{rand:-3:3}}")
        let values = (0..<2000).map { Int(template.render(index: $0, seed: 42))! }
        #expect(Set(values) == Set(-3...3), "every value of the range comes up, and nothing else")
        #expect(values == (0..<2000).map { Int(template.render(index: $0, seed: 42))! }, "the same seed renders the same")
        #expect(values != (0..<2000).map { Int(template.render(index: $0, seed: 43))! }, "another seed renders others")
        let whole = try Template(parsing: "{{rand:-9223372036854775808:9223372036854775807}}")
        #expect(Int64(whole.render(index: 1)) != nil)
    }

    @Test func uuidsAreVersion4AndDistinct() throws {
        let template = try Template(parsing: "{{uuid}}")
        let uuids = (0..<5000).map { template.render(index: $0, seed: 1) }
        #expect(Set(uuids).count == uuids.count)
        for uuid in uuids.prefix(200) {
            let parsed = try #require(UUID(uuidString: uuid), "\(uuid) is a UUID")
            #expect(parsed.uuidString.lowercased() == uuid)
            let bytes = withUnsafeBytes(of: parsed.uuid) { Array($0) }
            #expect(bytes[6] >> 4 == 4, "version 4")
            #expect(bytes[8] >> 6 == 0b10, "RFC 9562's variant")
        }
    }

    @Test func filtersApplyLeftToRight() throws {
        let row = ["v": "  say \"hi\"\n\u{1}  "]
        #expect(try Template(parsing: "{{v:trim:json}}", fields: ["v"]).render(index: 0, row: row) == "say \\\"hi\\\"\\n\\u0001")
        #expect(try Template(parsing: "{{v:json}}", fields: ["v"]).render(index: 0, row: row) == "  say \\\"hi\\\"\\n\\u0001  ")
        #expect(try Template(parsing: "{{v:trim:b64}}", fields: ["v"]).render(index: 0, row: ["v": " hit "]) == "aGl0")
        #expect(try Template(parsing: "{{seq:url}}").render(index: 12) == "12")
        #expect(try Template(parsing: "{{v:url}}", fields: ["v"]).render(index: 0, row: ["v": "é~-._"]) == "%C3%A9~-._")
        #expect(try Template(parsing: "{{now}}").render(index: 0, now: 1_767_272_400_000) == "1767272400000")
    }

    @Test func aRequestsOriginIsWrittenOutAndItsOtherPartsMayVary() throws {
        #expect(throws: RequestTemplate.Problem.self) { try RequestTemplate(Request(url: "http://{{seq}}@127.0.0.1:1/"), fields: []) }
        let template = try RequestTemplate(Request(url: "http://127.0.0.1:1/a/{{seq}}?b={{seq}}#{{seq}}", headers: ["X: {{seq}}"]), fields: [])
        let rendered = template.render(index: 3, templating: Templating(seed: 0), now: 0)
        #expect(rendered.url == "http://127.0.0.1:1/a/3?b=3#3")
        #expect(rendered.headers == ["X: 3"])
        #expect(rendered.body == nil)
    }
}
