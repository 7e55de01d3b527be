import Hit
import Testing

/// `--shard I/N`: how one run's requests and workers stripe over its shards, and how a shard is
/// named on the command line or found in an engine's environment.
@Suite struct ShardTests {
    static func shards(_ count: Int) throws -> [Shard] {
        try (0..<count).map { try Shard(index: $0, count: count) }
    }

    @Test(arguments: [1, 2, 3, 7, 16])
    func theSharesOfTheRequestsAddUpAndDifferByAtMostOne(count: Int) throws {
        for total in 0...200 {
            let shares = try Self.shards(count).map { $0.share(of: total) }
            #expect(shares.reduce(0, +) == total, "\(total) over \(count)")
            #expect(shares.max()! - shares.min()! <= 1)
            #expect(shares == shares.sorted(by: >), "the lower shards take the remainder")
        }
    }

    @Test(arguments: [1, 2, 3, 7, 16])
    func eachRequestBelongsToExactlyOneShardByItsIndexModuloTheCount(count: Int) throws {
        for total in [0, 1, count - 1, count, count + 1, 100, 101] where total >= 0 {
            var seen: [Int] = []
            for shard in try Self.shards(count) {
                let mine = (0..<shard.share(of: total)).map(shard.globalIndex)
                #expect(mine.allSatisfy { $0 % count == shard.index }, "request j belongs to shard j mod N")
                #expect(mine == mine.sorted(), "a shard sends its requests in the global order")
                seen += mine
            }
            #expect(seen.sorted() == Array(0..<total), "the shards together send 0..<\(total) once each")
        }
    }

    @Test(arguments: [1, 2, 3, 7, 16])
    func theWorkersSplitIntoSharesThatDifferByAtMostOne(count: Int) throws {
        for total in count...(count + 40) {
            let workers = try Self.shards(count).map { $0.workers(of: total) }
            #expect(workers.reduce(0, +) == total)
            #expect(workers.max()! - workers.min()! <= 1)
            #expect(workers.min()! >= 1)
            // With -c at most -n, no shard has more workers than requests: both stripe the same way.
            for shard in try Self.shards(count) {
                for requests in total...(total + 5) {
                    #expect(shard.workers(of: total) <= shard.share(of: requests))
                }
            }
        }
    }

    @Test func aProcessTakesItsShardsShareOfTheRunsNumbers() throws {
        var options = Options(requests: 10, concurrency: 5, rate: 90)
        #expect(options.processShare(ofRequests: 10) == 10 && options.processRate == 90 && options.workers == 5)
        options.shard = try Shard(index: 2, count: 3)
        // Requests 2, 5 and 8 of 0..<10; a third of the rate; workers 1 of 5 = 2 + 2 + 1.
        #expect(options.processShare(ofRequests: 10) == 3 && options.requestLimit == 3)
        #expect(options.processRate == 30)
        #expect(options.workers == 1)
    }

    @Test func theWholeRunIsShardZeroOfOne() {
        #expect(Shard.whole.index == 0 && Shard.whole.count == 1)
        #expect(Shard.whole.share(of: 17) == 17)
        #expect(Shard.whole.workers(of: 5) == 5)
        #expect(Shard.whole.globalIndex(9) == 9)
    }

    @Test(arguments: [("0/1", 0, 1), ("0/3", 0, 3), ("2/3", 2, 3), ("99999/100000", 99999, 100_000)])
    func parsesIndexOverCount(text: String, index: Int, count: Int) throws {
        let shard = try Shard.parse(text)
        #expect(shard.index == index && shard.count == count)
        #expect(shard.description == text)
    }

    @Test(arguments: [
        ("3/3", "the index runs from 0 to 2"), ("-1/3", "the index runs from 0 to 2"),
        ("0/0", "the count must be at least 1"), ("0/-2", "the count must be at least 1"),
        ("0/100001", "the count is above 100000"),
        ("x", "is not I/N"), ("1", "is not I/N"), ("1/", "is not I/N"), ("/3", "is not I/N"),
        ("1/2/3", "is not I/N"), ("1.0/3", "is not I/N"), ("", "is not I/N"),
        ("99999999999999999999/3", "is not I/N"),
    ])
    func refusesWhatIsNotAShard(text: String, message: String) {
        #expect {
            try Shard.parse(text)
        } throws: { error in
            (error as? Shard.ParseError)?.description.contains(message) == true
        }
    }

    @Test func anIndexedJobGivesTheIndexAndTheManifestTheCount() throws {
        let (shard, source) = try Shard.fromEnvironment(["JOB_COMPLETION_INDEX": "2", "HIT_SHARD_COUNT": "5"])
        #expect(shard == (try Shard(index: 2, count: 5)))
        #expect(source.description == "JOB_COMPLETION_INDEX and HIT_SHARD_COUNT")
    }

    @Test func slurmGivesTheProcessIDAndTheTaskCount() throws {
        let (shard, source) = try Shard.fromEnvironment(["SLURM_PROCID": "0", "SLURM_NTASKS": "4", "SLURM_JOB_ID": "77"])
        #expect(shard == (try Shard(index: 0, count: 4)))
        #expect(source.description == "SLURM_PROCID and SLURM_NTASKS")
    }

    @Test func kubernetesComesFirstWhenBothAreSet() throws {
        let (shard, source) = try Shard.fromEnvironment(["JOB_COMPLETION_INDEX": "1", "HIT_SHARD_COUNT": "2",
                                                         "SLURM_PROCID": "3", "SLURM_NTASKS": "8"])
        #expect(shard == (try Shard(index: 1, count: 2)))
        #expect(source.indexVariable == "JOB_COMPLETION_INDEX")
    }

    @Test(arguments: [
        ([:], "neither JOB_COMPLETION_INDEX"),
        (["JOB_COMPLETION_INDEX": "1"], "HIT_SHARD_COUNT is not"),
        (["SLURM_PROCID": "1"], "SLURM_NTASKS is not"),
        (["JOB_COMPLETION_INDEX": "x", "HIT_SHARD_COUNT": "3"], "are not whole numbers"),
        (["JOB_COMPLETION_INDEX": "3", "HIT_SHARD_COUNT": "3"], "the index runs from 0 to 2"),
        (["SLURM_PROCID": "0", "SLURM_NTASKS": "0"], "the count must be at least 1"),
    ] as [([String: String], String)])
    func anIncompleteEnvironmentIsNamed(environment: [String: String], message: String) {
        #expect {
            try Shard.fromEnvironment(environment)
        } throws: { error in
            (error as? Shard.ParseError)?.description.contains(message) == true
        }
    }
}

/// What `Options` derives for one shard of a run.
@Suite struct ShardOptionsTests {
    @Test func aShardSendsItsShareOfTheRequestsWithItsShareOfTheWorkersAndTheRate() throws {
        var options = Options(requests: 100, concurrency: 10, rate: 90)
        options.shard = try Shard(index: 0, count: 3)
        #expect(options.totalRequestLimit == 100)
        #expect(options.requestLimit == 34)
        #expect(options.workers == 4)
        #expect(options.processPeakRate == 30)
        options.shard = try Shard(index: 2, count: 3)
        #expect(options.requestLimit == 33)
        #expect(options.workers == 3)
        try options.validate()
    }

    @Test func stagesSplitTheirScheduledRequests() throws {
        // 0 → 200 requests/s over 1 s schedules 100 requests.
        var options = Options(requests: nil, concurrency: 6)
        options.stages = [Stage(duration: .seconds(1), target: 200)]
        #expect(options.totalRequestLimit == 100)
        let shares = try (0..<3).map { index -> Int? in
            options.shard = try Shard(index: index, count: 3)
            return options.requestLimit
        }
        #expect(shares == [34, 33, 33])
        #expect(options.processPeakRate! == 200.0 / 3)
    }

    @Test func everyShardNeedsAWorkerAndARequest() throws {
        var options = Options(requests: 100, concurrency: 2)
        options.shard = try Shard(index: 0, count: 3)
        #expect(throws: Options.Problem.fewerWorkersThanShards(concurrency: 2, shards: 3)) { try options.validate() }
        options = Options(requests: nil, concurrency: 3)
        options.stages = [Stage(duration: .seconds(1), target: 4)]  // 2 requests
        options.shard = try Shard(index: 0, count: 3)
        #expect(throws: Options.Problem.fewerRequestsThanShards(requests: 2, shards: 3)) { try options.validate() }
    }
}
