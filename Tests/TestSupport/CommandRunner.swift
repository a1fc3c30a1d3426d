import Foundation

/// Runs the built `fae-t2i` binary, as a user would.
public struct CommandRunner {
    public struct Output {
        public let status: Int32
        public let stdout: String
        public let stderr: String
    }

    public let executable: URL
    public var environment: [String: String]

    /// `$FAE_T2I_BIN` (set by `make test`), else the debug build in this checkout.
    public init(environment: [String: String] = [:]) {
        let path = ProcessInfo.processInfo.environment["FAE_T2I_BIN"]
            ?? TestPaths.repositoryRoot.appendingPathComponent(".build/debug/fae-t2i").path
        executable = URL(fileURLWithPath: path)
        var merged = ProcessInfo.processInfo.environment
        merged.removeValue(forKey: "FAE_T2I_DB")
        for (key, value) in environment { merged[key] = value }
        self.environment = merged
    }

    /// Another program (a shell, `unshare`, `setpriv`) run the same way, with `environment` as given.
    public init(executable: URL, environment: [String: String]) {
        self.executable = executable
        self.environment = environment
    }

    public var isAvailable: Bool { FileManager.default.isExecutableFile(atPath: executable.path) }

    /// Runs to completion and captures both streams.
    @discardableResult
    public func run(_ arguments: [String]) throws -> Output {
        let process = try spawn(arguments, captureOutput: true)
        let out = (process.standardOutput as! Pipe).fileHandleForReading
        let err = (process.standardError as! Pipe).fileHandleForReading
        // Read both pipes concurrently so a chatty child never blocks on a full pipe.
        nonisolated(unsafe) var errData = Data()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { errData = err.readDataToEndOfFile() }
        let outData = out.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Starts the binary in the background; output goes to /dev/null unless captured.
    public func spawn(_ arguments: [String], captureOutput: Bool = false) throws -> Process {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = environment
        if captureOutput {
            process.standardOutput = Pipe()
            process.standardError = Pipe()
        } else {
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
        }
        try process.run()
        return process
    }
}
