import Foundation

/// Status lines of the training stages and commands go to stderr, so stdout stays for results. On
/// a terminal each line first clears the one it is written on, the progress line a stage redraws.
public enum TrainingOutput {
    static let interactive = isatty(STDERR_FILENO) != 0

    /// A message on its own line.
    public static func note(_ message: String) {
        write(message, terminator: "\n")
    }

    static func write(_ text: String, terminator: String) {
        let cleared = interactive ? "\u{1B}[2K" + text : text
        FileHandle.standardError.write(Data((cleared + terminator).utf8))
    }
}
