/// Figures of `fae-t2i bench engine`; JSON keys are the snake_case names.
public struct EngineBenchmarkResult: Codable, Sendable {
    public var threads: Int
    /// cblas_sgemm GFLOP/s over the four GEMMs of a width-256 block (M = 2048 rows).
    public var sgemmGflops: Double
    /// Pre-norm block forward, matmul FLOPs per second, and as a fraction of `sgemmGflops`.
    public var blockFwdGflops: Double
    public var blockFwdRatio: Double
    /// Forward + backward (3x forward matmul FLOPs) per second, and as a fraction of `sgemmGflops`.
    public var blockFwdbwdGflops: Double
    public var blockFwdbwdRatio: Double
    /// DINOv2-S/14-sized forward, 224 px, batch 1, milliseconds.
    public var dinov2S14Ms: Double
    public var description: String

    enum CodingKeys: String, CodingKey {
        case threads
        case sgemmGflops = "sgemm_gflops"
        case blockFwdGflops = "block_fwd_gflops"
        case blockFwdRatio = "block_fwd_ratio"
        case blockFwdbwdGflops = "block_fwdbwd_gflops"
        case blockFwdbwdRatio = "block_fwdbwd_ratio"
        case dinov2S14Ms = "dinov2_s14_ms"
        case description
    }
}
