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
        return Output(status: Self.waitForExit(process), stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }

    /// The child's exit status (the signal number if a signal ended it, as `terminationStatus`).
    /// Foundation's `waitUntilExit` can miss the exit of one of many children started at once: the
    /// child stays a zombie and the wait never returns. So the child is reaped here with `waitpid`,
    /// unless Foundation has reaped it first. Read the status from the result, not from `process`.
    public static func waitForExit(_ process: Process) -> Int32 {
        let pid = process.processIdentifier
        while true {
            var status: Int32 = 0
            let reaped = waitpid(pid, &status, WNOHANG)
            if reaped == pid {
                let signal = status & 0x7f
                return signal == 0 ? (status >> 8) & 0xff : signal
            }
            if reaped == -1 && errno == ECHILD {  // Foundation reaped it and knows its status
                process.waitUntilExit()
                return process.terminationStatus
            }
            usleep(5_000)
        }
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
