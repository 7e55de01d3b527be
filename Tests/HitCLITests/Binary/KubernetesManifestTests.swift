import Foundation
import HitTarget
import HitTestSupport
import Testing

/// deploy/kubernetes/hit-job.yaml: valid for the Kubernetes API, one Indexed Job whose pods are
/// the shards of one run, and a command line that, run as the Job's pods run it
/// (scripts/kube-local), sends exactly the run's requests and merges into a report of every shard.
@Suite struct KubernetesManifestTests {
    static let root = #filePath.components(separatedBy: "/Tests/")[0]
    static let manifest = root + "/deploy/kubernetes/hit-job.yaml"
    static let kubeLocalScript = root + "/scripts/kube-local"
    static let pyYAML = ExternalTool.exists("python3") && ((try? ExternalTool.python("import yaml"))?.status == 0)

    @Test(.enabled(if: ExternalTool.exists("kubernetes-validate"), "needs kubernetes-validate (scripts/setup kubernetes-validate)"))
    func theManifestValidatesStrictly() throws {
        let validate = try ExternalTool("kubernetes-validate", ["--strict", Self.manifest])
        #expect(validate.status == 0, "\(validate.stdout)\(validate.stderr)")
        let output = validate.stdout + validate.stderr
        #expect(output.contains("passed for resource job/hit-shards"), "\(output)")
        #expect(output.contains("passed for resource persistentvolumeclaim/hit-results"), "\(output)")
    }

    @Test(.enabled(if: pyYAML, "needs python3 with PyYAML (scripts/setup kubernetes-validate)"))
    func theJobIsOneRunOverItsIndexes() throws {
        let documents = try Self.documents()
        let job = try #require(documents.first { $0["kind"] as? String == "Job" })
        #expect(job["apiVersion"] as? String == "batch/v1")
        let spec = try #require(job["spec"] as? [String: Any])
        #expect(spec["completionMode"] as? String == "Indexed")
        let completions = try #require(spec["completions"] as? Int)
        #expect(spec["parallelism"] as? Int == completions, "every shard at once, on one schedule")
        #expect(spec["backoffLimit"] as? Int == 0, "a retried shard would send its requests twice")
        #expect((spec["activeDeadlineSeconds"] as? Int ?? 0) > 0)
        #expect((spec["ttlSecondsAfterFinished"] as? Int ?? 0) > 0)
        let pod = try #require((spec["template"] as? [String: Any])?["spec"] as? [String: Any])
        #expect(pod["restartPolicy"] as? String == "Never")

        let containers = try #require(pod["containers"] as? [[String: Any]])
        let container = try #require(containers.first { $0["name"] as? String == "hit" })
        #expect(container["command"] as? [String] == ["hit"])
        let env = try #require(container["env"] as? [[String: Any]])
        let declared = Set(env.compactMap { $0["name"] as? String })
        let values = Dictionary(env.compactMap { entry -> (String, String)? in
            guard let name = entry["name"] as? String, let value = entry["value"] as? String else { return nil }
            return (name, value)
        }, uniquingKeysWith: { first, _ in first })
        #expect(Int(values["HIT_SHARD_COUNT"] ?? "") == completions, "HIT_SHARD_COUNT is the Job's completions")
        let index = try #require(env.first { $0["name"] as? String == "JOB_COMPLETION_INDEX" })
        let fieldRef = ((index["valueFrom"] as? [String: Any])?["fieldRef"] as? [String: Any])?["fieldPath"] as? String
        #expect(fieldRef == "metadata.annotations['batch.kubernetes.io/job-completion-index']")

        let args = try #require(container["args"] as? [String])
        #expect(Self.has(args, "--shard", "auto"))
        #expect(Self.has(args, "--start-at", "$(HIT_START_AT)"))
        #expect(Self.has(args, "-o", "json"))
        #expect(args.contains("-q"))
        // Kubernetes leaves a $(NAME) it has no variable for as written.
        let referenced = args.flatMap { arg in
            arg.components(separatedBy: "$(").dropFirst().map { rest in String(rest.prefix { $0 != ")" }) }
        }
        #expect(!referenced.isEmpty)
        for name in referenced { #expect(declared.contains(name), "$(\(name)) in the args is not declared in env") }

        // One report per shard, on the claim this file declares.
        let outputAt = try #require(args.firstIndex(of: "--output-file"))
        let report = try #require(args.dropFirst(outputAt + 1).first)
        #expect(report.contains("$(JOB_COMPLETION_INDEX)"))
        let mounts = try #require(container["volumeMounts"] as? [[String: Any]])
        let mount = try #require(mounts.first { report.hasPrefix(($0["mountPath"] as? String ?? "\u{0}") + "/") })
        let volumes = try #require(pod["volumes"] as? [[String: Any]])
        let volume = try #require(volumes.first { $0["name"] as? String == mount["name"] as? String })
        let claimName = try #require((volume["persistentVolumeClaim"] as? [String: Any])?["claimName"] as? String)
        #expect(documents.contains {
            $0["kind"] as? String == "PersistentVolumeClaim" && ($0["metadata"] as? [String: Any])?["name"] as? String == claimName
        })
    }

    @Test(.enabled(if: pyYAML, "needs python3 with PyYAML (scripts/setup kubernetes-validate)"))
    func theShardsRunLocallyAddUpToTheRun() throws {
        let completions = try Self.completions()
        let server = try TargetServer()
        defer { server.shutdown() }
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let merged = directory + "/merged.json"
        let results = directory + "/results"
        let run = try Self.kubeLocal(server.baseURL + "/", merged, requests: 300, concurrency: 6, rate: 300, results: results)
        try #require(run.status == 0, "\(run.stderr)")

        let report = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: merged))) as? [String: Any])
        let summary = try #require(report["summary"] as? [String: Any])
        #expect(summary["completed"] as? Int == 300)
        #expect(summary["succeeded"] as? Int == 300)
        #expect(server.stats.requestsSeen == 300, "each request sent once, by one shard")
        let configuration = try #require(report["configuration"] as? [String: Any])
        #expect(configuration["requests"] as? Int == 300)
        #expect(configuration["rate"] as? Int == 300)
        #expect(report["startAt"] as? String != nil, "the shards started at HIT_START_AT")
        let shard = try #require(report["shard"] as? [String: Any])
        #expect(shard["count"] as? Int == completions)
        #expect((shard["covered"] as? [Any])?.compactMap { $0 as? Int } == Array(0..<completions))
        #expect((shard["missing"] as? [Any])?.isEmpty == true)
        #expect(shard["index"] is NSNull, "a merged report is no one shard")
        #expect(reportValue("Shards", in: run.stdout) == "\(completions) of \(completions) shards merged")
        // Each process found its shard in the environment an Indexed Job gives its pods
        // (--shard auto), and wrote its report where the manifest's volume is mounted.
        for index in 0..<completions {
            let file = results + "/shard-\(index).json"
            let shardReport = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file))) as? [String: Any])
            let own = try #require(shardReport["shard"] as? [String: Any])
            #expect(own["index"] as? Int == index)
            #expect(own["count"] as? Int == completions)
            #expect((shardReport["summary"] as? [String: Any])?["completed"] as? Int == (300 - index - 1) / completions + 1,
                    "requests \(index), \(index + completions), ... of the 300")
        }
    }

    @Test(.enabled(if: pyYAML, "needs python3 with PyYAML (scripts/setup kubernetes-validate)"))
    func aFailedShardFailsTheRun() throws {
        let port = try closedPort()
        let run = try Self.kubeLocal("http://127.0.0.1:\(port)/", nil, requests: 30, concurrency: 3, rate: 100)
        #expect(run.status == 69, "every shard unreachable: \(run.stderr)")
        #expect(run.stderr.contains("kube-local: shard 0 exited with status 69"), "\(run.stderr)")
    }

    /// Runs scripts/kube-local against `url` with the built hit and a smaller run; the shards'
    /// reports stay in `results` when given.
    private static func kubeLocal(_ url: String, _ merged: String?, requests: Int, concurrency: Int, rate: Int,
                                  results: String? = nil) throws -> ExternalTool {
        var environment = ProcessInfo.processInfo.environment
        for name in ["MANIFEST", "MERGED_JSON"] { environment[name] = nil }
        environment["RESULTS_DIR"] = results
        environment["HIT"] = HitProcess.binary
        environment["REQUESTS"] = String(requests)
        environment["CONCURRENCY"] = String(concurrency)
        environment["RATE"] = String(rate)
        environment["START_DELAY"] = "2"
        return try ExternalTool(kubeLocalScript, [url] + (merged.map { [$0] } ?? []), environment: environment)
    }

    /// The manifest's documents, read by PyYAML.
    private static func documents() throws -> [[String: Any]] {
        let script = """
        import json, sys, yaml
        with open(sys.argv[1]) as f:
            print(json.dumps([d for d in yaml.safe_load_all(f) if d is not None]))
        """
        let read = try ExternalTool.python(script, [manifest])
        try #require(read.status == 0, "\(read.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(read.stdout.utf8)) as? [[String: Any]])
    }

    private static func completions() throws -> Int {
        let job = try #require(try documents().first { $0["kind"] as? String == "Job" })
        return try #require((job["spec"] as? [String: Any])?["completions"] as? Int)
    }

    /// Whether `value` follows `flag` somewhere in `args`.
    private static func has(_ args: [String], _ flag: String, _ value: String) -> Bool {
        zip(args, args.dropFirst()).contains { $0 == flag && $1 == value }
    }

    private static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "hit-kube-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
