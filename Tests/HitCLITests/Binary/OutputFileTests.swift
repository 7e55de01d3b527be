import Foundation
import HitTarget
import HitTestSupport
import Testing

/// `--output-file` writes into what the user names, as `>` does, and never loses a report in
/// silence. Device nodes are made with mknod in a temporary folder: the machine's own /dev is
/// never a target.
@Suite(.serialized) struct OutputFileTests {
    /// A fresh temporary folder, removed afterwards.
    static func withFolder(_ body: (String) throws -> Void) throws {
        let folder = NSTemporaryDirectory() + "hit-output-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try body(folder)
    }

    /// Linux's makedev(3), which is a C macro.
    static func device(_ major: UInt64, _ minor: UInt64) -> dev_t {
        dev_t((minor & 0xff) | ((major & 0xfff) << 8) | ((minor & ~0xff) << 12) | ((major & ~0xfff) << 32))
    }

    static func mode(_ path: String) -> mode_t {
        var status = stat()
        return lstat(path, &status) == 0 ? status.st_mode : 0
    }

    @Test func devicesStayDevices() throws {
        try withTargetServer { server in
            try Self.withFolder { folder in
                guard mknod(folder + "/null", S_IFCHR | 0o666, Self.device(1, 3)) == 0,
                      mknod(folder + "/full", S_IFCHR | 0o666, Self.device(1, 7)) == 0
                else {
                    Issue.record("mknod needs CAP_MKNOD: \(String(cString: strerror(errno)))")
                    return
                }
                let null = try HitProcess.run(["-q", "-n", "2", "-o", "json", "--output-file", folder + "/null", "{URL}/"], against: server)
                #expect(null.exitStatus == 0, "\(null.stderr)")
                #expect(Self.mode(folder + "/null") & S_IFMT == S_IFCHR, "still a character device")
                let full = try HitProcess.run(["-q", "-n", "2", "--output-file", folder + "/full", "{URL}/"], against: server)
                #expect(full.exitStatus == 74)
                #expect(full.stderr == "hit: cannot write to --output-file '\(folder)/full': No space left on device\n")
                #expect(Self.mode(folder + "/full") & S_IFMT == S_IFCHR)
                // stdout itself on a full device: the report is lost, and hit says so.
                let redirected = try HitProcess.run(["-q", "-n", "2", "{URL}/"], against: server,
                                                    launcher: ["/bin/sh", "-c", "exec \"$0\" \"$@\" > '\(folder)/full'"])
                #expect(redirected.exitStatus == 74)
                #expect(redirected.stderr == "hit: cannot write to stdout: No space left on device\n")
                // CSV rows that cannot be written stop the run; the report says so, not "interrupted",
                // which would mean a signal.
                let rows = try HitProcess.run(["-q", "-n", "2", "--csv-file", folder + "/full", "{URL}/"], against: server)
                #expect(rows.exitStatus == 74)
                // Read as words: the report wraps its long lines at its width.
                let words = rows.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
                #expect(words.hasPrefix("Summary (stopped: the CSV rows could not be written to --csv-file '\(folder)/full'):"), "\(rows.stdout)")
                #expect(words.hasSuffix("Verdict: stopped (the CSV rows could not be written to --csv-file '\(folder)/full')"))
                #expect(!rows.stdout.contains("nterrupted"), "\(rows.stdout)")
                #expect(rows.stderr == "hit: cannot write to --csv-file '\(folder)/full': No space left on device\n")
            }
        }
    }

    @Test func symlinksFIFOsAndPermissionsAreKept() throws {
        try withTargetServer { server in
            try Self.withFolder { folder in
                // A symlink is followed: its target gets the report.
                try "old".write(toFile: folder + "/target.txt", atomically: false, encoding: .utf8)
                try FileManager.default.createSymbolicLink(atPath: folder + "/link", withDestinationPath: folder + "/target.txt")
                let linked = try HitProcess.run(["-q", "-n", "1", "--output-file", folder + "/link", "{URL}/"], against: server)
                #expect(linked.exitStatus == 0)
                #expect(Self.mode(folder + "/link") & S_IFMT == S_IFLNK)
                #expect(try String(contentsOfFile: folder + "/target.txt", encoding: .utf8).hasPrefix("Summary:"))
                // A private file stays private.
                _ = FileManager.default.createFile(atPath: folder + "/private", contents: Data("x".utf8), attributes: [.posixPermissions: 0o600])
                _ = try HitProcess.run(["-q", "-n", "1", "--output-file", folder + "/private", "{URL}/"], against: server)
                #expect(Self.mode(folder + "/private") & 0o777 == 0o600)
                // A FIFO's reader gets the report.
                #expect(mkfifo(folder + "/fifo", 0o600) == 0)
                let reader = Thread {
                    let fd = open(folder + "/fifo", O_RDONLY)
                    var received: [UInt8] = []
                    var chunk = [UInt8](repeating: 0, count: 4096)
                    while fd >= 0, case let n = read(fd, &chunk, chunk.count), n > 0 { received += chunk[..<n] }
                    close(fd)
                    _ = FileManager.default.createFile(atPath: folder + "/from-fifo", contents: Data(received))
                }
                reader.start()
                let fifo = try HitProcess.run(["-q", "-n", "1", "--output-file", folder + "/fifo", "{URL}/"], against: server)
                #expect(fifo.exitStatus == 0)
                #expect(eventually { (try? String(contentsOfFile: folder + "/from-fifo", encoding: .utf8))?.hasPrefix("Summary:") == true })
                #expect(Self.mode(folder + "/fifo") & S_IFMT == S_IFIFO)
            }
        }
    }

    @Test func aFolderIsAUsageError() throws {
        try Self.withFolder { folder in
            let hit = try HitProcess.run(["-n", "1", "--output-file", folder, "http://127.0.0.1:1/"])
            #expect(hit.exitStatus == 64)
            #expect(hit.stderr.contains("cannot be written: Is a directory"))
        }
    }
}

@Suite struct RawPathTests {
    /// A path whose bytes are not UTF-8 is opened by those bytes, not by a look-alike.
    @Test func anOutputPathThatIsNotUTF8() throws {
        let server = try TargetServer()
        defer { server.shutdown() }
        let folder = NSTemporaryDirectory() + "hit-raw-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let hit = try HitProcess.run(["-q", "-n", "1", "{URL}/"], against: server,
                                     launcher: ["/bin/sh", "-c", "exec \"$0\" --output-file '\(folder)/'\"$(printf '\\377')\" \"$@\""])
        #expect(hit.exitStatus == 0, "\(hit.stderr)")
        let directory = try #require(opendir(folder))
        defer { closedir(directory) }
        var names: [[UInt8]] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { Array($0.prefix { $0 != 0 }) }
            if name != Array(".".utf8), name != Array("..".utf8) { names.append(name) }
        }
        #expect(names == [[0xFF]], "the file is named by the byte given, not by U+FFFD")
    }
}
