import Foundation
import HitTestSupport
import Testing

/// Every script installs what it uses through scripts/setup, which knows GNU parallel from
/// moreutils' program of the same name.
@Suite struct ScriptSetupTests {
    static let root = #filePath.components(separatedBy: "/Tests/")[0]

    /// A PATH where `parallel` is moreutils' (no --version: it prints its usage and fails) and
    /// apt-get and sudo only log what they were asked: setup must ask for GNU parallel.
    @Test func setupInstallsGNUParallelOverMoreutils() throws {
        let directory = NSTemporaryDirectory() + "hit-setup-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let log = directory + "/apt.log"
        let tools = [
            "parallel": "#!/bin/sh\necho 'parallel [OPTIONS] command -- arguments' >&2\nexit 1\n",
            "apt-get": "#!/bin/sh\necho \"apt-get $*\" >> \(log)\n",
            "sudo": "#!/bin/sh\nexec \"$@\"\n",
        ]
        for (name, script) in tools {
            try script.write(toFile: directory + "/" + name, atomically: true, encoding: .utf8)
            chmod(directory + "/" + name, 0o755)
        }
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = directory + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        let setup = try ExternalTool("/bin/bash", [Self.root + "/scripts/setup", "parallel"], environment: environment)
        #expect(setup.status == 0, "\(setup.stderr)")
        let asked = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        #expect(asked.contains("install") && asked.contains(" parallel"), "moreutils' parallel is not GNU parallel: \(asked)")

        // GNU parallel present: nothing to install.
        try "#!/bin/sh\necho 'GNU parallel 20221122'\n".write(toFile: directory + "/parallel", atomically: true, encoding: .utf8)
        chmod(directory + "/parallel", 0o755)  // an atomic write replaces the file, and its mode
        try? FileManager.default.removeItem(atPath: log)
        let again = try ExternalTool("/bin/bash", [Self.root + "/scripts/setup", "parallel"], environment: environment)
        #expect(again.status == 0)
        #expect(!FileManager.default.fileExists(atPath: log), "GNU parallel is there already")
    }

    /// The scripts that use a tool beyond the build's call scripts/setup for it before they check it.
    @Test(arguments: [("cluster-demo", "parallel"), ("kube-local", "python3-yaml"), ("bench-pacing", "python3")])
    func aScriptInstallsWhatItUses(script: String, tool: String) throws {
        let text = try String(contentsOfFile: Self.root + "/scripts/" + script, encoding: .utf8)
        let setupLine = text.split(separator: "\n").first { $0.contains("scripts/setup") && !$0.trimmingCharacters(in: .whitespaces).hasPrefix("#") }
        #expect(setupLine?.contains(tool) == true, "\(script) installs \(tool) through scripts/setup")
        if let check = text.range(of: "is not installed"), let setup = text.range(of: "scripts/setup") {
            #expect(setup.lowerBound < check.lowerBound, "installed before it is checked")
        }
    }
}
