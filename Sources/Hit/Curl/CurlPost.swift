import CCurlShim

/// One easy handle that POSTs bodies to one URL and waits for the answer: how an exporter sends
/// its metrics, off the load's event loops. The response's body is counted and discarded.
/// `@unchecked Sendable`: used by one thread at a time (the exporter's serial queue).
final class CurlPost: @unchecked Sendable {
    private let handle: UnsafeMutableRawPointer
    private let sink: UnsafeMutablePointer<hit_body_sink>
    private let errorBuffer: UnsafeMutablePointer<CChar>
    private let headers: CurlStringList?

    /// What a POST came to: the status of the response, or libcurl's error.
    enum Outcome: Equatable {
        case status(Int)
        case failed(String)
    }

    /// Posts to `url` with `headers` (`Name: value` lines, which no message ever shows) within
    /// `timeout`.
    init(url: String, headers: [String], timeout: Duration) throws(SetupError) {
        do {
            // The error would quote the entry, and headers hold tokens.
            self.headers = headers.isEmpty ? nil : try CurlStringList(headers)
        } catch {
            throw SetupError("libcurl could not store the exporter's headers")
        }
        guard curlIsInitialised, let handle = curl_easy_init() else { throw SetupError("libcurl could not be initialised") }
        self.handle = handle
        sink = .allocate(capacity: 1)
        sink.initialize(to: hit_body_sink(count: 0, kept: nil, kept_size: 0, capacity: 0))
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        _ = hit_easy_setopt_string(handle, CURLOPT_URL, url)
        _ = hit_easy_setopt_long(handle, CURLOPT_POST, 1)
        _ = hit_easy_setopt_long(handle, CURLOPT_TIMEOUT_MS, Int(max(1, timeout.milliseconds)))
        _ = hit_easy_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        _ = hit_easy_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "http,https")
        _ = hit_easy_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer)
        _ = hit_easy_sink_body(handle, sink)
        if let list = self.headers { _ = hit_easy_setopt_slist(handle, CURLOPT_HTTPHEADER, list.pointer) }
    }

    deinit {
        curl_easy_cleanup(handle)
        sink.deallocate()
        errorBuffer.deallocate()
    }

    /// Sends `body` and waits for the answer (at most the timeout).
    func post(_ body: [UInt8]) -> Outcome {
        errorBuffer[0] = 0
        let code = body.withUnsafeBytes { bytes -> CURLcode in
            _ = hit_easy_setopt_off(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(bytes.count))
            _ = hit_easy_setopt_pointer(handle, CURLOPT_POSTFIELDS, UnsafeMutableRawPointer(mutating: bytes.baseAddress))
            return curl_easy_perform(handle)
        }
        guard code == CURLE_OK else {
            let detail = String(cString: errorBuffer)
            return .failed(detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail)
        }
        var status = 0
        hit_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        return .status(status)
    }
}
