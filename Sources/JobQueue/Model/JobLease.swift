import Digest

/// The rules of a lease that both backends share.
public enum JobLease {
    /// Leases from a second to a day: a longer one would keep a killed worker's job `running` for
    /// longer than anyone waits.
    public static let range: ClosedRange<Double> = 1...86_400

    /// 128 random bits: a worker that lost its lease can never guess the next holder's token.
    static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return Hex.encode(generator.next() as UInt64) + Hex.encode(generator.next() as UInt64)
    }
}
