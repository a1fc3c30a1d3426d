import Foundation

/// Finds the project's data folders (`migrations/`, `prompts/`, `models/`) from any working directory.
///
/// Search order, first hit wins:
/// 1. `$FAE_T2I_HOME` (a folder holding `migrations/`, `prompts/`, ...).
/// 2. `<executable>/../share/fae-t2i` (the layout `make install` writes).
/// 3. The executable's folder and its ancestors (a build inside the source tree: `.build/release/fae-t2i`).
/// 4. The source tree this module was compiled from (development and tests).
public enum ResourceLocator {
    public enum Failure: Error, CustomStringConvertible {
        case notFound(String, searched: [String])
        public var description: String {
            switch self {
            case let .notFound(name, searched):
                return "cannot find the '\(name)' data folder (searched: \(searched.joined(separator: ", "))); set FAE_T2I_HOME to the fae-t2i source or share folder"
            }
        }
    }

    /// The folder holding `name` (e.g. "migrations"), as a URL to `name` itself.
    public static func directory(_ name: String) throws -> URL {
        let candidates = roots()
        for root in candidates {
            let url = root.appendingPathComponent(name, isDirectory: true)
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
                return url
            }
        }
        throw Failure.notFound(name, searched: candidates.map(\.path))
    }

    public static func migrationsDirectory() throws -> URL { try directory("migrations") }
    public static func promptsDirectory() throws -> URL { try directory("prompts") }
    public static func modelsDirectory() throws -> URL { try directory("models") }
    /// The shipped model folder, `models/default`.
    public static func defaultModelDirectory() throws -> URL {
        try modelsDirectory().appendingPathComponent("default", isDirectory: true)
    }

    static func roots() -> [URL] {
        var roots: [URL] = []
        if let home = ProcessInfo.processInfo.environment["FAE_T2I_HOME"], !home.isEmpty {
            roots.append(URL(fileURLWithPath: home, isDirectory: true))
        }
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
        let executableFolder = URL(fileURLWithPath: executablePath() ?? executable.path).deletingLastPathComponent()
        roots.append(executableFolder.deletingLastPathComponent().appendingPathComponent("share/fae-t2i", isDirectory: true))
        roots.append(contentsOf: ancestors(of: executableFolder))
        let sourceTree = URL(fileURLWithPath: #filePath)  // Sources/FaeResources/ResourceLocator.swift
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        roots.append(sourceTree)
        return roots
    }

    /// The running executable's real path (`/proc/self/exe` on Linux).
    public static func executablePath() -> String? {
        #if os(Linux)
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return path }
        #endif
        return Bundle.main.executablePath.map { URL(fileURLWithPath: $0).resolvingSymlinksInPath().path }
    }

    static func ancestors(of folder: URL) -> [URL] {
        var result: [URL] = []
        var current = folder.standardizedFileURL
        for _ in 0..<6 {
            result.append(current)
            let parent = current.deletingLastPathComponent()
            if parent.path == current.path { break }
            current = parent
        }
        return result
    }
}
