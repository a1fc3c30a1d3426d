import ArgumentParser
import Training

/// A training run stopped by Ctrl-C or SIGTERM has saved its checkpoint: an outcome, not an error.
/// It is reported in one line ("generator: stopped at step N/T; resume with --resume") and ends
/// with exit status 130, as shells report an interrupted command (128 + SIGINT).
enum TrainingStop {
    static let exitStatus: Int32 = 130

    @discardableResult
    static func reported<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as TrainingError where error.code == .interrupted {
            TrainingOutput.note(error.message)
            throw ExitCode(exitStatus)
        }
    }
}
