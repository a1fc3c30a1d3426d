import ArgumentParser
import Foundation
import Models
import TensorEngine

/// `fae-t2i run-encoder`: runs a Hugging Face DINOv2 or T5 encoder checkpoint on a safetensors file
/// of inputs (Hugging Face names) and writes `last_hidden_state`.
struct RunEncoderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run-encoder",
        abstract: "Run a Hugging Face DINOv2 or T5 encoder on safetensors inputs.",
        discussion: """
            Inputs use the Hugging Face names: dinov2 reads pixel_values (B, 3, H, W) float32, H and W \
            multiples of the patch size; t5 reads input_ids (B, T) int64 and optional attention_mask \
            (B, T) int64. Writes last_hidden_state (B, tokens, hidden) float32.
            """)

    enum Kind: String, ExpressibleByArgument, CaseIterable {
        case dinov2, t5
    }

    @Option(help: "Encoder kind: dinov2 or t5.") var kind: Kind
    @Option(help: ArgumentHelp("Model directory (config.json + model.safetensors).", valueName: "dir")) var model: String
    @Option(help: ArgumentHelp("Input safetensors file.", valueName: "file")) var input: String
    @Option(help: ArgumentHelp("Output safetensors file.", valueName: "file")) var output: String
    @Option(help: "Threads (default: $\(ThreadSettings.environmentKey), else the number of cores).") var threads: Int?
    @Option(name: .customLong("repeat"), help: "Run the forward this many times and report the fastest and median time (benchmarking).")
    var repetitions: Int = 1
    @Flag(help: "Print machine-readable JSON.") var json = false

    func validate() throws {
        if let threads, !(1...ThreadSettings.maxThreads).contains(threads) {
            throw ValidationError("--threads must be between 1 and \(ThreadSettings.maxThreads), got \(threads)")
        }
        if repetitions <= 0 { throw ValidationError("--repeat must be a positive integer") }
    }

    func run() throws {
        Engine.threads = ThreadSettings.resolve(option: threads, environment: ProcessInfo.processInfo.environment)
        let started = Date()
        let inputs: SafetensorsFile
        do {
            inputs = try SafetensorsFile(url: URL(fileURLWithPath: input))
        } catch {
            throw CLIError("\(error)", cause: error)
        }
        var result = Tensor(zeros: [0])
        var times: [Double] = []
        do {
            // Load and validate once; only the forward is repeated and timed.
            let forward: () throws -> Tensor
            switch kind {
            case .dinov2: forward = try dinov2Forward(inputs)
            case .t5: forward = try t5Forward(inputs)
            }
            for _ in 0 ..< repetitions {
                let start = DispatchTime.now().uptimeNanoseconds
                result = try forward()
                times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            }
        } catch let error as CLIError {
            throw error
        } catch {
            throw CLIError("\(error)", cause: error)
        }
        do {
            var writer = SafetensorsWriter(metadata: ["format": "pt"])
            try writer.add(name: "last_hidden_state", floats: result.values, shape: result.shape)
            try writer.write(to: URL(fileURLWithPath: output))
        } catch {
            throw CLIError("\(error)", cause: error)
        }
        let seconds = Date().timeIntervalSince(started)
        let sorted = times.sorted()
        let fastest = sorted.first ?? 0, median = sorted.isEmpty ? 0 : sorted[sorted.count / 2]
        if json {
            struct Ran: Encodable {
                let output: String; let shape: [Int]; let seconds: Double
                let forward_ms_min: Double; let forward_ms_median: Double; let threads: Int
            }
            try JSONOutput.print(Ran(output: output, shape: result.shape, seconds: seconds, forward_ms_min: fastest,
                                     forward_ms_median: median, threads: Engine.threads))
        } else {
            var line = "\(output): last_hidden_state \(result.shape) (\(String(format: "%.3f", seconds)) s"
            if repetitions > 1 { line += String(format: "; forward min %.1f ms, median %.1f ms over %d runs", fastest, median, repetitions) }
            print(line + ")")
        }
    }

    /// Loads the model and input, validates them, and returns the forward to run.
    private func dinov2Forward(_ inputs: SafetensorsFile) throws -> () throws -> Tensor {
        let encoder = try Dinov2Model.load(directory: URL(fileURLWithPath: model))
        let info = try Self.require("pixel_values", in: inputs)
        let p = encoder.config.patchSize
        let c = encoder.config.numChannels
        guard info.shape.count == 4, info.shape[0] > 0, info.shape[1] == c else {
            throw CLIError("pixel_values must be (B, \(c), H, W), got \(info.shape)")
        }
        let (h, w) = (info.shape[2], info.shape[3])
        guard h > 0, w > 0, h % p.height == 0, w % p.width == 0 else {
            throw CLIError("pixel_values height and width must be positive multiples of the patch size \(p.height)x\(p.width), got \(h)x\(w)")
        }
        let pixels = Tensor(zeros: info.shape)
        try inputs.copyFloats("pixel_values", into: pixels.buffer)
        return { try encoder.forward(pixels) }
    }

    private func t5Forward(_ inputs: SafetensorsFile) throws -> () throws -> Tensor {
        let encoder = try T5Encoder.load(directory: URL(fileURLWithPath: model))
        let info = try Self.require("input_ids", in: inputs)
        guard info.shape.count == 2, info.shape[0] > 0, info.shape[1] > 0 else {
            throw CLIError("input_ids must be (B, T) with B, T > 0, got \(info.shape)")
        }
        let vocab = encoder.config.vocabSize
        let ids = try inputs.int64s("input_ids")
        if let (i, id) = ids.enumerated().first(where: { $0.element < 0 || $0.element >= Int64(vocab) }) {
            throw CLIError("input_ids[\(i / info.shape[1])][\(i % info.shape[1])] = \(id) is outside the vocabulary (0..<\(vocab))")
        }
        var mask: [Int32]?
        if inputs.contains("attention_mask") {
            let maskInfo = try inputs.info("attention_mask")
            guard maskInfo.shape == info.shape else {
                throw CLIError("attention_mask must have the shape of input_ids \(info.shape), got \(maskInfo.shape)")
            }
            let values = try inputs.int64s("attention_mask")
            guard values.allSatisfy({ $0 == 0 || $0 == 1 }) else { throw CLIError("attention_mask must hold only 0 and 1") }
            mask = values.map { Int32($0) }
        }
        let ids32 = ids.map { Int32($0) }, (batch, length) = (info.shape[0], info.shape[1])
        return { try encoder.forward(inputIDs: ids32, batch: batch, length: length, attentionMask: mask) }
    }

    private static func require(_ name: String, in file: SafetensorsFile) throws -> SafetensorsTensorInfo {
        guard file.contains(name) else {
            throw CLIError("\(file.url.path) has no tensor '\(name)' (it has: \(file.names.joined(separator: ", ")))")
        }
        return try file.info(name)
    }
}
