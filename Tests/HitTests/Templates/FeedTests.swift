@testable import Hit
import Testing

/// Feed files read into rows, and refused with the line at fault.
@Suite struct FeedTests {
    static func csv(_ text: String) throws(Feed.Problem) -> Feed { try Feed(csv: Array(text.utf8)) }
    static func jsonLines(_ text: String) throws(Feed.Problem) -> Feed { try Feed(jsonLines: Array(text.utf8)) }

    @Test func csvFollowsRFC4180() throws {
        let feed = try Self.csv("user,token,note\r\nann,t1,plain\r\n\"bob, jr\",\"t\"\"2\",\"two\nlines\"\n\ncy,t3,\n")
        #expect(feed.columns == ["user", "token", "note"])
        #expect(feed.count == 3)
        #expect(feed.row(0) == ["user": "ann", "token": "t1", "note": "plain"])
        #expect(feed.row(1) == ["user": "bob, jr", "token": "t\"2", "note": "two\nlines"])
        #expect(feed.value(row: 2, column: 2) == "", "an empty last field")
        #expect(try Self.csv("\u{FEFF}id\n7").columns == ["id"], "a byte order mark is not part of the name")
        #expect(try Self.csv("id\n7").row(0) == ["id": "7"], "no line end at the end")
    }

    @Test(arguments: [
        ("", "empty"), ("id\n", "no row"), ("a,b\n1,2\n3\n", "line 3: 1 fields where the header has 2"),
        ("a,b\n1,\"2\n", "line 2: a quoted field has no closing quote"), ("a,,c\n1,2,3", "line 1: a column has no name"),
        ("a,a\n1,2", "named twice"), ("a\n\"x\ny\"\n1,2\n", "line 4:"),
    ])
    func raggedOrEmptyCSVIsRefusedWithItsLine(text: String, message: String) {
        #expect { try Self.csv(text) } throws: { ($0 as? Feed.Problem)?.description.contains(message) == true }
    }

    @Test func jsonLinesHoldStringsNumbersAndBooleans() throws {
        let feed = try Self.jsonLines("{\"user\": \"ann\", \"id\": 7, \"ok\": true, \"ratio\": 0.5}\n\n{\"ok\": false, \"id\": -2, \"user\": \"b\\\"c\", \"ratio\": 3}\n")
        #expect(feed.columns == ["id", "ok", "ratio", "user"])
        #expect(feed.row(0) == ["user": "ann", "id": "7", "ok": "true", "ratio": "0.5"])
        #expect(feed.row(1) == ["user": "b\"c", "id": "-2", "ok": "false", "ratio": "3"])
    }

    @Test(arguments: [
        ("", "empty"), ("[1, 2]", "line 1: not a JSON object"), ("{\"a\": 1}\n{\"a\": {\"b\": 1}}", "line 2: not a JSON object"),
        ("{\"a\": 1}\n{\"b\": 1}", "line 2: the key 'a' is missing"), ("{\"a\": 1}\n{\"a\": 2, \"c\": 3}", "line 2: the key 'c' is not on the first line"),
        ("{}", "line 1: the first object has no key"), ("{\"a\": null}", "line 1: not a JSON object"),
    ])
    func jsonLinesThatAreNotFlatObjectsAreRefusedWithTheirLine(text: String, message: String) {
        #expect { try Self.jsonLines(text) } throws: { ($0 as? Feed.Problem)?.description.contains(message) == true }
    }

    @Test func aTemplateTakesItsFieldsFromAFeedsRow() throws {
        let feed = try Self.csv("user,token\nann,a b\nbob,c/d\n")
        let template = try Template(parsing: "/u/{{user}}?t={{token:url}}&n={{seq}}", fields: Set(feed.columns))
        let rendered = (0..<4).map { template.render(index: $0, row: feed.row($0 % feed.count)) }
        #expect(rendered == ["/u/ann?t=a%20b&n=0", "/u/bob?t=c%2Fd&n=1", "/u/ann?t=a%20b&n=2", "/u/bob?t=c%2Fd&n=3"])
    }
}
