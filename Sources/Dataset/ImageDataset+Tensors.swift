import Dispatch
import Foundation
import ImageCodec

extension ImageDataset {
    /// Fills `output` with the images at `indices` as a (B, 3, S, S) float batch, B = indices.count,
    /// S = imageSize, normalized to [-1, 1] (see `PixelNormalization`). Images are converted in
    /// parallel on up to `threads` threads; nothing is allocated per image.
    public func loadImages(indices: [Int], into output: UnsafeMutableBufferPointer<Float>,
                           threads: Int = ProcessInfo.processInfo.activeProcessorCount) throws {
        let pixelCount = imageSize * imageSize, floatsPerImage = 3 * pixelCount
        guard output.count == indices.count * floatsPerImage else {
            throw DatasetError(.invalidArgument, "a batch of \(indices.count) images needs \(indices.count * floatsPerImage) floats, the buffer holds \(output.count)")
        }
        if let bad = indices.first(where: { $0 < 0 || $0 >= count }) {
            throw DatasetError(.invalidArgument, "image index \(bad) is outside the dataset (0..<\(count))")
        }
        guard let outputBase = output.baseAddress, !indices.isEmpty else { return }
        let starts = pixelStarts
        // Below a few images a second thread costs more than it saves.
        let workers = max(1, min(threads, indices.count / 4))
        PixelNormalization.table.withUnsafeBufferPointer { table in
            // The table is non-empty, so baseAddress exists.
            let table = table.baseAddress!
            indices.withUnsafeBufferPointer { indices in
                DispatchQueue.concurrentPerform(iterations: workers) { worker in
                    let begin = indices.count * worker / workers, end = indices.count * (worker + 1) / workers
                    for position in begin..<end {
                        PixelNormalization.normalize(starts[indices[position]], pixelCount: pixelCount,
                                                     into: outputBase + position * floatsPerImage, table: table)
                    }
                }
            }
        }
    }
}
