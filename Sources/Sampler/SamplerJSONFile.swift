import Foundation

/// The small JSON files stored beside a generator (`latent_statistics.json`, `generation.json`):
/// pretty-printed with sorted keys, written atomically; failures become `SamplerError`s naming the file.
enum SamplerJSONFile {
    static func read<T: Decodable>(_ type: T.Type, from url: URL, code: SamplerError.Code) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(contentsOf: url))
        } catch {
            throw SamplerError(code, "cannot read \(url.path): \(error)", cause: error)
        }
    }

    static func write<T: Encodable>(_ value: T, to url: URL, code: SamplerError.Code) throws {
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(value).write(to: url, options: .atomic)
        } catch {
            throw SamplerError(code, "cannot write \(url.path): \(error)", cause: error)
        }
    }
}
