import NIOCore

/// Counts the bytes a connection writes to its socket, after compression and encryption.
final class WireByteCounter: ChannelOutboundHandler {
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let stats: TargetStats

    init(stats: TargetStats) {
        self.stats = stats
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        stats.wrote(unwrapOutboundIn(data).readableBytes)
        context.write(data, promise: promise)
    }
}
