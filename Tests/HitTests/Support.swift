import Dispatch
import Hit
import HitTarget
import Testing

/// A fresh target server for one test, so its counters see only that test's requests.
func withTargetServer<T>(_ body: (TargetServer) throws -> T) throws -> T {
    let server = try TargetServer()
    defer { server.shutdown() }
    return try body(server)
}

/// Milliseconds since `start`.
func millisecondsSince(_ start: DispatchTime) -> Double {
    Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e6
}

/// Polls `condition` until it holds or `seconds` pass.
func eventually(within seconds: Double = 5, _ condition: () -> Bool) -> Bool {
    let deadline = DispatchTime.now() + seconds
    while DispatchTime.now() < deadline {
        if condition() { return true }
        usleep(2_000)
    }
    return condition()
}

/// A loopback port with nothing listening on it: bound once by a server that has since stopped.
func closedPort() throws -> Int {
    let server = try TargetServer()
    let port = server.port
    server.shutdown()
    return port
}

#if canImport(Glibc)
import Glibc
#endif

import Synchronization

extension Atomic where Value == Int {
    /// The current value. (`#expect` cannot take a method call on a non-copyable value apart.)
    var value: Int { load(ordering: .sequentiallyConsistent) }
}

extension Atomic where Value == Bool {
    var value: Bool { load(ordering: .sequentiallyConsistent) }
}
