import Foundation
@testable import Hit
import Testing

@Suite struct CSVWriterTests {
    @Test(arguments: [("plain", "plain"), ("a,b", "\"a,b\""), ("say \"hi\"", "\"say \"\"hi\"\"\""),
                      ("two\nlines", "\"two\nlines\""), ("cr\r", "\"cr\r\""), ("", "")])
    func fieldsAreQuotedAsRFC4180Says(field: String, quoted: String) {
        #expect(CSVWriter.quoted(field) == quoted)
    }

    @Test func rowsFollowTheHeaderWithSecretsRedacted() throws {
        let path = NSTemporaryDirectory() + "hit-csv-\(UUID().uuidString)"
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let handle = try #require(FileHandle(forWritingAtPath: path))
        var writer: CSVWriter? = CSVWriter(output: handle, targets: ["http://u:pw@h/"])
        var phases = RequestResult.Phases()
        phases.firstByte = .microseconds(1500)
        writer?.write(RequestResult(status: 200, bytes: 11, latency: .milliseconds(2), httpVersion: .http1_1,
                                    offset: .milliseconds(5), phases: phases))
        writer?.write(RequestResult(status: 0, bytes: 0, latency: .zero,
                                    error: TransferError(kind: .connect, message: "refused, twice")))
        writer = nil  // flushes
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[0] == Substring(CSVWriter.header))
        #expect(lines[1] == "0.005000,0.002000,,,,0.001500,,200,11,HTTP/1.1,http://u:[redacted]@h/,")
        #expect(lines[2] == "0.000000,0.000000,,,,,,,0,,http://u:[redacted]@h/,\"connect: refused, twice\"")
        #expect(!lines.joined().contains("pw@"))
    }
}
