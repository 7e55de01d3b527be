import CCurlShim

extension CurlEasy {
    /// What the transfer that just ended with `code` amounted to, as libcurl measured it. The
    /// caller places it in the run: `index`, `offset`, `due`, `lateness`, `correctedLatency`.
    func result(code: CURLcode, target: Int) -> RequestResult {
        var status = 0
        var version = 0
        var newConnections = 0
        var headerSize = 0, requestSize = 0
        hit_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        hit_easy_getinfo_long(handle, CURLINFO_HTTP_VERSION, &version)
        hit_easy_getinfo_long(handle, CURLINFO_NUM_CONNECTS, &newConnections)
        hit_easy_getinfo_long(handle, CURLINFO_HEADER_SIZE, &headerSize)
        hit_easy_getinfo_long(handle, CURLINFO_REQUEST_SIZE, &requestSize)
        reusedConnection = newConnections == 0
        // libcurl's times are cumulative from the start of the transfer, in microseconds.
        var nameLookup: curl_off_t = 0, connect: curl_off_t = 0, appConnect: curl_off_t = 0
        var startTransfer: curl_off_t = 0, total: curl_off_t = 0
        var uploaded: curl_off_t = 0, downloaded: curl_off_t = 0
        hit_easy_getinfo_off(handle, CURLINFO_NAMELOOKUP_TIME_T, &nameLookup)
        hit_easy_getinfo_off(handle, CURLINFO_CONNECT_TIME_T, &connect)
        hit_easy_getinfo_off(handle, CURLINFO_APPCONNECT_TIME_T, &appConnect)
        hit_easy_getinfo_off(handle, CURLINFO_STARTTRANSFER_TIME_T, &startTransfer)
        hit_easy_getinfo_off(handle, CURLINFO_TOTAL_TIME_T, &total)
        hit_easy_getinfo_off(handle, CURLINFO_SIZE_UPLOAD_T, &uploaded)
        hit_easy_getinfo_off(handle, CURLINFO_SIZE_DOWNLOAD_T, &downloaded)
        // A paced request that libcurl was ready to write before it was due waited for it in the
        // PREREQFUNCTION callback; libcurl counts that wait, which is hit's and not the server's, from the
        // start of the transfer to the write. It comes before the first response byte.
        let held = Int(stamps.pointee.held_ns / 1000)
        total -= min(held, total)
        if startTransfer > 0 { startTransfer -= min(held, startTransfer) }

        var result = RequestResult(
            status: status,
            bytes: Int(body.pointee.count),
            latency: .microseconds(total),
            error: code == CURLE_OK ? nil : headerBudget.pointee.exceeded != 0
                ? TransferError(kind: .protocolError, message: "the response's headers and trailers passed \(Self.headerLimit) bytes, "
                    + "hit's limit: it stopped reading them")
                : TransferError(code: code, detail: withoutRenderedValues(String(cString: errorBuffer))),
            target: target,
            httpVersion: HTTPVersion(curl: version),
            phases: .init(nameLookup: nameLookup, connect: connect, appConnect: appConnect,
                          startTransfer: startTransfer, total: total, newConnection: newConnections > 0),
            bytesSent: Int(uploaded)
        )
        // HTTP/3 alone asked for, and no QUIC packet came back before the time ran out: the port
        // answers no QUIC (a firewall dropping UDP, a server without HTTP/3), as a refused one does.
        if client.httpVersion == .http3Only, code == CURLE_OPERATION_TIMEDOUT, connect == 0 {
            result.error = TransferError(kind: .quic, message: "no QUIC answer: " + (result.error?.message ?? ""))
        }
        // The head as libcurl received it (every hop's) plus the body before decoding.
        result.connectionsOpened = newConnections
        if stamps.pointee.written_ns != 0 {
            result.requestOnConnection = Int(hit_connection_count(stamps.pointee.connections, handle))
        }
        result.wireBytesReceived = headerSize + Int(downloaded)
        // REQUEST_SIZE holds the body too when it went out with the head; a larger body went alone.
        result.wireBytesSent = requestSize + (Int(uploaded) > requestSize ? Int(uploaded) : 0)
        return result
    }
}

extension CurlEasy {
    /// libcurl's `message` with the rendered request's URL and header lines put back as their
    /// templates wrote them: the values a feed filled in (tokens, user names) never reach a report
    /// through an error's example.
    func withoutRenderedValues(_ message: String) -> String {
        guard let rendered, let template = target?.request, !message.isEmpty else { return message }
        var text = rendered.url.map { $0.isEmpty ? message : message.replacing($0, with: template.url) } ?? message
        for line in rendered.headers ?? [] where !template.headers.contains(line) {
            let value = line.split(separator: ":", maxSplits: 1).dropFirst().first?.trimmingWhitespace() ?? ""
            if value.count >= 3 { text = text.replacing(value, with: "[rendered]") }
        }
        return text
    }
}

extension RequestResult.Phases {
    /// The phases from libcurl's cumulative timers (µs from the start of the transfer), defined
    /// so that they telescope: on a new connection dns + connect + tls + first byte + transfer ==
    /// `total` exactly; on a reused one first byte + transfer == `total`. A transfer that got no
    /// response (`startTransfer` 0) has only the connection phases it went through.
    init(nameLookup: Int, connect: Int, appConnect: Int, startTransfer: Int, total: Int, newConnection: Bool) {
        self.init()
        // When the connection was ready for the request: after TCP connect, or after TLS.
        var ready = 0
        if newConnection, connect > 0 {
            dns = .microseconds(nameLookup)
            self.connect = .microseconds(max(0, connect - nameLookup))
            ready = connect
            if appConnect > 0 {
                tls = .microseconds(max(0, appConnect - connect))
                ready = max(connect, appConnect)
            }
        }
        if startTransfer > 0 {
            firstByte = .microseconds(max(0, startTransfer - ready))
            transfer = .microseconds(max(0, total - startTransfer))
        }
    }
}

extension HTTPVersion {
    /// From CURLINFO_HTTP_VERSION.
    init?(curl value: Int) {
        switch value {
        case CURL_HTTP_VERSION_1_0: self = .http1_0
        case CURL_HTTP_VERSION_1_1: self = .http1_1
        case CURL_HTTP_VERSION_2_0: self = .http2
        case CURL_HTTP_VERSION_3: self = .http3
        default: return nil
        }
    }
}

extension TransferError {
    /// Sorts a libcurl error code into the kind a user acts on, keeping libcurl's own message.
    init(code: CURLcode, detail: String) {
        let kind: Kind = switch code {
        // libcurl 8's words when a QUIC connect is refused (ICMP port unreachable): with
        // --http3-only, the port answers no QUIC, which says something else than a refused TCP port.
        case CURLE_COULDNT_CONNECT where detail.hasPrefix("QUIC"): .quic
        case CURLE_COULDNT_CONNECT: .connect
        case CURLE_OPERATION_TIMEDOUT: .timeout
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY: .dns
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM,
             CURLE_SSL_CIPHER, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR,
             CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CLIENTCERT,
             CURLE_SSL_CRL_BADFILE, CURLE_SSL_SHUTDOWN_FAILED, CURLE_USE_SSL_FAILED:
            .tls
        case CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE: .reset
        case CURLE_WEIRD_SERVER_REPLY, CURLE_HTTP2, CURLE_HTTP2_STREAM, CURLE_BAD_CONTENT_ENCODING,
             CURLE_UNSUPPORTED_PROTOCOL, CURLE_TOO_MANY_REDIRECTS, CURLE_HTTP3:
            .protocolError
        case CURLE_QUIC_CONNECT_ERROR: .quic
        default: .other
        }
        let message = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
        if code == CURLE_HTTP2_STREAM, let reset = Self.streamReset(message) {
            self.init(kind: .reset, message: reset)
        } else {
            self.init(kind: kind, message: message)
        }
    }

    /// libcurl's words for a stream the server reset ("HTTP/2 stream 3 was not closed cleanly:
    /// INTERNAL_ERROR (err 2)"), as what happened: "the server reset stream 3 (RST_STREAM
    /// INTERNAL_ERROR)"; `nil` for other words.
    static func streamReset(_ message: String) -> String? {
        let words = message.split(separator: " ")
        guard let at = words.firstIndex(of: "stream"), at > 0, at + 5 < words.count, words[at - 1] == "HTTP/2", let stream = Int(words[at + 1]),
              words[at + 2] == "was", words[at + 3] == "not", words[at + 4] == "closed", words[at + 5].hasPrefix("cleanly:"),
              at + 6 < words.count
        else { return nil }
        return "the server reset stream \(stream) (RST_STREAM \(words[at + 6]))"
    }
}
