import TensorEngine

/// The buffers of a `FlowBlock`'s token-by-token inverse, reused from image to image: per layer the
/// keys and values so far (R, H, T + N, headDim), the cache's key mask (R, T + N), the tokens
/// sampled so far in the block's order (R, N, D) and the hidden state of the current token (R, 1, W).
final class FlowBlockStepSlots {
    var keys: [TensorSlot] = [], values: [TensorSlot] = []
    let keyMask = TensorSlot(), history = TensorSlot(), output = TensorSlot(), token = TensorSlot()
    let hidden = TensorSlot(), residual = TensorSlot(), attended = TensorSlot(), scores = TensorSlot()

    /// At least `layers` key and value slots.
    func reserve(layers: Int) {
        while keys.count < layers {
            keys.append(TensorSlot())
            values.append(TensorSlot())
        }
    }
}
