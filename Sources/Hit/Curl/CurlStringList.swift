import CCurlShim

/// A libcurl string list (`curl_slist`), built once from Swift strings and freed with its owner.
/// libcurl only reads it, so one list may be shared by every handle that uses it.
/// `@unchecked Sendable`: immutable after `init`; freed in `deinit`, after its last user.
final class CurlStringList: @unchecked Sendable {
    /// The list to hand to libcurl; `nil` when it has no entries.
    let pointer: UnsafeMutablePointer<curl_slist>?

    /// Copies every entry into a new list; `what` names an entry in the error if libcurl cannot
    /// store it ("the header").
    init(_ entries: [String], what: String? = nil) throws(SetupError) {
        var list: UnsafeMutablePointer<curl_slist>?
        for entry in entries {
            guard let appended = curl_slist_append(list, entry) else {
                curl_slist_free_all(list)
                throw SetupError("libcurl could not store \(what.map { $0 + " " } ?? "")'\(entry)'")
            }
            list = appended
        }
        pointer = list
    }

    deinit {
        curl_slist_free_all(pointer)
    }
}
