import Foundation

/// `Engine.threads` is one setting for the whole process, and the test targets share a process:
/// a test that varies it, and a test that needs it constant (bit-identical results), take turns.
public enum EngineThreadSetting {
    nonisolated(unsafe) private static let lock = NSRecursiveLock()

    public static func exclusively<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }
}
