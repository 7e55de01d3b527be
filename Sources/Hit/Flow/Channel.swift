import DequeModule
import Dispatch
import Synchronization

/// A bounded, multi-producer, multi-consumer channel between two pipeline stages.
///
/// It follows Go's pipeline rules: a send that would block is a choice between the send and
/// cancellation (never a bare blocking send); the stage that owns the channel closes it exactly
/// once, after all of its senders have returned; receivers keep receiving until it is closed.
/// A second `close()` is a programming error and traps, as closing a closed Go channel panics.
///
/// Besides blocking receives, an event loop can poll with `receive(orWake:)` and be woken, through
/// a callback of its own, when an element arrives: it never has to block its loop on the channel.
final class Channel<Element: Sendable>: Sendable {
    /// The result of a receive that does not wait.
    enum Poll: Sendable {
        case element(Element)
        /// Nothing to receive now; the waker will be called when that changes.
        case empty
        /// Closed and drained: nothing more will ever arrive.
        case closed
    }

    /// Someone waiting for the channel to change: a blocked thread or an event loop.
    private struct Waiter {
        let id: UInt64
        let wake: @Sendable () -> Void
    }

    private struct State {
        var buffer: Deque<Element> = []
        var closed = false
        var nextID: UInt64 = 1
        var waitingSenders: [Waiter] = []
        var waitingReceivers: [Waiter] = []

        mutating func newID() -> UInt64 {
            defer { nextID += 1 }
            return nextID
        }

        /// Moves up to `limit` buffered elements into `batch`; `false` if there were none.
        mutating func take(upTo limit: Int, into batch: inout [Element]) -> Bool {
            guard !buffer.isEmpty else { return false }
            let count = min(limit, buffer.count)
            batch.append(contentsOf: buffer.prefix(count))
            buffer.removeFirst(count)
            return true
        }
    }

    /// Identifies one event loop's standing interest in `receive(orWake:)`.
    struct WakerID: Sendable, Hashable {
        fileprivate let value: UInt64
    }

    /// How many elements the channel holds before a send has to wait.
    let capacity: Int
    private let state: Mutex<State>

    init(capacity: Int) {
        precondition(capacity > 0, "a channel needs room for at least one element")
        self.capacity = capacity
        self.state = Mutex(State())
    }

    /// Sends `element`, waiting for room if the channel is full. Returns `false`, dropping the
    /// element, if `cancellation` is cancelled while the send would have to wait.
    /// An element that fits at once is always delivered, so completed work is not lost to a race.
    @discardableResult
    func send(_ element: Element, cancellation: CancellationToken) -> Bool {
        send(contentsOf: CollectionOfOne(element), cancellation: cancellation)
    }

    /// Receives the next element, waiting while the channel is empty. Returns `nil` once the
    /// channel is closed and drained, or when `cancellation` is cancelled while the receive would
    /// have to wait. Pass `nil` to keep receiving until the channel is closed, whatever happens.
    func receive(cancellation: CancellationToken?) -> Element? {
        let received: Element?? = waitUntil(asSender: false, cancellation: cancellation) { state in
            if let element = state.buffer.popFirst() {
                wakeSenderIfDrained(&state)
                return .some(element)
            }
            return state.closed ? .some(nil) : nil
        }
        return received ?? nil
    }

    /// A new identity for `receive(orWake:)`; each event loop takes one and keeps it.
    func makeWakerID() -> WakerID {
        WakerID(value: state.withLock(for: self) { $0.newID() })
    }

    /// Receives an element if one is ready, without waiting. If none is, `wake` is registered under
    /// `id` (replacing any earlier registration under that id) and called once when an element
    /// arrives or the channel closes. `wake` must not call back into this channel.
    func receive(orWake wake: @escaping @Sendable () -> Void, id: WakerID) -> Poll {
        var batch: [Element] = []
        return receive(into: &batch, limit: 1, orWake: wake, id: id) ?? .element(batch[0])
    }

    /// Withdraws a registration made by `receive(orWake:id:)`, if it has not fired yet.
    func removeWaker(_ id: WakerID) {
        state.withLock(for: self) { $0.waitingReceivers.removeAll { $0.id == id.value } }
    }

    /// Closes the channel: receivers drain what is left and then get `nil`. Call exactly once.
    func close() {
        state.withLock(for: self) { state in
            precondition(!state.closed, "close of a closed channel")
            state.closed = true
            // A sender never waits on a channel it could still close, so only receivers wait here.
            for waiter in state.waitingReceivers { waiter.wake() }
            state.waitingReceivers.removeAll()
        }
    }

    /// Whether `close()` has been called.
    var isClosed: Bool {
        state.withLock(for: self) { $0.closed }
    }

    // MARK: - Batches

    /// Sends every element of `elements` in order, waiting for room as needed, with one lock and
    /// one wake-up per batch rather than per element. Returns `false` if `cancellation` stopped it
    /// while it had to wait (the elements not yet sent are dropped).
    @discardableResult
    func send(contentsOf elements: some Collection<Element>, cancellation: CancellationToken) -> Bool {
        var rest = elements[...]
        let sent: Bool? = waitUntil(asSender: true, cancellation: cancellation) { state in
            precondition(!state.closed, "send on a closed channel")
            let batch = rest.prefix(capacity - state.buffer.count)
            state.buffer.append(contentsOf: batch)
            rest = rest.dropFirst(batch.count)
            for _ in 0..<min(batch.count, state.waitingReceivers.count) { Self.wakeOne(&state.waitingReceivers) }
            return rest.isEmpty ? true : nil
        }
        return sent ?? false
    }

    /// Moves up to `limit` elements into `batch` (after what it holds), waiting while the channel
    /// is empty. Returns `false` once the channel is closed and drained, or when `cancellation`
    /// is cancelled while it would have to wait; `nil` keeps receiving until the close.
    func receive(into batch: inout [Element], limit: Int, cancellation: CancellationToken?) -> Bool {
        let received: Bool? = waitUntil(asSender: false, cancellation: cancellation) { state in
            if state.take(upTo: limit, into: &batch) {
                wakeSenderIfDrained(&state)
                return true
            }
            return state.closed ? false : nil
        }
        return received ?? false
    }

    /// Moves up to `limit` elements into `batch` if any are ready, and returns `nil`; if none are,
    /// registers `wake` as `receive(orWake:id:)` does and says why (`.empty` or `.closed`).
    func receive(into batch: inout [Element], limit: Int, orWake wake: @escaping @Sendable () -> Void, id: WakerID) -> Poll? {
        state.withLock(for: self) { state in
            if state.take(upTo: limit, into: &batch) {
                wakeSenderIfDrained(&state)
                return nil
            }
            if state.closed { return .closed }
            state.waitingReceivers.removeAll { $0.id == id.value }
            state.waitingReceivers.append(Waiter(id: id.value, wake: wake))
            return .empty
        }
    }

    /// A waiting sender is woken only once the buffer has drained to half, so that it refills
    /// many slots per wake-up instead of one: a thread switch per element is what this avoids.
    private func wakeSenderIfDrained(_ state: inout State) {
        if state.buffer.count <= capacity / 2 { Self.wakeOne(&state.waitingSenders) }
    }

    // MARK: - Waiting

    /// Runs `attempt` under the lock until it returns a value. Each time it returns `nil`, waits
    /// (among the senders or the receivers) until woken, or until `cancellation` is cancelled, in
    /// which case it gives up and returns `nil`. This is Go's `select` between a channel operation
    /// and `<-ctx.Done()`.
    private func waitUntil<Outcome: Sendable>(asSender: Bool, cancellation: CancellationToken?,
                                    _ attempt: (inout State) -> Outcome?) -> Outcome? {
        while true {
            var waiter: (id: UInt64, semaphore: DispatchSemaphore)?
            let outcome: Outcome? = state.withLock(for: self) { state in
                if let outcome = attempt(&state) { return outcome }
                let semaphore = DispatchSemaphore(value: 0)
                let id = state.newID()
                let entry = Waiter(id: id, wake: { semaphore.signal() })
                if asSender { state.waitingSenders.append(entry) } else { state.waitingReceivers.append(entry) }
                waiter = (id, semaphore)
                return nil
            }
            if let outcome { return outcome }
            guard let (id, semaphore) = waiter else { return nil }
            guard let cancellation else {
                semaphore.wait()
                continue
            }
            if !wait(id: id, on: semaphore, cancellation: cancellation, sender: asSender) { return nil }
        }
    }

    /// Wakes the longest-waiting waiter. Wakers always run under the lock: they are cheap (a
    /// semaphore signal or an eventfd write), and `removeWaker` can then promise that a removed
    /// waker is not running, so its owner may free what the waker touches.
    private static func wakeOne(_ waiters: inout [Waiter]) {
        if !waiters.isEmpty { waiters.removeFirst().wake() }
    }

    /// Waits for `semaphore` or cancellation, whichever comes first. Returns `false` on cancellation.
    private func wait(id: UInt64, on semaphore: DispatchSemaphore, cancellation: CancellationToken, sender: Bool) -> Bool {
        let registration = cancellation.onCancel { semaphore.signal() }
        semaphore.wait()
        cancellation.removeHandler(registration)
        guard cancellation.isCancelled else { return true }
        // Cancelled. If a peer had already picked us to go next, pass that turn on rather than lose it.
        state.withLock(for: self) { state in
            if sender {
                if let index = state.waitingSenders.firstIndex(where: { $0.id == id }) {
                    state.waitingSenders.remove(at: index)
                } else if state.buffer.count < capacity {
                    Self.wakeOne(&state.waitingSenders)
                }
            } else {
                if let index = state.waitingReceivers.firstIndex(where: { $0.id == id }) {
                    state.waitingReceivers.remove(at: index)
                } else if !state.buffer.isEmpty || state.closed {
                    Self.wakeOne(&state.waitingReceivers)
                }
            }
        }
        return false
    }
}
