import Foundation
import Testing

/// The README's "Layout" tree keeps step with the package: it names every file under Sources/ and
/// no file that is gone, and the folders it names under Tests/ are the test targets' own.
@Suite struct ReadmeLayoutTests {
    static let root = #filePath.components(separatedBy: "/Tests/")[0]

    /// What the tree names, each as a path from the package root: files, and folders (ending in `/`).
    struct Tree {
        var files: Set<String> = []
        var folders: Set<String> = []
    }

    /// Reads the tree in the README's "## Layout" section. A line `├── NAME  description` (or
    /// `└──`) names NAME inside the folder that the lines above it opened at the depth before its
    /// marker (four columns a level); a line that starts in the first column opens a root
    /// (`Sources/`, `Tests/`, `scripts/`); other lines carry on a description.
    static func layoutTree() throws -> Tree {
        let readme = try String(contentsOfFile: root + "/README.md", encoding: .utf8)
        let section = try #require(readme.components(separatedBy: "\n## Layout\n").dropFirst().first,
                                   "the README has a Layout section")
        let block = try #require(section.components(separatedBy: "```text\n").dropFirst().first,
                                 "the Layout section has a text block")
        let lines = block.components(separatedBy: "\n```")[0].split(separator: "\n", omittingEmptySubsequences: false)
        var tree = Tree()
        var root = ""
        var open: [Substring] = []  // the folders the current line sits in, below the root
        for line in lines {
            guard let first = line.first else { continue }
            let marker = line.range(of: "├── ") ?? line.range(of: "└── ")
            if let marker {
                let depth = line[..<marker.lowerBound].count / 4
                let name = line[marker.upperBound...].prefix { $0 != " " }
                open = Array(open.prefix(depth))
                let path = root + (open + [name]).joined(separator: "/")
                if name.hasSuffix("/") {
                    tree.folders.insert(path)
                    open.append(name.dropLast())
                } else {
                    tree.files.insert(path)
                }
            } else if !" │".contains(first) {
                root = String(line.prefix { $0 != " " })
                open = []
                tree.folders.insert(root)
            }
        }
        return tree
    }

    /// Every file under `folder` (a path from the package root), hidden ones aside.
    static func files(under folder: String) throws -> Set<String> {
        let manager = FileManager.default
        var files: Set<String> = []
        for path in try manager.subpathsOfDirectory(atPath: root + "/" + folder) {
            guard !path.split(separator: "/").contains(where: { $0.hasPrefix(".") }) else { continue }
            var isFolder: ObjCBool = false
            if manager.fileExists(atPath: root + "/" + folder + "/" + path, isDirectory: &isFolder), !isFolder.boolValue {
                files.insert(folder + "/" + path)
            }
        }
        return files
    }

    /// The folders directly inside `folder` (a path from the package root), each ending in `/`.
    static func subfolders(of folder: String) throws -> Set<String> {
        let manager = FileManager.default
        let base = root + "/" + folder
        return Set(try manager.contentsOfDirectory(atPath: base).filter { name in
            var isFolder: ObjCBool = false
            return !name.hasPrefix(".") && manager.fileExists(atPath: base + "/" + name, isDirectory: &isFolder)
                && isFolder.boolValue
        }.map { folder + "/" + $0 + "/" })
    }

    @Test func namesEveryFileUnderSourcesAndNoOther() throws {
        let tree = try Self.layoutTree()
        let listed = tree.files.filter { $0.hasPrefix("Sources/") }
        let present = try Self.files(under: "Sources")
        try #require(!present.isEmpty)
        let missing = present.subtracting(listed).sorted()
        let stale = listed.subtracting(present).sorted()
        #expect(missing.isEmpty, "files under Sources/ that the README's Layout does not list: \(missing)")
        #expect(stale.isEmpty, "files the README's Layout lists that do not exist: \(stale)")
    }

    @Test func everyFolderItNamesExists() throws {
        let tree = try Self.layoutTree()
        #expect(tree.folders.isSuperset(of: ["Sources/", "Tests/"]))
        let gone = tree.folders.filter { folder in
            var isFolder: ObjCBool = false
            return !FileManager.default.fileExists(atPath: Self.root + "/" + folder, isDirectory: &isFolder)
                || !isFolder.boolValue
        }.sorted()
        #expect(gone.isEmpty, "folders the README's Layout names that do not exist: \(gone)")
    }

    /// Under Tests/ the tree names folders, not files: every test target, and all of a target's
    /// folders wherever it names some of them.
    @Test func namesEveryTestTargetAndTheFoldersItOpens() throws {
        let listed = try Self.layoutTree().folders.filter { $0.hasPrefix("Tests/") }
        var present = try Self.subfolders(of: "Tests")
        for folder in listed where listed.contains(where: { $0 != folder && $0.hasPrefix(folder) }) {
            present.formUnion(try Self.subfolders(of: String(folder.dropLast())))
        }
        let missing = present.subtracting(listed).sorted()
        let stale = listed.subtracting(present).subtracting(["Tests/"]).sorted()
        #expect(missing.isEmpty, "test folders that the README's Layout does not list: \(missing)")
        #expect(stale.isEmpty, "test folders the README's Layout lists that do not exist: \(stale)")
    }

    /// The README says the library's tests sit in folders named after `Sources/Hit`'s, with
    /// `EndToEnd/` for whole runs.
    @Test func theLibrarysTestFoldersMirrorItsSourceFolders() throws {
        let sources = Set(try Self.subfolders(of: "Sources/Hit").map { $0.dropFirst("Sources/Hit/".count) })
        let tests = try Self.subfolders(of: "Tests/HitTests").map { $0.dropFirst("Tests/HitTests/".count) }
        let unmatched = tests.filter { !sources.contains($0) && $0 != "EndToEnd/" }.sorted()
        #expect(unmatched.isEmpty, "folders of Tests/HitTests with no folder of that name in Sources/Hit: \(unmatched)")
    }
}
