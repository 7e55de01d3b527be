import Foundation
import Testing

/// The library's folders depend on each other one way: no folder uses a type of a folder that uses
/// one of its own, so each can be read, and tested, with only the folders below it. (A file at the
/// library's root counts as a folder of its own.)
@Suite struct FolderDependencyTests {
    static let library = ReadmeLayoutTests.root + "/Sources/Hit"

    /// Each Swift file of the library, by folder: the text, with comments and string literals blanked.
    static func sources() throws -> [(folder: String, text: String)] {
        let files = try #require(FileManager.default.subpaths(atPath: library)).filter { $0.hasSuffix(".swift") }
        return try files.map { path in
            let text = try String(contentsOfFile: library + "/" + path, encoding: .utf8)
                .replacing(/\/\/[^\n]*/, with: "")
                .replacing(/"(?:[^"\\\n]|\\.)*"/, with: "\"\"")
            return (path.contains("/") ? String(path.split(separator: "/")[0]) : path, text)
        }
    }

    /// Which folder declares each type (the first to declare it: an extension declares nothing).
    static func declarations(in sources: [(folder: String, text: String)]) -> [String: String] {
        var home: [String: String] = [:]
        let declaration = /(?m)^(?:(?:public|package|private|fileprivate|internal|final|indirect) )*(?:struct|enum|class|protocol|actor|typealias) ([A-Z][A-Za-z0-9]*)/
        for (folder, text) in sources {
            for match in text.matches(of: declaration) where home[String(match.output.1)] == nil {
                home[String(match.output.1)] = folder
            }
        }
        return home
    }

    @Test func noTwoFoldersUseEachOther() throws {
        let sources = try Self.sources()
        let home = Self.declarations(in: sources)
        #expect(Set(home.values).count >= 10, "the library's folders were found")
        var uses: [String: Set<String>] = [:]
        for (folder, text) in sources {
            let words = Set(text.split { !($0.isLetter || $0.isNumber || $0 == "_") }.map(String.init))
            for (type, declaringFolder) in home where declaringFolder != folder && words.contains(type) {
                uses[folder, default: []].insert(declaringFolder)
            }
        }
        // A cycle of any length: a folder that reaches itself.
        for start in uses.keys.sorted() {
            var seen: Set<String> = [], frontier = Array(uses[start] ?? [])
            while let next = frontier.popLast() {
                guard seen.insert(next).inserted else { continue }
                frontier += uses[next] ?? []
            }
            #expect(!seen.contains(start), "\(start) uses a folder that uses it: \(uses[start]!.sorted())")
        }
    }
}
