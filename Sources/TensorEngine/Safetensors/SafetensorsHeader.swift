import Foundation

/// The parsed and validated header of a safetensors buffer.
///
/// Validation follows the reference implementation (safetensors `Metadata::validate`): sorted by
/// offsets, the tensors must tile the data section exactly — no gaps, no overlap, nothing left over
/// — and each byte size must equal the shape's element count times the dtype size.
struct SafetensorsHeader {
    /// The reference implementation refuses headers above 100 MB; so do we, before allocating.
    static let maximumHeaderLength = 100_000_000

    /// Tensors in data order.
    let tensors: [SafetensorsTensorInfo]
    let metadata: [String: String]?
    /// Absolute byte offset of the data section (8 + header length).
    let dataStart: Int

    /// Parses `buffer`, the whole file. `path` only labels errors.
    init(buffer: UnsafeRawBufferPointer, path: String) throws {
        guard buffer.count >= 8 else {
            throw SafetensorsError(.invalidHeaderLength, "file has \(buffer.count) bytes, fewer than the 8-byte header length", path: path)
        }
        let rawLength = UInt64(littleEndian: buffer.loadUnaligned(fromByteOffset: 0, as: UInt64.self))
        guard rawLength <= UInt64(Self.maximumHeaderLength) else {
            throw SafetensorsError(.invalidHeaderLength, "header length \(rawLength) exceeds the 100 MB limit", path: path)
        }
        let headerLength = Int(rawLength)
        guard 8 + headerLength <= buffer.count else {
            throw SafetensorsError(.invalidHeaderLength, "header length \(headerLength) runs past the end of the file (\(buffer.count) bytes)", path: path)
        }
        let headerBytes = UnsafeRawBufferPointer(rebasing: buffer[8 ..< 8 + headerLength])
        guard headerBytes.first == UInt8(ascii: "{") else {
            throw SafetensorsError(.invalidHeader, "header does not start with '{'", path: path)
        }
        let raw: RawHeader
        do {
            raw = try JSONDecoder().decode(RawHeader.self, from: Data(headerBytes))
        } catch let error as RawHeader.EntryError {
            throw SafetensorsError(.invalidHeader, "malformed header entry (\(Self.describe(error.underlying)))", path: path, tensor: error.name, cause: error.underlying)
        } catch {
            throw SafetensorsError(.invalidHeader, "header is not valid JSON of the expected form (\(Self.describe(error)))", path: path, cause: error)
        }

        var infos: [SafetensorsTensorInfo] = []
        infos.reserveCapacity(raw.tensors.count)
        for (name, entry) in raw.tensors {
            infos.append(try Self.validate(entry, name: name, path: path))
        }
        infos.sort { ($0.dataOffsets.lowerBound, $0.dataOffsets.upperBound) < ($1.dataOffsets.lowerBound, $1.dataOffsets.upperBound) }

        let dataLength = buffer.count - 8 - headerLength
        var end = 0
        for info in infos {
            guard info.dataOffsets.lowerBound == end else {
                let problem = info.dataOffsets.lowerBound < end ? "overlaps the previous tensor" : "leaves a gap after the previous tensor"
                throw SafetensorsError(.invalidOffsets, "data_offsets [\(info.dataOffsets.lowerBound), \(info.dataOffsets.upperBound)) \(problem) (which ends at \(end))", path: path, tensor: info.name)
            }
            guard info.dataOffsets.upperBound <= dataLength else {
                throw SafetensorsError(.incompleteBuffer, "data_offsets end at \(info.dataOffsets.upperBound) but the data section has \(dataLength) bytes (truncated file?)", path: path, tensor: info.name)
            }
            end = info.dataOffsets.upperBound
        }
        guard end == dataLength else {
            throw SafetensorsError(.incompleteBuffer, "tensors cover \(end) bytes but the data section has \(dataLength) bytes", path: path)
        }
        tensors = infos
        metadata = raw.metadata
        dataStart = 8 + headerLength
    }

    private static func validate(_ entry: RawHeader.Entry, name: String, path: String) throws -> SafetensorsTensorInfo {
        guard let dtype = SafetensorsDType(rawValue: entry.dtype) else {
            throw SafetensorsError(.unknownDType, "unknown dtype '\(entry.dtype)'", path: path, tensor: name)
        }
        var elements = 1
        for dimension in entry.shape {
            guard dimension >= 0 else {
                throw SafetensorsError(.invalidShape, "negative dimension in shape \(entry.shape)", path: path, tensor: name)
            }
            let (product, overflow) = elements.multipliedReportingOverflow(by: dimension)
            guard !overflow else {
                throw SafetensorsError(.invalidShape, "shape \(entry.shape) overflows", path: path, tensor: name)
            }
            elements = product
        }
        guard entry.dataOffsets.count == 2 else {
            throw SafetensorsError(.invalidOffsets, "data_offsets must be [begin, end], got \(entry.dataOffsets)", path: path, tensor: name)
        }
        let begin = entry.dataOffsets[0], end = entry.dataOffsets[1]
        guard begin >= 0, end >= begin else {
            throw SafetensorsError(.invalidOffsets, "data_offsets [\(begin), \(end)) is not a valid range", path: path, tensor: name)
        }
        guard let bytes = dtype.byteCount(elements: elements) else {
            throw SafetensorsError(.invalidShape, "shape \(entry.shape) of \(dtype) is not a whole number of bytes", path: path, tensor: name)
        }
        guard bytes == end - begin else {
            throw SafetensorsError(.invalidShape, "shape \(entry.shape) of \(dtype) needs \(bytes) bytes but data_offsets span \(end - begin)", path: path, tensor: name)
        }
        return SafetensorsTensorInfo(name: name, dtype: dtype, shape: entry.shape, dataOffsets: begin ..< end)
    }

    /// A one-line summary of a decoding error (the default descriptions are multi-line dumps).
    private static func describe(_ error: Error) -> String {
        guard let decoding = error as? DecodingError else { return "\(error)" }
        switch decoding {
        case .dataCorrupted(let context):
            return context.debugDescription
        case .keyNotFound(let key, _):
            return "missing key '\(key.stringValue)'"
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            let where_ = context.codingPath.map(\.stringValue).joined(separator: ".")
            return "expected \(type) at '\(where_)'"
        @unknown default:
            return "\(decoding)"
        }
    }
}

extension SafetensorsHeader {
/// The header's JSON shape; kept apart from validation so that decoding stays declarative.
fileprivate struct RawHeader: Decodable {
    struct Entry: Decodable {
        let dtype: String
        let shape: [Int]
        let dataOffsets: [Int]

        enum CodingKeys: String, CodingKey {
            case dtype, shape
            case dataOffsets = "data_offsets"
        }
    }

    /// Carries the tensor name out of the decoder so the error can name it.
    struct EntryError: Error {
        let name: String
        let underlying: Error
    }

    struct AnyKey: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { return nil }
    }

    var metadata: [String: String]?
    var tensors: [(String, Entry)] = []

    init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        for key in container.allKeys {
            do {
                if key.stringValue == "__metadata__" {
                    metadata = try container.decode([String: String].self, forKey: key)
                } else {
                    tensors.append((key.stringValue, try container.decode(Entry.self, forKey: key)))
                }
            } catch {
                throw EntryError(name: key.stringValue, underlying: error)
            }
        }
    }
}
}
