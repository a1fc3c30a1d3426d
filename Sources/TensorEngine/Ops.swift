/// Namespace of the engine's ops. Every op is a forward/backward pair over contiguous row-major
/// float32 buffers:
/// - forward writes its output and saves (into caller-provided tensors) what backward needs;
/// - backward ACCUMULATES into parameter gradients and, unless `accumulate: false` is passed, into
///   input gradients too (so residual branches add up without extra buffers); `accumulate: false`
///   overwrites instead, which lets layers skip zeroing their internal gradient buffers.
/// Shapes are preconditions (callers are layers that already validated user weights).
/// Work is parallelised over rows with `Parallel`, GEMMs go to `cblas_sgemm`.
public enum Ops {}
