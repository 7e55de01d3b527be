import Dispatch
@testable import Hit
import HitTestSupport
import Synchronization
import Testing

@Suite struct ChannelTests {
    @Test func deliversInOrderThenDrainsAfterClose() {
        let channel = Channel<Int>(capacity: 4)
        let token = CancellationToken()
        for value in 1...3 { #expect(channel.send(value, cancellation: token)) }
        channel.close()
        #expect(channel.receive(cancellation: token) == 1)
        #expect(channel.receive(cancellation: nil) == 2)
        #expect(channel.receive(cancellation: token) == 3)
        #expect(channel.receive(cancellation: token) == nil)
        #expect(channel.receive(cancellation: nil) == nil)
    }

    @Test func aFullChannelMakesTheSenderWaitForAReceiver() {
        let channel = Channel<Int>(capacity: 1)
        let token = CancellationToken()
        channel.send(1, cancellation: token)
        let sent = Atomic<Bool>(false)
        let done = DispatchSemaphore(value: 0)
        DispatchQueue(label: "hit.test").async {
            sent.store(channel.send(2, cancellation: token), ordering: .relaxed)
            done.signal()
        }
        #expect(done.wait(timeout: .now() + .milliseconds(100)) == .timedOut, "the send should wait: the channel is full")
        #expect(channel.receive(cancellation: token) == 1)
        #expect(done.wait(timeout: .now() + 5) == .success)
        #expect(sent.value == true)
        #expect(channel.receive(cancellation: token) == 2)
    }

    @Test func cancellationUnblocksASenderAndDropsItsValue() {
        let channel = Channel<Int>(capacity: 1)
        let token = CancellationToken()
        channel.send(1, cancellation: token)
        let result = Atomic<Int>(-1)
        let done = DispatchSemaphore(value: 0)
        DispatchQueue(label: "hit.test").async {
            result.store(channel.send(2, cancellation: token) ? 1 : 0, ordering: .relaxed)
            done.signal()
        }
        #expect(done.wait(timeout: .now() + .milliseconds(50)) == .timedOut)
        token.cancel()
        #expect(done.wait(timeout: .now() + 5) == .success)
        #expect(result.value == 0)
        channel.close()
        #expect(channel.receive(cancellation: nil) == 1)
        #expect(channel.receive(cancellation: nil) == nil)
    }

    @Test func cancellationUnblocksAReceiverButNotAnUncancellableOne() {
        let channel = Channel<Int>(capacity: 1)
        let token = CancellationToken()
        let cancellable = DispatchSemaphore(value: 0)
        let uncancellable = DispatchSemaphore(value: 0)
        let late = Atomic<Int>(0)
        DispatchQueue(label: "hit.test").async {
            #expect(channel.receive(cancellation: token) == nil)
            cancellable.signal()
        }
        DispatchQueue(label: "hit.test").async {
            late.store(channel.receive(cancellation: nil) ?? -1, ordering: .relaxed)
            uncancellable.signal()
        }
        token.cancel()
        #expect(cancellable.wait(timeout: .now() + 5) == .success)
        #expect(uncancellable.wait(timeout: .now() + .milliseconds(100)) == .timedOut, "a receive without a token waits for the close")
        channel.send(7, cancellation: CancellationToken())
        #expect(uncancellable.wait(timeout: .now() + 5) == .success)
        #expect(late.value == 7)
    }

    @Test func aValueThatFitsIsDeliveredEvenAfterCancellation() {
        let channel = Channel<Int>(capacity: 2)
        let token = CancellationToken()
        token.cancel()
        #expect(channel.send(5, cancellation: token))
        #expect(channel.receive(cancellation: token) == 5)
        #expect(channel.receive(cancellation: token) == nil)
    }

    @Test func aPollingReceiverIsWokenWhenAValueArrives() {
        let channel = Channel<Int>(capacity: 2)
        let id = channel.makeWakerID()
        let wakes = Atomic<Int>(0)
        let wake: @Sendable () -> Void = { wakes.add(1, ordering: .relaxed) }
        guard case .empty = channel.receive(orWake: wake, id: id) else { Issue.record("expected empty"); return }
        // Registering again under the same id replaces the first registration: one wake, not two.
        guard case .empty = channel.receive(orWake: wake, id: id) else { Issue.record("expected empty"); return }
        channel.send(3, cancellation: CancellationToken())
        #expect(wakes.value == 1)
        guard case .element(3) = channel.receive(orWake: wake, id: id) else { Issue.record("expected 3"); return }
        channel.close()
        guard case .closed = channel.receive(orWake: wake, id: id) else { Issue.record("expected closed"); return }
    }

    @Test func manyProducersAndConsumersLoseNothing() {
        let channel = Channel<Int>(capacity: 3)
        let token = CancellationToken()
        let producers = DispatchGroup()
        for p in 0..<4 {
            DispatchQueue(label: "hit.test").async(group: producers) {
                for i in 0..<500 { channel.send(p * 1000 + i, cancellation: token) }
            }
        }
        let sum = Atomic<Int>(0)
        let count = Atomic<Int>(0)
        let consumers = DispatchGroup()
        for _ in 0..<3 {
            DispatchQueue(label: "hit.test").async(group: consumers) {
                while let value = channel.receive(cancellation: nil) {
                    sum.add(value, ordering: .relaxed)
                    count.add(1, ordering: .relaxed)
                }
            }
        }
        #expect(producers.wait(timeout: .now() + 10) == .success)
        channel.close()
        #expect(consumers.wait(timeout: .now() + 10) == .success)
        #expect(count.value == 2000)
        #expect(sum.value == (0..<4).reduce(0) { $0 + 500 * $1 * 1000 + (0..<500).reduce(0, +) })
    }

    @Test func closingTwiceTraps() async {
        await #expect(processExitsWith: .failure) {
            let channel = Channel<Int>(capacity: 1)
            channel.close()
            channel.close()
        }
    }

    @Test func sendingOnAClosedChannelTraps() async {
        await #expect(processExitsWith: .failure) {
            let channel = Channel<Int>(capacity: 1)
            channel.close()
            channel.send(1, cancellation: CancellationToken())
        }
    }
}
