import Sampler
import TensorEngine

extension GeneratorTrainer {
    /// One optimizer step's forward and backward (gradients accumulate; `TrainingRun` applies them).
    /// The batch, the caption dropout, the noise and the times are functions of (seed, step) only.
    func step(_ i: Int) throws -> Float {
        let b = options.batchSize, t = configuration.textTokens, per = tokens * channels
        let batchIndices = batches.selectIndices(step: i)
        var rng = RandomGenerator(seed: (options.seed &+ 0x6A09_E667_F3BC_C909) ^ (UInt64(i) &* 0x9E37_79B9_7F4A_7C15))
        let dropout = configuration.textDropout
        var labelled = 0
        ids.withUnsafeMutableBufferPointer { dstIDs in
            mask.withUnsafeMutableBufferPointer { dstMask in
                bindingLabels.withUnsafeMutableBufferPointer { dstLabels in
                    for r in 0 ..< b {
                        let index = batchIndices[r]
                        (z.pointer + r * per).update(from: trainTargets.pointer + index * per, count: per)
                        let drop = rng.uniform() < dropout
                        for k in 0 ..< t {
                            dstIDs[r * t + k] = drop ? emptyIDs[k] : trainIDs[index * t + k]
                            dstMask[r * t + k] = drop ? emptyMask[k] : trainMask[index * t + k]
                        }
                        // The empty caption names nothing, so a dropped row has no binding labels.
                        guard let labels = trainBinding?.labels else { continue }
                        for k in 0 ..< t {
                            dstLabels[r * t + k] = drop ? TokenLabels.unlabelled : labels[index * t + k]
                            if dstLabels[r * t + k] != TokenLabels.unlabelled { labelled += 1 }
                        }
                    }
                }
            }
        }
        rng.fillNormal(noise)
        FlowMatching.sampleTimesteps(into: timesteps, shift: generation.shift, rng: &rng)
        FlowMatching.interpolate(latents: z, noise: noise, timesteps: timesteps, xt: xt, target: velocity)
        let binding = labelled == 0 ? nil : TokenLabels(labels: bindingLabels, gradientScale: configuration.bindingWeight / Float(labelled))
        var layout: TokenLabels?
        if let trainLayout {
            let count = Self.gateLayoutLabels(trainLayout, rows: batchIndices, timesteps: timesteps, maxTime: configuration.layoutMaxTime,
                                              into: &layoutLabels)
            layout = count == 0 ? nil : TokenLabels(labels: layoutLabels, gradientScale: configuration.layoutWeight / Float(count))
        }
        return try dataParallel.lossAndGradients(xt: xt, timesteps: timesteps, target: velocity, ids: ids, mask: mask,
                                                 textTokens: t, dVelocity: dVelocity, binding: binding, layout: layout)
    }

    /// Copies the layout labels of the images `rows` (one batch row each) into `batch`, leaving
    /// unlabelled the rows whose time is above `maxTime`; returns how many tokens are labelled.
    static func gateLayoutLabels(_ layout: LayoutLabels, rows: [Int], timesteps: Tensor, maxTime: Float,
                                 into batch: inout [Int32]) -> Int {
        let tokens = batch.count / rows.count
        var labelled = 0
        layout.labels.withUnsafeBufferPointer { source in
            batch.withUnsafeMutableBufferPointer { destination in
                for (r, index) in rows.enumerated() {
                    let keep = timesteps.pointer[r] <= maxTime
                    for k in 0 ..< tokens {
                        destination[r * tokens + k] = keep ? source[index * tokens + k] : TokenLabels.unlabelled
                    }
                    if keep { labelled += tokens }
                }
            }
        }
        return labelled
    }

    /// The auxiliary losses' mean and accuracy over the last batch (or validation pass).
    func auxiliaryFigures(prefix: String, binding: ClassifierTally? = nil, layout: ClassifierTally? = nil) -> [(String, Float)] {
        var figures: [(String, Float)] = []
        if trainBinding != nil {
            let tally = binding ?? dataParallel.bindingTally
            figures += [(prefix + "binding_loss", tally.meanLoss), (prefix + "binding_accuracy", tally.accuracy)]
        }
        if trainLayout != nil {
            let tally = layout ?? dataParallel.layoutTally
            figures += [(prefix + "layout_loss", tally.meanLoss), (prefix + "layout_accuracy", tally.accuracy)]
        }
        return figures
    }
}
