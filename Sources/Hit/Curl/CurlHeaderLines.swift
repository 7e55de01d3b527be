import CCurlShim

/// A worker's header list for rendered requests: a `curl_slist` whose nodes and text buffers it
/// owns and reuses from one transfer to the next, so that a templated header costs a copy of its
/// bytes, not a list built and freed for every request. libcurl only reads a header list while a
/// transfer runs; it is rewritten between transfers. Not thread-safe: its worker's loop uses it.
final class CurlHeaderLines {
    private var nodes: UnsafeMutablePointer<curl_slist>?
    private var buffers: [UnsafeMutablePointer<CChar>] = []
    private var capacities: [Int] = []

    /// The list to hand to libcurl, holding `lines`; `nil` for none.
    func set(_ lines: [String]) -> UnsafeMutablePointer<curl_slist>? {
        guard !lines.isEmpty else { return nil }
        if buffers.count != lines.count { reallocate(lines.count) }
        guard let nodes else { return nil }
        for (index, line) in lines.enumerated() {
            let size = line.utf8.count + 1
            if capacities[index] < size {
                buffers[index].deallocate()
                capacities[index] = max(size, 2 * capacities[index])
                buffers[index] = .allocate(capacity: capacities[index])
            }
            let buffer = buffers[index]
            line.utf8.withContiguousStorageIfAvailable { bytes in
                UnsafeMutableRawPointer(buffer).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
            } ?? {
                for (offset, byte) in line.utf8.enumerated() { buffer[offset] = CChar(bitPattern: byte) }
            }()
            buffer[size - 1] = 0
            nodes[index].data = buffer
            nodes[index].next = index + 1 < lines.count ? nodes + index + 1 : nil
        }
        return nodes
    }

    private func reallocate(_ count: Int) {
        free()
        nodes = .allocate(capacity: count)
        buffers = (0..<count).map { _ in .allocate(capacity: 64) }
        capacities = Array(repeating: 64, count: count)
    }

    private func free() {
        buffers.forEach { $0.deallocate() }
        nodes?.deallocate()
        nodes = nil
        buffers = []
        capacities = []
    }

    deinit {
        free()
    }
}
