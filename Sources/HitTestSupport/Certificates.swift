import Foundation

/// A certificate authority, a server certificate for 127.0.0.1 and localhost, and a client
/// certificate, made at test time with the openssl command (Debian's `openssl` package).
public struct Certificates: Sendable {
    public let directory: String
    public var caCertificate: String { directory + "/ca.pem" }
    public var serverCertificate: String { directory + "/server.pem" }
    public var serverKey: String { directory + "/server.key" }
    public var clientCertificate: String { directory + "/client.pem" }
    public var clientKey: String { directory + "/client.key" }

    /// Made once per test process.
    public static let shared: Result<Certificates, any Error> = Result { try Certificates() }

    private init() throws {
        directory = NSTemporaryDirectory() + "hit-certificates-\(getpid())"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let days = ["-days", "2"]
        try Self.openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", directory + "/ca.key",
                          "-out", caCertificate, "-subj", "/CN=hit test CA"] + days)
        for (name, subject, extensions) in [
            ("server", "/CN=localhost", "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth"),
            ("client", "/CN=hit test client", "extendedKeyUsage=clientAuth"),
        ] {
            let key = "\(directory)/\(name).key", request = "\(directory)/\(name).csr", ext = "\(directory)/\(name).ext"
            try extensions.write(toFile: ext, atomically: true, encoding: .utf8)
            try Self.openssl(["req", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", request, "-subj", subject])
            try Self.openssl(["x509", "-req", "-in", request, "-CA", caCertificate, "-CAkey", directory + "/ca.key",
                              "-CAcreateserial", "-out", "\(directory)/\(name).pem", "-extfile", ext] + days)
        }
    }

    private static func openssl(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CocoaError(.executableLoad, userInfo: [NSLocalizedDescriptionKey: "openssl \(arguments.first ?? "") failed"])
        }
    }
}
