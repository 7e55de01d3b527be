import Foundation
import Testing

/// The library's documentation keeps step with its surface: every public type declared at the top
/// level of a file of `Sources/Hit` is listed under a topic of the DocC catalogue (`Hit.docc`), as
/// ``Name`` or a member of it.
@Suite struct DocCTopicsTests {
    @Test func everyPublicTypeHasATopic() throws {
        let library = ReadmeLayoutTests.root + "/Sources/Hit"
        let catalogue = library + "/Hit.docc"
        let articles = try FileManager.default.contentsOfDirectory(atPath: catalogue).filter { $0.hasSuffix(".md") }
        let documentation = try articles.map { try String(contentsOfFile: catalogue + "/" + $0, encoding: .utf8) }.joined(separator: "\n")
        let files = try #require(FileManager.default.subpaths(atPath: library)).filter { $0.hasSuffix(".swift") }
        let declaration = /(?m)^public (?:final )?(?:struct|enum|class|protocol|actor) ([A-Z][A-Za-z0-9]*)/
        var types: Set<String> = []
        for file in files {
            let text = try String(contentsOfFile: library + "/" + file, encoding: .utf8)
            for match in text.matches(of: declaration) { types.insert(String(match.output.1)) }
        }
        #expect(types.count >= 40, "the library's public types were found")
        for type in types.sorted() {
            #expect(documentation.contains("``\(type)``") || documentation.contains("``\(type)/"),
                    "\(type) is public but under no topic of Hit.docc")
        }
    }
}
