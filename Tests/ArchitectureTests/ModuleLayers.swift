/// The intended order of the modules (docs/architecture.md): a module may import only modules of
/// a lower layer, and a few modules only the ones named here.
enum ModuleLayers {
    static let layer: [String: Int] = [
        "ModuleErrors": 0, "Generation": 0, "FaeResources": 0,
        "CBLAS": 0, "CJPEG": 0, "CPNG": 0, "CSentencePiece": 0, "CShim": 0,
        "TensorEngine": 1, "ImageCodec": 1, "Tokenizer": 1, "Digest": 1,
        "Models": 2, "ShapesWorld": 2,
        "Sampler": 3, "Dataset": 3,
        "TextToImage": 4, "JobQueue": 4,
        "Evaluation": 5, "Worker": 5, "HTTPServer": 5,
        "Training": 6,
        "FaeCLI": 7,
    ]

    /// Modules whose imports of ours are limited beyond their layer.
    static let onlyImports: [String: Set<String>] = [
        // The queue stores requests and images; it never imports the engine or the models.
        "JobQueue": ["Generation", "Digest", "ModuleErrors"],
        // The server speaks HTTP over the queue; it renders nothing, so it never imports the engine.
        "HTTPServer": ["Generation", "JobQueue", "ModuleErrors"],
        // The engine never imports models or the queue.
        "TensorEngine": ["ModuleErrors", "CBLAS"],
    ]

    /// Inference never depends on training data or trainers.
    static let inference: Set<String> = ["Models", "Sampler", "TextToImage", "Worker"]
    static let trainingSide: Set<String> = ["Dataset", "Training"]
}
