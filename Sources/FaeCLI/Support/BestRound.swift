import Foundation

/// The benchmarks' timing rule: one untimed warm-up run (it sizes every buffer), then the fastest
/// of `rounds` timed runs, since the cores may be shared and the best round is what the machine can do.
enum BestRound {
    /// Seconds of the fastest round of `body`.
    static func seconds(rounds: Int, _ body: () throws -> Void) rethrows -> Double {
        try body()
        var best = Double.infinity
        for _ in 0..<rounds {
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        return best
    }
}
