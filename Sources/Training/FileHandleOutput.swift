import Foundation

/// Status lines of the training commands go to stderr, so stdout stays for results.
enum FileHandleOutput {
    static func note(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }
}
