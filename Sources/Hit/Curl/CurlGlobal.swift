import CCurlShim

/// libcurl's process-wide set-up, done once, before the first handle is made.
let curlIsInitialised: Bool = hit_curl_global_init() == CURLE_OK

/// libcurl before 8.0.0 breaks HTTP/2 prior knowledge on a reused connection ("Error in the
/// HTTP2 framing layer", curl/curl#10634, fixed by curl/curl#10643); Debian 12 ships 7.88.1.
let h2cReuseIsBroken = hit_curl_version_number() < 0x08_00_00
