import Hit

/// A server whose certificate this machine does not trust (a self-signed one, a private
/// authority's) fails every request the same way: the run need not handshake all of `-n` to show it.
///
/// The rule: when the first `stopAfter` results all failed TLS certificate verification, the run
/// stops, its report is printed, and it fails (exit 1). Whether or not it stops, the first such
/// failure is explained once on stderr: `--cacert FILE` trusts the authority, `-k` skips the check.
struct UntrustedCertificate {
    /// How many results in a row, from the first, must fail verification to stop the run.
    static let stopAfter = 10

    /// Results seen so far, all of them failed verification.
    private(set) var failuresFromTheStart = 0
    /// Whether a result so far did not fail verification.
    private(set) var sawOther = false
    /// The first verification failure's message.
    private(set) var example: String?

    /// Counts `result`; `true` when the run should stop now.
    mutating func record(_ result: RequestResult) -> Bool {
        guard let error = result.error, Self.isVerificationFailure(error) else {
            sawOther = true
            return false
        }
        if example == nil { example = error.message }
        guard !sawOther else { return false }
        failuresFromTheStart += 1
        return failuresFromTheStart == Self.stopAfter
    }

    /// Why the run stopped, for the report.
    var stopCause: String {
        "the first \(Self.stopAfter) requests all failed TLS certificate verification"
    }

    /// The note for stderr, once; `nil` when no request failed verification.
    var note: String? {
        example.map { "hit: the server's certificate could not be verified (\(ReportWriter.oneLine($0))): "
            + "--cacert FILE trusts the authority that signed it, -k skips the check\n" }
    }

    /// libcurl's words for a certificate it could not verify (OpenSSL's, GnuTLS's, and others').
    static func isVerificationFailure(_ error: TransferError) -> Bool {
        guard error.kind == .tls else { return false }
        let message = error.message.lowercased()
        return ["certificate problem", "certificate verification failed", "unknown ca", "self-signed", "self signed",
                "issuer certificate", "certificate verify failed"].contains { message.contains($0) }
    }
}
