import Dispatch
import Synchronization

/// A one-way, broadcast cancellation signal: the Swift counterpart of closing Go's `done` channel.
///
/// Any number of threads may cancel, any number may check or wait; the first `cancel()` wins and
/// later ones do nothing. Handlers registered with `onCancel` run exactly once, on the cancelling
/// thread, and never after `removeHandler` has returned for them, so a handler may safely touch a
/// resource that its owner frees right after removing it (a curl multi handle, for instance).
public final class CancellationToken: Sendable {
    /// Identifies a handler for `removeHandler`.
    public struct Registration: Sendable, Hashable {
        fileprivate let id: UInt64
    }

    private struct State {
        var cancelled = false
        var nextID: UInt64 = 0
        var handlers: [UInt64: @Sendable () -> Void] = [:]
    }

    private let state = Mutex(State())
    /// The first cancel's reason; a lock of its own, so that a handler may read it.
    private let firstReason = Mutex<StopReason?>(nil)
    private let flag = Atomic<Bool>(false)
    /// Entered once at creation and left on cancellation, so that `wait` wakes every waiter at once.
    private let group = DispatchGroup()

    public init() {
        group.enter()
    }

    deinit {
        // libdispatch refuses to free a group that is still entered.
        if !flag.load(ordering: .acquiring) { group.leave() }
    }

    /// Whether the token has been cancelled. Cheap enough for every hot-path check.
    public var isCancelled: Bool {
        flag.load(ordering: .acquiring)
    }

    /// Why the token was cancelled: the first cancel's reason; `nil` while it is not.
    public var reason: StopReason? {
        firstReason.withLock(for: self) { $0 }
    }

    /// Cancels the token, for `reason` (the first cancel's reason is the one kept). Safe to call
    /// from any thread, any number of times.
    public func cancel(because reason: StopReason = .user) {
        firstReason.withLock(for: self) { if $0 == nil { $0 = reason } }
        // Handlers run under the lock: `removeHandler` then waits for a running handler to finish.
        // Handlers must not call back into this token; the ones in this library only wake waiters.
        state.withLock(for: self) { state in
            guard !state.cancelled else { return }
            state.cancelled = true
            flag.store(true, ordering: .releasing)
            for handler in state.handlers.values { handler() }
            state.handlers.removeAll()
            group.leave()
        }
    }

    /// Registers `handler` to run once when the token is cancelled. If it already is, the handler
    /// runs at once, on this thread, and `nil` is returned.
    @discardableResult
    public func onCancel(_ handler: @escaping @Sendable () -> Void) -> Registration? {
        let registration: Registration? = state.withLock(for: self) { state in
            guard !state.cancelled else { return nil }
            let id = state.nextID
            state.nextID += 1
            state.handlers[id] = handler
            return Registration(id: id)
        }
        if registration == nil { handler() }
        return registration
    }

    /// Cancels `follower` when this token is cancelled, for the same reason: a run's own stop
    /// follows its caller's. Remove the returned registration when the follower's work is done.
    public func forward(to follower: CancellationToken) -> Registration? {
        onCancel { [self] in follower.cancel(because: reason ?? .user) }
    }

    /// Removes a handler. When this returns, the handler is not running and will never run.
    public func removeHandler(_ registration: Registration?) {
        guard let registration else { return }
        _ = state.withLock(for: self) { $0.handlers.removeValue(forKey: registration.id) }
    }

    /// Blocks until the token is cancelled or `deadline` passes. Returns `true` if cancelled.
    @discardableResult
    public func wait(until deadline: DispatchTime = .distantFuture) -> Bool {
        if isCancelled { return true }
        return group.wait(timeout: deadline) == .success
    }
}
