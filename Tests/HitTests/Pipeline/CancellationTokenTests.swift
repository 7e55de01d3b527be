import Dispatch
import Hit
import HitTestSupport
import Synchronization
import Testing

@Suite struct CancellationTokenTests {
    @Test func theFirstReasonIsKeptAndForwarded() {
        let caller = CancellationToken(), run = CancellationToken()
        let forward = caller.forward(to: run)
        defer { caller.removeHandler(forward) }
        #expect(caller.reason == nil)
        caller.cancel(because: .caller(cause: "the reader went away", fails: false))
        caller.cancel(because: .deadline)
        #expect(caller.reason == .caller(cause: "the reader went away", fails: false))
        #expect(run.isCancelled && run.reason == caller.reason)
        let plain = CancellationToken()
        plain.cancel()
        #expect(plain.reason == .user)
    }

    @Test func handlersRunOnceWhenCancelled() {
        let token = CancellationToken()
        let calls = Atomic<Int>(0)
        token.onCancel { calls.add(1, ordering: .relaxed) }
        token.onCancel { calls.add(1, ordering: .relaxed) }
        #expect(!token.isCancelled)
        token.cancel()
        token.cancel()
        #expect(token.isCancelled)
        #expect(calls.value == 2)
    }

    @Test func aHandlerAddedAfterCancellationRunsAtOnce() {
        let token = CancellationToken()
        token.cancel()
        let ran = Atomic<Bool>(false)
        let registration = token.onCancel { ran.store(true, ordering: .relaxed) }
        #expect(registration == nil)
        #expect(ran.value == true)
    }

    @Test func aRemovedHandlerNeverRuns() {
        let token = CancellationToken()
        let ran = Atomic<Bool>(false)
        let registration = token.onCancel { ran.store(true, ordering: .relaxed) }
        token.removeHandler(registration)
        token.cancel()
        #expect(ran.value == false)
    }

    @Test func cancellingFromManyThreadsAtOnceRunsEachHandlerOnce() {
        for _ in 0..<50 {
            let token = CancellationToken()
            let calls = Atomic<Int>(0)
            for _ in 0..<8 { token.onCancel { calls.add(1, ordering: .relaxed) } }
            DispatchQueue.concurrentPerform(iterations: 16) { _ in token.cancel() }
            #expect(calls.value == 8)
        }
    }

    @Test func waitWakesEveryWaiterOnCancel() {
        let token = CancellationToken()
        let woken = Atomic<Int>(0)
        let waiters = DispatchGroup()
        for _ in 0..<10 {
            DispatchQueue(label: "hit.test").async(group: waiters) {
                if token.wait() { woken.add(1, ordering: .relaxed) }
            }
        }
        token.cancel()
        #expect(waiters.wait(timeout: .now() + 5) == .success)
        #expect(woken.value == 10)
    }

    @Test func waitReturnsFalseAtTheDeadline() {
        let token = CancellationToken()
        let start = DispatchTime.now()
        #expect(token.wait(until: .now() + .milliseconds(50)) == false)
        let waited = DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds
        #expect(waited >= 45_000_000)
    }
}
