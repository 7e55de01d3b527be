import HitTarget

/// A fresh target server for one test, so its counters see only that test's requests.
public func withTargetServer<T>(_ configuration: TargetServer.Configuration = .init(),
                                _ body: (TargetServer) throws -> T) throws -> T {
    let server = try TargetServer(configuration)
    defer { server.shutdown() }
    return try body(server)
}

/// A loopback port with nothing listening on it: bound once by a server that has since stopped.
public func closedPort() throws -> Int {
    let server = try TargetServer()
    let port = server.port
    server.shutdown()
    return port
}
