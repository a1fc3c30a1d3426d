import Foundation

/// Parses `captions.jsonl`: one JSON object per line, blank lines ignored, line numbers from 1.
/// Lines are decoded in parallel chunks (100k lines take well under a second); the error reported is
/// always the one of the first bad line, whatever the thread timing.
enum CaptionIndexParser {
    static func parse(_ data: Data, threads: Int) throws -> [(number: Int, range: Range<Int>, entry: CaptionEntry)] {
        // (line number, byte range) of each non-blank line.
        var lines: [(number: Int, range: Range<Int>)] = []
        data.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            var start = 0, number = 1
            // A UTF-8 byte-order mark (some editors write one) is not part of the JSON.
            if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { start = 3 }
            var position = start
            while position <= bytes.count {
                if position == bytes.count || bytes[position] == 0x0A {
                    var blank = true
                    for offset in start..<position where !(bytes[offset] == 0x20 || bytes[offset] == 0x09 || bytes[offset] == 0x0D) {
                        blank = false
                        break
                    }
                    if !blank { lines.append((number, start..<position)) }
                    number += 1
                    start = position + 1
                }
                position += 1
            }
        }

        var results = [Result<CaptionEntry, DatasetError>](repeating: .failure(DatasetError(.malformedIndex, "")), count: lines.count)
        let workers = max(1, min(threads, lines.count / 2_000 + 1))
        results.withUnsafeMutableBufferPointer { results in
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                let decoder = JSONDecoder()
                let begin = lines.count * worker / workers, end = lines.count * (worker + 1) / workers
                for position in begin..<end {
                    let line = lines[position]
                    do {
                        let entry = try decoder.decode(CaptionEntry.self, from: data.subdata(in: line.range))
                        results[position] = .success(entry)
                    } catch {
                        results[position] = .failure(DatasetError(
                            .malformedIndex, "\(ImageDataset.indexFileName) line \(line.number): \(describe(error))"))
                    }
                }
            }
        }
        return try zip(lines, results).map { line, result in (line.number, line.range, try result.get()) }
    }

    /// A one-line explanation of a JSON decoding failure.
    static func describe(_ error: Error) -> String {
        guard let error = error as? DecodingError else { return "malformed JSON (\(error.localizedDescription))" }
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case let .keyNotFound(key, context):
            let parent = path(context)
            return "missing key '\(parent.isEmpty ? key.stringValue : parent + "." + key.stringValue)'"
        case let .typeMismatch(type, context):
            return context.codingPath.isEmpty ? "not a JSON object" : "'\(path(context))' is not a \(type)"
        case let .valueNotFound(type, context):
            return "'\(path(context))' is null, expected a \(type)"
        case let .dataCorrupted(context):
            return context.codingPath.isEmpty ? "malformed JSON" : "invalid value at '\(path(context))'"
        @unknown default:
            return "malformed JSON"
        }
    }
}
