import ArgumentParser
import Foundation

@main
struct FaeT2I: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fae-t2i",
        abstract: "Text-to-image on the CPU: a job queue, worker daemons and the FAE diffusion model.",
        subcommands: [
            SubmitCommand.self, StatusCommand.self, ListCommand.self, CancelCommand.self, RetryCommand.self,
            PruneCommand.self, FetchCommand.self, WorkerCommand.self, ServeCommand.self, QueueCommand.self, RenderCommand.self, BenchCommand.self,
            BenchClaimerCommand.self, TokenizeCommand.self, TokenizerCommand.self, DataCommand.self, RunEncoderCommand.self,
            TrainCommand.self, ReconstructCommand.self, EvalCommand.self, ModelCommand.self,
        ])

    /// Rejects arguments that are not valid UTF-8 before anything else runs: Swift would silently
    /// replace the bad bytes, and a prompt must be stored exactly as given.
    static func main() async {
        for index in 1..<Int(CommandLine.argc) {
            guard let raw = CommandLine.unsafeArgv[index], String(validatingCString: raw) != nil else {
                FileHandle.standardError.write(Data("Error: argument \(index) is not valid UTF-8\n".utf8))
                Foundation.exit(EXIT_FAILURE)
            }
        }
        BLASCoreCheck.restartWithBetterCoreIfNeeded()
        // Pipes closed by the reader (e.g. `| head`) should end us quietly, not kill us mid-write.
        signal(SIGPIPE, SIG_IGN)
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
