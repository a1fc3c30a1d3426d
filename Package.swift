// swift-tools-version:6.0
import PackageDescription

// Release-grade optimisation for the numeric hot loops even in debug builds would hide bugs. Both
// configurations keep Swift's overflow and bounds checks (`-Ounchecked` measured no faster on the
// engine's benchmarks: Sources/TensorEngine/README.md); the hot loops run on unsafe pointers anyway.
let package = Package(
    name: "fae-t2i",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "fae-t2i", targets: ["FaeCLI"]),
        .library(name: "ImageCodec", targets: ["ImageCodec"]),
        .library(name: "ShapesWorld", targets: ["ShapesWorld"]),
        .library(name: "Dataset", targets: ["Dataset"]),
        .library(name: "TensorEngine", targets: ["TensorEngine"]),
        .library(name: "Models", targets: ["Models"]),
        .library(name: "Sampler", targets: ["Sampler"]),
        .library(name: "TextToImage", targets: ["TextToImage"]),
        .library(name: "Generation", targets: ["Generation"]),
        .library(name: "JobQueue", targets: ["JobQueue"]),
        .library(name: "Tokenizer", targets: ["Tokenizer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.0"),
    ],
    targets: [
        // C shims over system libraries.
        .target(name: "CShim"),
        .target(name: "CJPEG", dependencies: ["CShim"], linkerSettings: [.linkedLibrary("jpeg")]),
        .target(name: "CPNG", dependencies: ["CShim"], linkerSettings: [.linkedLibrary("png")]),
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas"),
        // SentencePiece is C++: a .cpp file behind an extern "C" header keeps C++ interop out of Swift.
        .target(name: "CSentencePiece", linkerSettings: [
            .linkedLibrary("sentencepiece"), .linkedLibrary("sentencepiece_train"), .linkedLibrary("stdc++"),
        ]),

        // Libraries, bottom to top.
        .target(name: "FaeResources"),
        // One generic error type (code, message, cause) that each module specialises; no dependencies.
        .target(name: "ModuleErrors"),
        // SHA-256 hex of data and of files: image digests in the queue, weights hashes for caches and metadata.
        .target(name: "Digest", dependencies: ["ModuleErrors", .product(name: "Crypto", package: "swift-crypto")]),
        // One text-to-image request (texts, seeds, sampler settings) and its validation; no dependencies.
        .target(name: "Generation"),
        .target(name: "ImageCodec", dependencies: ["ModuleErrors", "CJPEG", "CPNG"]),
        .target(name: "ShapesWorld", dependencies: ["ModuleErrors", "ImageCodec"]),
        .target(name: "Dataset", dependencies: ["ModuleErrors", "ImageCodec", "ShapesWorld"]),
        // Plain -O: -Ounchecked measured within noise, and overflow checks stay on (README.md).
        .target(name: "TensorEngine", dependencies: ["ModuleErrors", "CBLAS"], exclude: ["README.md"]),
        .target(name: "Models", dependencies: ["ModuleErrors", "TensorEngine"]),
        .target(name: "Sampler", dependencies: ["Generation", "ModuleErrors", "TensorEngine", "Models"]),
        .target(name: "Tokenizer", dependencies: ["ModuleErrors", "CSentencePiece"]),
        .target(name: "TextToImage", dependencies: [
            "Generation", "ModuleErrors", "Models", "Sampler", "Tokenizer", "TensorEngine", "ImageCodec",
        ]),
        // Evaluation reads held-out images from a Dataset (eval fae) and renders through TextToImage (ShapeBench).
        .target(name: "Evaluation", dependencies: [
            "ModuleErrors", "Models", "TensorEngine", "Sampler", "Tokenizer", "TextToImage", "Dataset", "ShapesWorld", "ImageCodec",
        ]),
        .target(name: "Training", dependencies: [
            "ModuleErrors", "TensorEngine", "Models", "Dataset", "ShapesWorld", "Sampler", "Tokenizer", "Digest", "Evaluation",
            "TextToImage",
        ]),
        // The queue on a SQLite file (GRDB) or a PostgreSQL server (postgres-nio), behind one protocol.
        .target(name: "JobQueue", dependencies: [
            "Generation", "ModuleErrors", "Digest", .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "Worker", dependencies: [
            "Generation", "JobQueue", "ShapesWorld", "ImageCodec", "TextToImage", "Models", "TensorEngine", "Digest",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        // The JSON API, Server-Sent Events, metrics and the web gallery over any JobQueue (Hummingbird).
        .target(name: "HTTPServer", dependencies: [
            "Generation", "JobQueue", "ModuleErrors",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Crypto", package: "swift-crypto"),
        ], resources: [
            .embedInCode("Gallery/index.html"), .embedInCode("Gallery/gallery.css"), .embedInCode("Gallery/gallery.js"),
            .embedInCode("API/openapi.json"),
        ]),
        .executableTarget(name: "FaeCLI", dependencies: [
            "FaeResources", "Generation", "JobQueue", "Worker", "HTTPServer", "ShapesWorld", "ImageCodec", "TensorEngine", "Models", "Tokenizer",
            "Dataset", "Training", "Sampler", "TextToImage", "Evaluation",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),

        // Tests.
        .target(name: "TestSupport", dependencies: ["FaeResources", "ShapesWorld", "Models"], path: "Tests/TestSupport"),
        .testTarget(name: "ImageCodecTests", dependencies: ["ImageCodec", "TestSupport"]),
        .testTarget(name: "ShapesWorldTests", dependencies: ["ShapesWorld", "ImageCodec", "TestSupport"]),
        .testTarget(name: "DatasetTests", dependencies: ["Dataset", "ShapesWorld", "ImageCodec", "TestSupport"]),
        .testTarget(name: "TensorEngineTests", dependencies: ["TensorEngine", "TestSupport"]),
        .testTarget(name: "ModelsTests", dependencies: ["Models", "TensorEngine", "TestSupport", "ShapesWorld", "ImageCodec"]),
        .testTarget(name: "SamplerTests", dependencies: ["Sampler", "Models", "TensorEngine", "TestSupport"]),
        .testTarget(name: "TrainingTests", dependencies: ["Training", "Evaluation", "Models", "Dataset", "ShapesWorld", "TensorEngine", "TestSupport",
                                                          "Sampler", "Tokenizer", "TextToImage"]),
        .testTarget(name: "TokenizerTests", dependencies: ["Tokenizer", "TestSupport"]),
        .testTarget(name: "GenerationTests", dependencies: ["Generation"]),
        // Reads Sources/ and holds every import to the layers of docs/architecture.md.
        .testTarget(name: "ArchitectureTests", dependencies: ["TestSupport"]),
        .testTarget(name: "JobQueueTests", dependencies: ["JobQueue", "Generation", "Digest", "TestSupport"]),
        .testTarget(name: "DigestTests", dependencies: ["Digest", "ModuleErrors", "TestSupport"]),
        .testTarget(name: "EvaluationTests", dependencies: [
            "Evaluation", "Dataset", "Models", "ShapesWorld", "TensorEngine", "ImageCodec", "TestSupport",
        ]),
        .testTarget(name: "TextToImageTests", dependencies: [
            "TextToImage", "Generation", "Evaluation", "Worker", "JobQueue", "Models", "Sampler", "Tokenizer", "TensorEngine", "ShapesWorld",
            "ImageCodec", "TestSupport", .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "HTTPServerTests", dependencies: [
            "HTTPServer", "JobQueue", "Generation", "TestSupport",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdTesting", package: "hummingbird"),
            .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "WorkerTests", dependencies: [
            "Worker", "Generation", "JobQueue", "Sampler", "ShapesWorld", "ImageCodec", "TestSupport", .product(name: "GRDB", package: "GRDB.swift"),
        ]),
    ],
    swiftLanguageModes: [.v5]
)
