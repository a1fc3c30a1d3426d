/// The figures of `eval fae` (JSON keys in snake_case).
public struct FAEEvaluationReport: Codable, Equatable, Sendable {
    /// Mean per-image PSNR (dB) of full-chain reconstructions of the held-out images, 8-bit.
    public var psnrDB: Float
    /// Mean per-token cosine similarity between x_hat and the encoder features x.
    public var featureCosine: Float
    /// Centre-cell probe accuracy (mean of shape and colour) from the encoder features.
    public var probeAccEncoder: Float
    /// The same probe trained and tested on x_hat.
    public var probeAccFAE: Float
    public var probeRatio: Float
    /// ShapeBench of reference renders passed through the whole chain, judged by the scene parser.
    public var reconShapeBench: Double
    public var reconShapeBenchCategories: [String: Double]
    public var probeDetail: [String: Float]
    public var images: Int
    public var seconds: Double

    enum CodingKeys: String, CodingKey {
        case psnrDB = "psnr_db"
        case featureCosine = "feature_cosine"
        case probeAccEncoder = "probe_acc_encoder"
        case probeAccFAE = "probe_acc_fae"
        case probeRatio = "probe_ratio"
        case reconShapeBench = "recon_shapebench"
        case reconShapeBenchCategories = "recon_shapebench_categories"
        case probeDetail = "probe_detail"
        case images, seconds
    }
}
