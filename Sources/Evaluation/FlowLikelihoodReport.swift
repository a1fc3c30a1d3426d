/// What `eval flow` prints: the mean negative log-likelihood per latent dimension of the images.
public struct FlowLikelihoodReport: Codable, Sendable {
    public var images: Int
    public var bitsPerDimension: Double
    public var natsPerDimension: Double
    /// Latent dimensions per image (tokens x channels).
    public var dimensions: Int
    public var seconds: Double

    enum CodingKeys: String, CodingKey {
        case images, dimensions, seconds
        case bitsPerDimension = "bits_per_dim"
        case natsPerDimension = "nats_per_dim"
    }
}
