import Foundation
import Testing
import TestSupport

/// Reads every `import` in Sources/ and holds it to `ModuleLayers`.
struct ModuleImportTests {
    static let declarationKinds: Set<String> = ["struct", "class", "enum", "protocol", "typealias", "func", "var", "let"]

    /// Module -> the modules of ours it imports (system and package modules left out).
    static func imports() throws -> [String: Set<String>] {
        let sources = TestPaths.repositoryRoot.appendingPathComponent("Sources")
        let files = FileManager.default
        var result: [String: Set<String>] = [:]
        for module in try files.contentsOfDirectory(atPath: sources.path) where !module.hasPrefix(".") {
            var imported: Set<String> = []
            let folder = sources.appendingPathComponent(module)
            for case let path as String in files.enumerator(atPath: folder.path) ?? NSEnumerator() where path.hasSuffix(".swift") {
                let text = try String(contentsOf: folder.appendingPathComponent(path), encoding: .utf8)
                for line in text.split(separator: "\n") {
                    // `@testable import X`, `import X`, `import struct X.Y`.
                    var words = line.split(separator: " ").filter { !$0.hasPrefix("@") }
                    guard words.count >= 2, words[0] == "import" else { continue }
                    if Self.declarationKinds.contains(String(words[1])), words.count >= 3 { words.remove(at: 1) }
                    let name = String(words[1].split(separator: ".")[0])
                    if ModuleLayers.layer[name] != nil { imported.insert(name) }
                }
            }
            result[module] = imported
        }
        return result
    }

    @Test func everyModuleHasALayer() throws {
        let modules = Set(try Self.imports().keys)
        #expect(modules.subtracting(ModuleLayers.layer.keys).isEmpty, "add new modules to ModuleLayers and docs/architecture.md")
        #expect(Set(ModuleLayers.layer.keys).subtracting(modules).isEmpty, "ModuleLayers names a module that no longer exists")
    }

    @Test func modulesImportOnlyLowerLayers() throws {
        for (module, imported) in try Self.imports() {
            guard let own = ModuleLayers.layer[module] else { continue }
            for name in imported {
                #expect(ModuleLayers.layer[name, default: .max] < own, "\(module) (layer \(own)) imports \(name)")
            }
        }
    }

    @Test func theQueueAndTheEngineImportOnlyWhatTheyMay() throws {
        let imports = try Self.imports()
        for (module, allowed) in ModuleLayers.onlyImports {
            let extra = imports[module, default: []].subtracting(allowed)
            #expect(extra.isEmpty, "\(module) imports \(extra.sorted())")
        }
    }

    @Test func inferenceDoesNotDependOnTraining() throws {
        let imports = try Self.imports()
        for module in ModuleLayers.inference {
            let extra = imports[module, default: []].intersection(ModuleLayers.trainingSide)
            #expect(extra.isEmpty, "\(module) imports \(extra.sorted())")
        }
    }

    /// The check itself must see imports: a scan that finds nothing would pass every rule.
    @Test func theScanFindsKnownImports() throws {
        let imports = try Self.imports()
        #expect(imports["TextToImage"]?.contains("Sampler") == true)
        #expect(imports["JobQueue"]?.contains("Generation") == true)
        #expect(imports["FaeCLI"]?.contains("Worker") == true)
    }
}
