import Dispatch
import Foundation
@testable import Hit
import HitTarget
import HitTestSupport
import Testing

/// Many completed and cancelled runs in one process: threads, file descriptors and libcurl handles
/// all return to their baseline. It runs in a process of its own (an exit test), so that no other
/// test's threads, files or handles are counted.
@Suite struct LeakTests {
    @Test func runsLeaveNothingBehind() async {
        await #expect(processExitsWith: .success) {
            func count(_ directory: String) -> Int {
                (try? FileManager.default.contentsOfDirectory(atPath: directory).count) ?? -1
            }
            let server = try! TargetServer()
            func round(_ index: Int) {
                let token = CancellationToken()
                if index % 2 == 1 {
                    DispatchQueue(label: "hit.test.cancel").asyncAfter(deadline: .now() + .milliseconds(30)) { token.cancel() }
                }
                _ = try! LoadTest(request: Request(url: server.baseURL + (index % 2 == 1 ? "/hang" : "/")),
                                  options: Options(requests: 200, concurrency: 1 + index % 40, rate: index % 3 == 0 ? 5000 : nil))
                    .run(cancellation: token)
            }
            round(0)
            _ = eventually(within: 2) { false }  // let the first run's threads settle into the baseline
            let threads = count("/proc/self/task"), files = count("/proc/self/fd")
            precondition(Diagnostics.liveCurlHandles == 0)
            for index in 1...30 { round(index) }
            precondition(Diagnostics.liveCurlHandles == 0, "libcurl handles left: \(Diagnostics.liveCurlHandles)")
            precondition(eventually(within: 10) { count("/proc/self/fd") <= files },
                         "open files \(count("/proc/self/fd")), baseline \(files)")
            precondition(eventually(within: 20) { count("/proc/self/task") <= threads + 2 },
                         "threads \(count("/proc/self/task")), baseline \(threads)")
            server.shutdown()
        }
    }
}
