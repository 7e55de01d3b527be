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
        var writer: CSVWriter? = CSVWriter(fileDescriptor: handle.fileDescriptor, targets: ["http://u:pw@h/"])
        var phases = RequestResult.Phases()
        phases.firstByte = .microseconds(1500)
        var paced = RequestResult(status: 200, bytes: 11, latency: .milliseconds(2), httpVersion: .http1_1,
                                  offset: .milliseconds(5), phases: phases, lateness: .microseconds(250), index: 7,
                                  due: .microseconds(4750))
        paced.wireBytesReceived = 124
        paced.wireBytesSent = 60
        writer?.write(paced)
        writer?.write(RequestResult(status: 0, bytes: 0, latency: .zero,
                                    error: TransferError(kind: .connect, message: "refused, twice"), index: 3))
        writer?.write(RequestResult(status: 503, bytes: 5, latency: .milliseconds(1),
                                    error: TransferError(kind: .check, message: "status 503, expected 200"), httpVersion: .http1_1, index: 4))
        #expect(writer?.failed == false)
        writer = nil  // flushes
        try handle.close()
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[0] == Substring(CSVWriter.header))
        #expect(lines[1] == "7,0.005000,0.004750,0.000250,0.002000,0.002250,,,,0.001500,,200,11,124,60,HTTP/1.1,http://u:[redacted]@h/,")
        #expect(lines[2] == "3,0.000000,,,0.000000,,,,,,,,0,0,0,,http://u:[redacted]@h/,\"connect: refused, twice\"")
        // A failed check keeps its response's status.
        #expect(lines[3].hasSuffix(",503,5,0,0,HTTP/1.1,http://u:[redacted]@h/,\"check: status 503, expected 200\""), "\(lines[3])")
        #expect(!lines.joined().contains("pw@"))
        // The header is the one list of columns: every row has as many fields.
        let columns = CSVWriter.header.split(separator: ",").count
        #expect(columns == 18)
        #expect(lines[1].split(separator: ",", omittingEmptySubsequences: false).count == columns)
    }
}
