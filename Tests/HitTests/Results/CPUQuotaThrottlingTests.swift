@testable import Hit
import Testing

@Suite struct CPUQuotaThrottlingTests {
    @Test func readsThePeriodsOfCgroupV1AndV2() {
        let v1 = "nr_periods 40\nnr_throttled 38\nthrottled_time 3712345678\n"
        #expect(CPUQuotaThrottling.parse(v1) == .init(enforced: 40, throttled: 38))
        let v2 = "usage_usec 1000\nuser_usec 600\nsystem_usec 400\nnr_periods 12\nnr_throttled 3\nthrottled_usec 250000\n"
        #expect(CPUQuotaThrottling.parse(v2) == .init(enforced: 12, throttled: 3))
        // A v2 group whose cpu controller is not enabled: no quota to speak of.
        #expect(CPUQuotaThrottling.parse("usage_usec 1000\nuser_usec 600\nsystem_usec 400\n") == nil)
    }

    @Test func findsTheGroupAndItsAncestorsInEitherHierarchy() {
        let membership = "12:pids:/a\n4:cpu,cpuacct:/kubepods/pod1/c2\n0::/user.slice/u.scope\n"
        let folders = CPUQuotaThrottling.folders(ofMembership: membership, root: "/cg")
        #expect(folders.contains("/cg/cpu,cpuacct/kubepods/pod1/c2"))
        #expect(folders.contains("/cg/cpu,cpuacct/kubepods/pod1"))
        #expect(folders.contains("/cg/cpu/kubepods"))
        #expect(folders.contains("/cg/cpu,cpuacct"))
        #expect(folders.contains("/cg/user.slice/u.scope"))
        #expect(folders.contains("/cg/unified/user.slice"))
        #expect(!folders.contains { $0.contains("pids") || $0.hasSuffix("/a") })
        // A path that climbs out of the hierarchy is not followed.
        #expect(CPUQuotaThrottling.folders(ofMembership: "1:cpu:/../../etc\n", root: "/cg").isEmpty)
    }

    @Test func theShareIsTheMostThrottledGroupsSinceTheStart() {
        let start = CPUQuotaThrottling(groups: ["/pod": .init(enforced: 100, throttled: 90)])
        let end = CPUQuotaThrottling(groups: ["/pod": .init(enforced: 120, throttled: 95), "/pod/new": .init(enforced: 20, throttled: 19)])
        // The pod's throttling before the run does not count; the group made since counts whole.
        #expect(end.throttledShare(since: start) == 0.95)
        #expect(CPUQuotaThrottling(groups: ["/pod": .init(enforced: 120, throttled: 95)]).throttledShare(since: start) == 0.25)
        #expect(start.throttledShare(since: start) == nil)
        #expect(CPUQuotaThrottling(groups: [:]).throttledShare(since: start) == nil)
    }
}
