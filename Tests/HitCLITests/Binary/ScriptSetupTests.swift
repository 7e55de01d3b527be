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
        for (name, script) in tools { try Self.writeScript(script, to: directory + "/" + name) }
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = directory + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        let setup = try ExternalTool("/bin/bash", [Self.root + "/scripts/setup", "parallel"], environment: environment)
        #expect(setup.status == 0, "\(setup.stderr)")
        let asked = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        #expect(asked.contains("install") && asked.contains(" parallel"), "moreutils' parallel is not GNU parallel: \(asked)")

        // GNU parallel present: nothing to install.
        try Self.writeScript("#!/bin/sh\necho 'GNU parallel 20221122'\n", to: directory + "/parallel")
        try? FileManager.default.removeItem(atPath: log)
        let again = try ExternalTool("/bin/bash", [Self.root + "/scripts/setup", "parallel"], environment: environment)
        #expect(again.status == 0)
        #expect(!FileManager.default.fileExists(atPath: log), "GNU parallel is there already")
    }

    /// Writes an executable script through a descriptor closed on exec. The tests run beside
    /// others that start processes: a child forked while a plain write held the file open kept it
    /// open for writing as long as it ran, and running the script then failed with "Text file busy".
    static func writeScript(_ text: String, to path: String) throws {
        struct WriteFailed: Error { let path: String }
        unlink(path)
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o755)
        guard descriptor >= 0 else { throw WriteFailed(path: path) }
        defer { close(descriptor) }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count else { throw WriteFailed(path: path) }
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
