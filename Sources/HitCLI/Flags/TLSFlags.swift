import ArgumentParser
import Hit

/// TLS: certificates are verified by default.
struct TLSFlags: ParsableArguments {
    @Flag(name: [.customShort("k"), .customLong("insecure")], help: "Do not verify the server's certificate or host name.")
    var insecure = false

    @Option(name: .customLong("cacert"), help: ArgumentHelp("Certificate authorities (PEM) to verify the server with.", valueName: "file"))
    var caCertificate: String?

    @Option(name: .customLong("cert"), help: ArgumentHelp("Client certificate (PEM).", valueName: "file"))
    var clientCertificate: String?

    @Option(name: .customLong("key"), help: ArgumentHelp("Private key of the client certificate (PEM).", valueName: "file"))
    var clientKey: String?

    func apply(to client: inout ClientOptions) throws(UsageError) {
        client.insecure = insecure
        if let caCertificate { try Readable.check(caCertificate, flag: "--cacert", holds: "CERTIFICATE") }
        if let clientCertificate { try Readable.check(clientCertificate, flag: "--cert", holds: "CERTIFICATE") }
        if let clientKey {
            guard clientCertificate != nil else { throw UsageError("--key needs --cert") }
            try Readable.check(clientKey, flag: "--key", holds: "PRIVATE KEY")
        } else if let clientCertificate {
            try Readable.check(clientCertificate, flag: "--cert", holds: "PRIVATE KEY")
        }
        client.caCertificate = caCertificate
        client.clientCertificate = clientCertificate
        client.clientKey = clientKey
    }
}
