@testable import Hit
import Testing

@Suite struct ArrivalScheduleTests {
    static let rampHoldDown = ArrivalSchedule(stages: try! Stage.parseList("30s:1000,2m:1000,30s:0"))

    @Test func stagesReadAsK6WritesThem() throws {
        #expect(try Stage.parseList("30s:1000,2m:1000,30s:0") == [Stage(duration: .seconds(30), target: 1000),
                                                                   Stage(duration: .seconds(120), target: 1000),
                                                                   Stage(duration: .seconds(30), target: 0)])
        #expect(try Stage.parseList(" 1m30s:2.5 , 500ms:0") == [Stage(duration: .seconds(90), target: 2.5), Stage(duration: .milliseconds(500), target: 0)])
    }

    @Test(arguments: [("", "empty"), ("30s", "not DURATION:RATE"), ("30:100", "not a duration"), ("0s:100", "lasts no time"),
                      ("30s:-1", "not a rate"), ("30s:abc", "not a rate"), ("30s:100,", "empty stage"), ("30s:nan", "not a rate"),
                      ("30s:1e99", "above"), ("31d:1", "not a duration")])
    func badStagesAreRefusedNamingThePart(text: String, message: String) {
        #expect { try Stage.parseList(text) } throws: { ($0 as? Stage.ParseError)?.description.contains(message) == true }
    }

    @Test func aConstantRateIsIndexOverRate() {
        let schedule = ArrivalSchedule(rate: 400)
        for index in [0, 1, 2, 399, 400, 123_456] {
            #expect(schedule.due(index) == .nanoseconds(Int64((Double(index) / 400 * 1e9).rounded())))
        }
        #expect(schedule.totalRequests == nil && schedule.end == nil)
        #expect(schedule.count(dueBy: .seconds(1)) == 401, "requests 0 to 400 are due by 1 s")
        #expect(schedule.count(dueBefore: .seconds(1)) == 400, "request 400, due at 1 s, is not due before it")
        #expect(schedule.count(dueBefore: .milliseconds(1001)) == 401)
        #expect(schedule.count(dueBefore: .zero) == 0)
    }

    @Test func dueTimesAreWhereTheIntegralReachesTheIndexToTheNanosecond() throws {
        let schedule = Self.rampHoldDown
        // 15,000 in the ramp up, 120,000 held, 15,000 in the ramp down.
        #expect(schedule.totalRequests == 150_000)
        #expect(schedule.end == .seconds(180))
        var previous = -1.0
        for index in [0, 1, 2, 3, 10, 100, 1_000, 14_999, 15_000, 15_001, 80_000, 134_999, 135_000, 140_000, 149_990, 149_999] {
            let due = try #require(schedule.dueSeconds(Double(index)), "request \(index)")
            #expect(due > previous || index == 0, "due times increase")
            previous = due
            // The integral at the due time, rounded to the nanosecond, is the index: within the
            // requests one nanosecond holds at that rate.
            let nanoseconds = (due * 1e9).rounded()
            let reached = schedule.integral(at: .nanoseconds(Int64(nanoseconds)))
            let slack = max(schedule.rate(at: .nanoseconds(Int64(nanoseconds))), 1000) * 1e-9 + 1e-9 * Double(index)
            #expect(abs(reached - Double(index)) <= slack, "request \(index): integral \(reached) at \(due) s")
        }
        #expect(schedule.due(150_000) == nil, "nothing after the end")
        // The ramp up's closed form: request i at √(2i·30/1000) s.
        let middle = try #require(schedule.dueSeconds(7_500))
        let closedForm: Double = (2.0 * 7_500 * 30 / 1000).squareRoot()
        #expect(abs(middle - closedForm) < 1e-9)
        #expect(schedule.count(dueBy: .seconds(30)) == 15_001 && schedule.count(dueBy: .seconds(180)) == 150_000)
        #expect(schedule.peakRate == 1000 && schedule.rate(at: .seconds(15)) == 500 && schedule.rate(at: .seconds(200)) == 0)
    }

    @Test func theFirstStageStartsFromTheGivenRate() throws {
        let schedule = ArrivalSchedule(stages: [Stage(duration: .seconds(10), target: 300)], initialRate: 100)
        #expect(schedule.totalRequests == 2_000)
        // 100·τ + 10·τ² = 100 (the rate rises by 20 a second).
        let due = try #require(schedule.dueSeconds(100))
        let root: Double = (10_000.0 + 4 * 10 * 100).squareRoot()
        #expect(abs(due - (root - 100) / 20) < 1e-9)
        // A stage at a steady rate is index ÷ rate; one from 0 to 0 schedules nothing.
        let steady = ArrivalSchedule(stages: [Stage(duration: .seconds(2), target: 0), Stage(duration: .seconds(3), target: 0),
                                              Stage(duration: .seconds(1), target: 50)])
        #expect(steady.totalRequests == 25)
        #expect(steady.dueSeconds(0) == 5, "the first request waits for the rate to rise")
    }

    @Test func optionsTakeTheStagesAsTheEnd() throws {
        var options = Options(requests: nil, concurrency: 10)
        options.stages = try Stage.parseList("2s:100")
        #expect(throws: Never.self) { try options.validate() }
        #expect(options.requestLimit == 100)
        options.requests = 40
        #expect(options.requestLimit == 40, "-n caps the stages")
        options.stages = try Stage.parseList("2s:0")
        #expect(throws: Options.Problem.stagesScheduleNothing) { try options.validate() }
        options = Options(requests: 10, concurrency: 2)
        options.rampUp = .seconds(1)
        #expect(throws: Never.self) { try options.validate() }
        options.rate = 5
        #expect(throws: Options.Problem.rampUpWithRate) { try options.validate() }
    }

    @Test func aRateTheOptionsRefuseSchedulesNothingAndIsRefusedBeforeAnythingDerivesFromIt() {
        let stages = [Stage(duration: .seconds(1), target: 10)]
        for rate in [Double.nan, -.infinity, -1e300] {
            // Before, the requests of the stages were counted from the rate first: Int(NaN) trapped.
            #expect(ArrivalSchedule(stages: stages, initialRate: rate).totalRequests == 0)
            var options = Options(requests: nil, concurrency: 10, rate: rate)
            options.stages = stages
            for check in [options.validate, options.validateGiven] {
                do {
                    try check()
                    Issue.record("-rps \(rate) passed")
                } catch {
                    // Refused as the rate it is (the command names it -rps).
                    guard case .rateNotPositive = error else {
                        Issue.record("\(rate): \(error)")
                        continue
                    }
                    #expect(error.description.hasPrefix("the rate must be a positive, finite number"), "\(error)")
                }
            }
        }
    }
}
