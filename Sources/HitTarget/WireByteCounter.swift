import Dispatch
import NIOCore

/// Counts the bytes a connection reads from and writes to its socket (before decryption and
/// decompression, after compression and encryption), and stamps when it last read.
final class WireByteCounter: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let stats: TargetStats
    private let readStamp: ReadStamp

    init(stats: TargetStats, readStamp: ReadStamp) {
        self.stats = stats
        self.readStamp = readStamp
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        readStamp.nanoseconds.store(DispatchTime.now().uptimeNanoseconds, ordering: .relaxed)
        stats.read(unwrapInboundIn(data).readableBytes)
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        stats.wrote(unwrapOutboundIn(data).readableBytes)
        context.write(data, promise: promise)
    }
}
