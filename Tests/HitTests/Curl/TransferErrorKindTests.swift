import CCurlShim
@testable import Hit
import Testing

/// libcurl's error codes sorted into the kinds a user acts on, with libcurl's words kept.
@Suite struct TransferErrorKindTests {
    @Test func kindsFromLibcurlsCodes() {
        let cases: [(CURLcode, String, TransferError.Kind)] = [
            (CURLE_COULDNT_CONNECT, "Failed to connect to 127.0.0.1 port 1 after 0 ms: Couldn't connect to server", .connect),
            (CURLE_OPERATION_TIMEDOUT, "Operation timed out after 1000 milliseconds", .timeout),
            (CURLE_COULDNT_RESOLVE_HOST, "Could not resolve host: nowhere.test", .dns),
            (CURLE_PEER_FAILED_VERIFICATION, "SSL certificate problem: self-signed certificate", .tls),
            (CURLE_RECV_ERROR, "Recv failure: Connection reset by peer", .reset),
            (CURLE_HTTP3, "HTTP/3 stream 0 reset by server", .protocolError),
            // A QUIC connect that is refused (libcurl 8's words) or fails its handshake.
            (CURLE_COULDNT_CONNECT, "QUIC: connection to 127.0.0.1 port 8443 refused", .quic),
            (CURLE_QUIC_CONNECT_ERROR, "QUIC connect: ngtcp2_conn_handshake_completed failed", .quic),
            (CURLE_SEND_FAIL_REWIND, "necessary data rewind wasn't possible", .other),
        ]
        for (code, detail, kind) in cases {
            let error = TransferError(code: code, detail: detail)
            #expect(error.kind == kind, "\(detail)")
            #expect(error.message == detail)
        }
    }
}
