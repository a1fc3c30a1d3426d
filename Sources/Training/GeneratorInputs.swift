import Dataset
import Models
import ShapesWorld
import Tokenizer

/// What a generator run learns from: the images and their captions, the frozen FAE that makes the
/// targets, the tokenizer of the text encoder, and what is optional (the caption grammar of the
/// auxiliary losses, exported weights to start from, reusable targets or encoder features).
public struct GeneratorInputs {
    public var train: ImageDataset
    /// Held-out images: the first `GeneratorConfiguration.validationImages` give the validation figures.
    public var validation: ImageDataset?
    public var fae: FAEAutoencoder
    public var tokenizer: SentencePieceTokenizer
    /// Labels the captions and scenes; a binding or layout weight needs it.
    public var grammar: ShapesGrammar?
    /// A new run starts from these weights (a resumed run from its checkpoint).
    public var initialWeights: GeneratorInitialWeights?
    /// What identifies the FAE weights (e.g. `LatentCache.fingerprint`): with it, the targets are
    /// kept in the run folder (`LatentCache`) and reused.
    public var cacheKey: String?
    /// Loads the frozen encoder's features of `train`, in order, or nil: the training targets are
    /// made from them instead of encoding the images again. Called only when the run's cache does
    /// not hold the targets already.
    public var featureCache: (() throws -> FeatureCache?)?

    public init(train: ImageDataset, validation: ImageDataset?, fae: FAEAutoencoder, tokenizer: SentencePieceTokenizer,
                grammar: ShapesGrammar? = nil, initialWeights: GeneratorInitialWeights? = nil, cacheKey: String? = nil,
                featureCache: (() throws -> FeatureCache?)? = nil) {
        self.train = train
        self.validation = validation
        self.fae = fae
        self.tokenizer = tokenizer
        self.grammar = grammar
        self.initialWeights = initialWeights
        self.cacheKey = cacheKey
        self.featureCache = featureCache
    }
}
