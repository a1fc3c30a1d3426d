// swift-tools-version:6.0
import PackageDescription

// libFuzzer targets for the parsers that read outside data. Built only by `make fuzz` (with
// `-sanitize=fuzzer,address` and the lld linker, see Fuzz/README.md), never by the main package's
// `swift build` or `make test`.
let main: PackageDescription.Package.Dependency = .package(name: "fae-t2i", path: "..")

func product(_ name: String) -> Target.Dependency {
    .product(name: name, package: "fae-t2i")
}

/// One executable per parser: `fuzz-<name>` from Sources/<Folder>.
func fuzzer(_ name: String, _ folder: String, _ dependencies: [Target.Dependency]) -> Target {
    .executableTarget(name: "fuzz-\(name)", dependencies: ["FuzzDriver", "FuzzSupport"] + dependencies,
                      path: "Sources/\(folder)")
}

let package = Package(
    name: "fae-t2i-fuzz",
    platforms: [.macOS(.v14)],
    dependencies: [
        main,
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
    ],
    targets: [
        // Hands the command line to libFuzzer's driver (C, so that the call uses the C ABI).
        .target(name: "FuzzDriver"),
        .target(name: "FuzzSupport"),
        fuzzer("caption", "FuzzCaption", [product("ShapesWorld")]),
        fuzzer("grammar", "FuzzGrammar", [product("ShapesWorld")]),
        fuzzer("safetensors", "FuzzSafetensors", [product("TensorEngine")]),
        fuzzer("jpeg", "FuzzJPEG", [product("ImageCodec")]),
        fuzzer("png", "FuzzPNG", [product("ImageCodec")]),
        fuzzer("dataset-manifest", "FuzzDatasetManifest", ["DatasetFixture"]),
        fuzzer("captions-index", "FuzzCaptionsIndex", ["DatasetFixture"]),
        fuzzer("dataset-image", "FuzzDatasetImage", ["DatasetFixture"]),
        .target(name: "DatasetFixture", dependencies: [
            "FuzzSupport", product("Dataset"), product("ShapesWorld"), product("ImageCodec"),
        ]),
        fuzzer("model-config", "FuzzModelConfig", [
            product("Models"), product("Sampler"), product("TextToImage"), product("TensorEngine"), product("Tokenizer"),
        ]),
        fuzzer("job-row", "FuzzJobRow", [product("JobQueue"), .product(name: "GRDB", package: "GRDB.swift")]),
    ],
    swiftLanguageModes: [.v5]
)
