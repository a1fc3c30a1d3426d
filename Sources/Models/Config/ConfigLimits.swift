/// Upper bounds for the sizes a model's config.json may ask for, checked before anything is
/// allocated (`ConfigValidation`). They sit far above every model this project trains or loads
/// (the shipped parts are 64-256 wide, 2-4 deep, 64 tokens; DINOv2-L and T5-large fit too) and far
/// below sizes that would exhaust memory or overflow `Int`: with them every dimension fits 14 bits,
/// every per-sample tensor of one layer stays below 2^28 x a few values, and products of a few
/// sizes cannot overflow.
public enum ConfigLimits {
    /// Any layer width: hidden sizes, feed-forward widths, heads x head dim, embedding widths.
    public static let maxWidth = 16_384
    public static let maxHeads = 1_024
    /// Blocks of one stack (num_layers, depth, ..._depth).
    public static let maxDepth = 256
    /// Tokens along one side of a token grid (grid_height, grid_width, image_size / patch_size).
    public static let maxGridSide = 4_096
    /// Tokens of one sequence (a grid's product, plus text tokens); an attention tile is their square.
    public static let maxTokens = 16_384
    public static let maxImageSide = 8_192
    public static let maxPatchSize = 1_024
    /// Image, latent and feature-map channels.
    public static let maxChannels = 4_096
    public static let maxVocabulary = 1 << 20
    public static let maxTextTokens = 4_096
    public static let maxRegisterTokens = 1_024
    public static let maxRelativeBuckets = 4_096
    public static let maxRelativeDistance = 1 << 20
    /// Feed-forward width over block width.
    public static let maxMLPRatio = 64.0
    /// Norm epsilons: below 1e-12 a float32 norm of a zero row divides by (almost) zero.
    public static let minEpsilon = 1e-12
    public static let maxEpsilon = 1.0
    /// RoPE base: below 1 the frequencies would grow with the channel index.
    public static let minRoPETheta = 1.0
    public static let maxRoPETheta = 1e12
    public static let maxTimestepScale = 1e6
    /// Memory one model part may take for its parameters: 4 bytes of value and 4 of gradient each
    /// (every `Parameter` owns both), plus its rotary tables. 4 GiB is 512M parameters, room for
    /// DINOv2-L (304M) and the T5-large encoder (341M) on this 23 GB machine, and refuses an edited
    /// config (depth 1000, width 1e9) before it is allocated.
    public static let maxModelBytes = 4 << 30
    /// Up to this size a model is built before its weights are compared with it (so the strict
    /// check can name every missing tensor); a larger one is first compared by its value count
    /// with the weights file (`HuggingFaceCheckpoint.requireValues`).
    public static let eagerModelBytes = 256 << 20
}
