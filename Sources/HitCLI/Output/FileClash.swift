#if canImport(Glibc)
import Glibc
#endif

/// The files a command reads and the files it writes, compared before anything is written or
/// sent: no output may be an input (`hit report run.json --html run.json` would replace the JSON
/// it reads) nor another output (`--output-file x --json-file x` would glue two formats into one
/// file). Files are compared by device and inode, so that two spellings of one file (a symlink,
/// `./x` and `x`) clash too; an output that does not exist yet is compared by its path, with its
/// directory resolved. Only regular files, and outputs yet to be created, are compared: devices
/// (`/dev/null`, `/dev/stdout` on a terminal) and FIFOs may rightly take several streams.
struct FileClash {
    /// A file as the command names it: the flag (or `stdout`) and the path.
    struct Named {
        let name: String
        let path: String
    }

    /// Files the command reads (- for standard input).
    var inputs: [Named] = []
    /// Files the command writes.
    var outputs: [Named] = []
    /// The descriptor of standard output when the report goes there, to be compared as an output.
    var standardOutput: Int32?

    private enum Identity: Equatable {
        case file(dev: UInt64, ino: UInt64)
        case path(String)
    }

    /// Refuses, in one line, an output that is an input or another output.
    func check(raw: RawArguments) throws(UsageError) {
        var seen: [(identity: Identity, what: String)] = []
        for input in inputs {
            if let identity = Self.identity(ofInput: input.path, raw: raw) { seen.append((identity, "the input \(Self.describe(input))")) }
        }
        var written: [(Identity, Named)] = []
        if let standardOutput, let identity = Self.identity(of: standardOutput) {
            written.append((identity, Named(name: "stdout", path: "")))
        }
        for output in outputs {
            if let identity = Self.identity(ofOutput: output.path, raw: raw) { written.append((identity, output)) }
        }
        for (identity, output) in written {
            if let earlier = seen.first(where: { $0.identity == identity }) {
                let verb = earlier.what.hasPrefix("the input") ? "it would overwrite what hit reads" : "each output needs a file of its own"
                throw UsageError("\(Self.describe(output)) is the same file as \(earlier.what): \(verb)")
            }
            seen.append((identity, Self.describe(output)))
        }
    }

    private static func describe(_ file: Named) -> String {
        if file.path.isEmpty { return file.name }
        return (file.name.isEmpty ? "" : file.name + " ") + "'\(UsageError.escaped(file.path))'"
    }

    private static func identity(of descriptor: Int32) -> Identity? {
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { return nil }
        return .file(dev: UInt64(status.st_dev), ino: UInt64(status.st_ino))
    }

    private static func identity(ofInput path: String, raw: RawArguments) -> Identity? {
        if path == "-" { return identity(of: STDIN_FILENO) }
        var status = stat()
        guard raw.withPath(path, { stat($0, &status) }) == 0, status.st_mode & S_IFMT == S_IFREG else { return nil }
        return .file(dev: UInt64(status.st_dev), ino: UInt64(status.st_ino))
    }

    private static func identity(ofOutput path: String, raw: RawArguments) -> Identity? {
        var status = stat()
        if raw.withPath(path, { stat($0, &status) }) == 0 {
            guard status.st_mode & S_IFMT == S_IFREG else { return nil }
            return .file(dev: UInt64(status.st_dev), ino: UInt64(status.st_ino))
        }
        // Not there yet (or a dangling symlink, which open follows): its directory, resolved, and its name.
        let bytes = raw.bytes(of: path)
        let slash = bytes.lastIndex(of: UInt8(ascii: "/"))
        let directory: [UInt8] = slash.map { $0 == 0 ? [UInt8(ascii: "/")] : Array(bytes[..<$0]) } ?? [UInt8(ascii: ".")]
        let name = slash.map { Array(bytes[($0 + 1)...]) } ?? bytes
        guard let resolved = (directory + [0]).withUnsafeBufferPointer({ buffer in
            buffer.withMemoryRebound(to: CChar.self) { realpath($0.baseAddress!, nil) }
        }) else {
            return .path(String(decoding: bytes, as: UTF8.self))
        }
        defer { free(resolved) }
        return .path(String(cString: resolved) + "/" + String(decoding: name, as: UTF8.self))
    }
}

extension OutputFlags {
    /// The files these flags write.
    var outputFiles: [FileClash.Named] {
        [("--output-file", outputFile), ("--json-file", jsonFile), ("--csv-file", csvFile), ("--hlog", hlogFile),
         ("--hgrm", hgrmFile), ("--html", htmlFile)].compactMap { name, path in path.map { FileClash.Named(name: name, path: $0) } }
    }
}

extension HitCommand {
    /// What a run reads and writes.
    func fileClash(standardOutput: Int32) -> FileClash {
        var inputs: [FileClash.Named] = []
        func add(_ name: String, _ path: String?) {
            if let path { inputs.append(FileClash.Named(name: name, path: path)) }
        }
        add("-f", request.targetsFile)
        for header in request.headers where header.hasPrefix("@") { add("-H", String(header.dropFirst())) }
        if let data = request.data, data.hasPrefix("@") { add("-d", String(data.dropFirst())) }
        add("-D", request.dataFile)
        add("--cacert", tls.caCertificate)
        add("--cert", tls.clientCertificate)
        add("--key", tls.clientKey)
        add("--netrc-file", connection.netrcFile)
        return FileClash(inputs: inputs, outputs: output.outputFiles, standardOutput: output.outputFile == nil ? standardOutput : nil)
    }
}

extension MergeCommand {
    /// What a merge reads and writes.
    func fileClash(standardOutput: Int32) -> FileClash {
        FileClash(inputs: inputs.map { FileClash.Named(name: "", path: $0) }, outputs: output.outputFiles,
                  standardOutput: output.outputFile == nil ? standardOutput : nil)
    }
}

extension ReportCommand {
    /// What `hit report` reads and writes.
    func fileClash(standardOutput: Int32) -> FileClash {
        FileClash(inputs: [given].compactMap { $0 }.map { FileClash.Named(name: "", path: $0) }, outputs: output.outputFiles,
                  standardOutput: output.outputFile == nil ? standardOutput : nil)
    }
}
