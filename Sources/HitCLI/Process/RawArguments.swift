#if canImport(Glibc)
import Glibc
#endif

/// The command line's arguments as the bytes the process was given. Swift decodes arguments as
/// UTF-8 and replaces invalid bytes with U+FFFD; a request body (`-d`) and a path must keep the
/// bytes the user typed, so those are looked up here.
struct RawArguments: Sendable {
    private let bytesByDecoded: [String: [UInt8]]

    /// `arguments`, each as its bytes; a decoded argument maps back to its bytes.
    init(_ arguments: [[UInt8]]) {
        var map: [String: [UInt8]] = [:]
        for bytes in arguments { map[String(decoding: bytes, as: UTF8.self)] = bytes }
        bytesByDecoded = map
    }

    /// The process's own arguments, after the program name.
    static var process: RawArguments {
        RawArguments((1..<Int(CommandLine.argc)).map { index in
            guard let argument = CommandLine.unsafeArgv[index] else { return [] }
            return Array(UnsafeBufferPointer(start: UnsafeRawPointer(argument).assumingMemoryBound(to: UInt8.self),
                                             count: strlen(argument)))
        })
    }

    /// The bytes behind `value`: an argument as given, or a part of one after a prefix such as
    /// `@` or `--data=`, which keeps the bytes that follow it.
    func bytes(of value: String) -> [UInt8] {
        guard value.unicodeScalars.contains("\u{FFFD}") else { return Array(value.utf8) }
        if let exact = bytesByDecoded[value] { return exact }
        for (decoded, bytes) in bytesByDecoded where decoded.hasSuffix(value) {
            let prefix = decoded.dropLast(value.count)
            let prefixBytes = Array(prefix.utf8)
            if bytes.starts(with: prefixBytes) { return Array(bytes.dropFirst(prefixBytes.count)) }
        }
        return Array(value.utf8)
    }

    /// `value` as a C string of its original bytes, for a path.
    func withPath<R>(_ value: String, _ body: (UnsafePointer<CChar>) -> R) -> R {
        let bytes = self.bytes(of: value) + [0]
        return bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { body($0.baseAddress!) }
        }
    }
}
