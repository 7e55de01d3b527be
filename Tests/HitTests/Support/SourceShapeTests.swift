import Foundation
import Testing

/// The sources stay readable in pieces: no function, initializer or subscript of any target runs
/// over 60 lines, and no file of the transfer loop (`Sources/Hit/Curl/TransferLoop*.swift`, the
/// heart of every run) over 300.
@Suite struct SourceShapeTests {
    static let sources = ReadmeLayoutTests.root + "/Sources"

    /// Each Swift file under Sources/, by path from Sources/, with its lines.
    static func files() throws -> [(path: String, lines: [Substring])] {
        let paths = try #require(FileManager.default.subpaths(atPath: sources)).filter { $0.hasSuffix(".swift") }.sorted()
        return try paths.map { path in
            (path, try String(contentsOfFile: sources + "/" + path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false))
        }
    }

    /// The length in lines of each function, initializer and subscript of `lines`, from its
    /// declaration to its closing brace, with the line it starts on. Braces in comments and string
    /// literals do not count.
    static func functions(in lines: [Substring]) -> [(line: Int, length: Int)] {
        let declaration = /^\s*(@\w+\s+)*((public|package|private|fileprivate|internal|static|class|mutating|override|nonisolated|final|convenience|required)\s+)*(func|init|subscript)\b/
        var found: [(line: Int, length: Int)] = []
        for (start, line) in lines.enumerated() where line.firstMatch(of: declaration) != nil {
            var depth = 0, opened = false, end = start
            scan: while end < lines.count {
                let code = lines[end].replacing(/"(?:[^"\\]|\\.)*"/, with: "\"\"").split(separator: "//", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
                for character in code {
                    if character == "{" { depth += 1; opened = true }
                    if character == "}" { depth -= 1 }
                    if opened && depth <= 0 { break scan }
                }
                // A requirement without a body (a protocol's) ends before any brace.
                if !opened && end > start + 15 { break }
                end += 1
            }
            if opened { found.append((start + 1, end - start + 1)) }
        }
        return found
    }

    @Test func noFunctionRunsOverSixtyLines() throws {
        let files = try Self.files()
        #expect(files.count > 100, "the sources were found")
        for file in files {
            for function in Self.functions(in: file.lines) {
                #expect(function.length <= 60, "Sources/\(file.path):\(function.line) is \(function.length) lines long")
            }
        }
    }

    @Test func theTransferLoopsFilesStayShort() throws {
        let loop = try Self.files().filter { $0.path.hasPrefix("Hit/Curl/TransferLoop") }
        #expect(loop.count >= 4, "the transfer loop's files were found")
        for file in loop {
            #expect(file.lines.count <= 301, "Sources/\(file.path) is \(file.lines.count - 1) lines long")
        }
    }

    /// The measure itself: a function's length counts every line from its declaration to its
    /// closing brace, and braces inside strings and comments are not counted.
    @Test func theMeasureCountsFromDeclarationToClosingBrace() {
        let text = """
        struct S {
            func short() { }
            func long(a: Int,
                      b: Int) -> Int {
                let text = "{ not a brace"  // nor this }
                return a + b
            }
        }
        """
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let found = Self.functions(in: lines)
        #expect(found.map(\.line) == [2, 3])
        #expect(found.map(\.length) == [1, 5])
    }
}
