import Dispatch
import Foundation
import NIOCore
import NIOHTTP1

/// Answers the requests of one HTTP/1 connection, or of one HTTP/2 stream, one at a time
/// (NIO's pipeline handler orders pipelined HTTP/1 requests).
final class TargetHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    /// What the connection is, for `TargetStats.SeenRequest`, and where its arrivals go.
    struct Connection {
        var tls = false
        var clientCertificate = false
        /// When the connection last read from its socket.
        var readStamp = ReadStamp()
        var arrivals: ArrivalLog?
    }

    private let stats: TargetStats
    private let connection: Connection
    private var head: HTTPRequestHead?
    private var body: ByteBuffer?
    /// Whether a request has begun and its response has not yet been written.
    private var awaitingResponse = false
    /// Requests answered on this connection, for `/close/{k}`.
    private var answered = 0

    init(stats: TargetStats, connection: Connection) {
        self.stats = stats
        self.connection = connection
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            if let arrivals = connection.arrivals {
                let read = connection.readStamp.nanoseconds.load(ordering: .relaxed)
                arrivals.record(read > 0 ? read : DispatchTime.now().uptimeNanoseconds)
            }
            self.head = head
            body = nil
            awaitingResponse = true
            stats.requestBegan(proxied: head.uri.contains("://"))
        case .body(var chunk):
            if body == nil { body = chunk } else { body!.writeBuffer(&chunk) }
        case .end:
            guard let head else { return }
            stats.requestCompleted(seen(head))
            let now = DispatchTime.now().uptimeNanoseconds
            let stalledUntil = stats.stalledUntil.load(ordering: .acquiring)
            if stalledUntil > now {
                context.eventLoop.assumeIsolated().scheduleTask(in: .nanoseconds(Int64(stalledUntil - now))) {
                    self.route(head, context: context)
                }
            } else {
                route(head, context: context)
            }
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        // The client went away mid-request (a /hang, or an aborted transfer).
        finishRequest()
        context.fireChannelInactive()
    }

    private func seen(_ head: HTTPRequestHead) -> TargetStats.SeenRequest {
        TargetStats.SeenRequest(
            method: head.method.rawValue,
            uri: head.uri,
            version: head.version.major == 2 ? "HTTP/2" : "HTTP/\(head.version.major).\(head.version.minor)",
            headers: head.headers.map { ($0.name, $0.value) },
            body: body.map { Array($0.readableBytesView) } ?? [],
            tls: connection.tls,
            clientCertificate: connection.clientCertificate
        )
    }

    private func route(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
        switch Route(uri: head.uri) {
        case .hello, .redirect(0):
            respond(context, head, status: .ok, body: "Hello, hit\n")
        case .status(let code):
            let status = HTTPResponseStatus(statusCode: code)
            let bodiless = code < 200 || code == 204 || code == 304
            respond(context, head, status: status, body: bodiless ? "" : "\(code)\n")
        case .delay(let milliseconds):
            hello(context, head, after: .milliseconds(Int64(milliseconds)))
        case .tuned:
            hello(context, head, after: .microseconds(stats.tunedLatency.next()))
        case .tune(let setting):
            stats.tunedLatency.set(setting)
            respond(context, head, status: .noContent, body: "")
        case .capacity(let slots, let milliseconds):
            hello(context, head, after: .nanoseconds(Int64(stats.serviceSlots.admit(slots: slots, milliseconds: milliseconds))))
        case .hang:
            break
        case .bytes(let count):
            var buffer = context.channel.allocator.buffer(capacity: count)
            buffer.writeRepeatingByte(UInt8(ascii: "x"), count: count)
            respond(context, head, status: .ok, body: buffer, contentType: "application/octet-stream")
        case .echo:
            respond(context, head, status: .ok, body: echo(head), contentType: "application/json")
        case .redirect(let remaining):
            respond(context, head, status: .found, body: "", location: "/redirect/\(remaining - 1)")
        case .loop:
            respond(context, head, status: .found, body: "", location: "/loop")
        case .notFound:
            respond(context, head, status: .notFound, body: "not found\n")
        case .resetInHeaders:
            writeRaw(context, "HTTP/1.1 200 OK\r\nContent-Type: text/pl")
            reset(context)
        case .resetInBody:
            writeRaw(context, "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n" + String(repeating: "x", count: 1000))
            reset(context)
        case .closeEvery(let k):
            let closeAfter = (answered + 1) % k == 0
            respond(context, head, status: .ok, body: "Hello, hit\n")
            if closeAfter { context.close(promise: nil) }
        case .slowBody(let milliseconds):
            writeRaw(context, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello")
            context.eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(Int64(milliseconds))) {
                self.writeRaw(context, "world")
                self.finishRequest()
            }
        case .badLength:
            writeRaw(context, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789")
            finishRequest()
            context.close(promise: nil)
        case .chunked(let chunks):
            respondChunked(context, head, chunks: chunks)
        }
    }

    /// The hello answer, after `wait`.
    private func hello(_ context: ChannelHandlerContext, _ head: HTTPRequestHead, after wait: TimeAmount) {
        context.eventLoop.assumeIsolated().scheduleTask(in: wait) {
            self.respond(context, head, status: .ok, body: "Hello, hit\n")
        }
    }

    /// `/chunked/N`: N chunks of a chunked response.
    private func respondChunked(_ context: ChannelHandlerContext, _ head: HTTPRequestHead, chunks: Int) {
        guard context.channel.isActive else { return }
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "text/plain")
        headers.add(name: "Transfer-Encoding", value: "chunked")
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .ok, headers: headers))), promise: nil)
        for index in 0..<chunks {
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: "chunk \(index)\n")))), promise: nil)
        }
        finishRequest()
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }

    /// Writes bytes straight to the socket, past the HTTP encoder: for deliberately broken
    /// responses (plain-text connections only).
    private func writeRaw(_ context: ChannelHandlerContext, _ text: String) {
        guard let wire = try? context.pipeline.syncOperations.context(handlerType: WireByteCounter.self) else { return }
        wire.writeAndFlush(NIOAny(ByteBuffer(string: text)), promise: nil)
    }

    /// Closes the connection with a TCP reset (SO_LINGER 0) rather than a FIN.
    private func reset(_ context: ChannelHandlerContext) {
        finishRequest()
        let channel = context.channel
        guard let socket = channel as? any SocketOptionProvider else {
            channel.close(promise: nil)
            return
        }
        socket.setSoLinger(linger(l_onoff: 1, l_linger: 0)).whenComplete { _ in
            channel.close(promise: nil)
        }
    }

    /// The request as JSON: method, uri, version, headers (in order, repeats kept) and body.
    private func echo(_ head: HTTPRequestHead) -> ByteBuffer {
        let bodyBytes = body.map { Array($0.readableBytesView) } ?? []
        let document: [String: Any] = [
            "method": head.method.rawValue,
            "uri": head.uri,
            "version": "\(head.version.major).\(head.version.minor)",
            "headers": head.headers.map { [$0.name, $0.value] },
            "body": String(decoding: bodyBytes, as: UTF8.self),
            "bodyBytes": bodyBytes.count,
        ]
        let data = (try? JSONSerialization.data(withJSONObject: document, options: [.sortedKeys])) ?? Data()
        return ByteBuffer(bytes: data)
    }

    private func respond(_ context: ChannelHandlerContext, _ head: HTTPRequestHead, status: HTTPResponseStatus,
                         body: String, contentType: String = "text/plain", location: String? = nil) {
        respond(context, head, status: status, body: ByteBuffer(string: body), contentType: contentType, location: location)
    }

    private func respond(_ context: ChannelHandlerContext, _ request: HTTPRequestHead, status: HTTPResponseStatus,
                         body: ByteBuffer, contentType: String, location: String? = nil) {
        guard context.channel.isActive else { return }
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: contentType)
        headers.add(name: "Content-Length", value: "\(body.readableBytes)")
        if let location { headers.add(name: "Location", value: location) }
        let http1 = request.version.major < 2
        let keepAlive = request.isKeepAlive
        if http1 && !keepAlive { headers.add(name: "Connection", value: "close") }
        let head = HTTPResponseHead(version: request.version, status: status, headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if request.method != .HEAD, body.readableBytes > 0 {
            context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        }
        finishRequest()
        answered += 1
        let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if http1 && !keepAlive {
            done.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        }
    }

    private func finishRequest() {
        guard awaitingResponse else { return }
        awaitingResponse = false
        stats.requestEnded()
    }
}
