import Foundation

/// Where a fuzz target finds the repository's files (grammar, migrations, models) and where it
/// writes the files its parser reads.
public enum FuzzPaths {
    /// `FAE_T2I_ROOT` when set (the Makefile sets it), else the checkout this file was compiled from.
    public static let repositoryRoot: URL = {
        if let root = ProcessInfo.processInfo.environment["FAE_T2I_ROOT"], !root.isEmpty {
            return URL(fileURLWithPath: root, isDirectory: true)
        }
        // Fuzz/Sources/FuzzSupport/FuzzPaths.swift -> the repository.
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url
    }()

    public static func repository(_ relativePath: String) -> URL {
        repositoryRoot.appendingPathComponent(relativePath)
    }

    /// A folder of this process only, removed at exit, inside `FAE_T2I_FUZZ_SCRATCH` when set (the
    /// runner sets it and removes it afterwards, as a crash skips the removal), else in /dev/shm when
    /// there is one: every input is written to a file there, and memory is faster than disk.
    public static let scratch: URL = {
        let shm = URL(fileURLWithPath: "/dev/shm", isDirectory: true)
        let base: URL
        if let folder = ProcessInfo.processInfo.environment["FAE_T2I_FUZZ_SCRATCH"], !folder.isEmpty {
            base = URL(fileURLWithPath: folder, isDirectory: true)
        } else {
            base = FileManager.default.isWritableFile(atPath: shm.path) ? shm : FileManager.default.temporaryDirectory
        }
        let url = base.appendingPathComponent("fae-t2i-fuzz-\(getpid())", isDirectory: true)
        do {
            try? FileManager.default.removeItem(at: url)
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            fatalError("cannot create the fuzz scratch folder \(url.path): \(error)")
        }
        // FAE_T2I_FUZZ_KEEP=1 keeps it, to look at the files an input was written to.
        if ProcessInfo.processInfo.environment["FAE_T2I_FUZZ_KEEP"] != "1" { scratchToRemove = url.path }
        atexit { if let path = FuzzPaths.scratchToRemove { try? FileManager.default.removeItem(atPath: path) } }
        return url
    }()

    private static var scratchToRemove: String?

    /// Writes `data` to `url`, stopping the run if that fails: a harness that cannot write its
    /// input would test nothing.
    public static func write(_ data: Data, to url: URL) {
        do {
            try data.write(to: url)
        } catch {
            fatalError("cannot write the fuzz input to \(url.path): \(error)")
        }
    }
}
