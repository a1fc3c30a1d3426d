/// Typed reads: copies out of the mapping, converting half-precision floats to Float.
extension SafetensorsFile {
    /// The values of a F32, F16 or BF16 tensor as Float, in row-major order.
    public func floats(_ name: String) throws -> [Float] {
        let tensor = try info(name)
        return try [Float](unsafeUninitializedCapacity: tensor.elementCount) { buffer, count in
            try copyFloats(tensor, into: buffer)
            count = tensor.elementCount
        }
    }

    /// Fills `destination` (exactly `elementCount` long) with the values of a F32, F16 or BF16
    /// tensor, so that a tensor type can load into storage it already owns.
    public func copyFloats(_ name: String, into destination: UnsafeMutableBufferPointer<Float>) throws {
        try copyFloats(try info(name), into: destination)
    }

    /// The values of an I64 or I32 tensor (I32 widens losslessly).
    public func int64s(_ name: String) throws -> [Int64] {
        let tensor = try info(name)
        return try withExtendedLifetime(self) {
            let source = bytes(of: tensor)
            switch tensor.dtype {
            case .i64:
                return [Int64](unsafeUninitializedCapacity: tensor.elementCount) { buffer, count in
                    if let target = buffer.baseAddress, let from = source.baseAddress {
                        UnsafeMutableRawPointer(target).copyMemory(from: from, byteCount: source.count)
                    }
                    count = tensor.elementCount
                }
            case .i32:
                return (0 ..< tensor.elementCount).map { Int64(source.loadUnaligned(fromByteOffset: $0 * 4, as: Int32.self)) }
            default:
                throw unsupported(tensor, expected: "I64 or I32")
            }
        }
    }

    /// The values of an I32 tensor.
    public func int32s(_ name: String) throws -> [Int32] {
        let tensor = try info(name)
        guard tensor.dtype == .i32 else { throw unsupported(tensor, expected: "I32") }
        return withExtendedLifetime(self) {
            let source = bytes(of: tensor)
            return [Int32](unsafeUninitializedCapacity: tensor.elementCount) { buffer, count in
                if let target = buffer.baseAddress, let from = source.baseAddress {
                        UnsafeMutableRawPointer(target).copyMemory(from: from, byteCount: source.count)
                    }
                count = tensor.elementCount
            }
        }
    }

    private func copyFloats(_ tensor: SafetensorsTensorInfo, into destination: UnsafeMutableBufferPointer<Float>) throws {
        guard destination.count == tensor.elementCount else {
            throw SafetensorsError(.invalidShape, "destination holds \(destination.count) values but the tensor has \(tensor.elementCount) (shape \(tensor.shape))", path: url.path, tensor: tensor.name)
        }
        try withExtendedLifetime(self) {
            let source = bytes(of: tensor)
            switch tensor.dtype {
            case .f32:
                // memcpy rather than a typed load: the data need not be 4-byte aligned.
                if let target = destination.baseAddress, let from = source.baseAddress {
                    UnsafeMutableRawPointer(target).copyMemory(from: from, byteCount: source.count)
                }
            case .f16:
                HalfPrecision.convertF16(source, to: destination)
            case .bf16:
                HalfPrecision.convertBF16(source, to: destination)
            default:
                throw unsupported(tensor, expected: "F32, F16 or BF16")
            }
        }
    }

    private func unsupported(_ tensor: SafetensorsTensorInfo, expected: String) -> SafetensorsError {
        let kind = tensor.dtype.isSupported ? "has dtype" : "has unsupported dtype"
        return SafetensorsError(.unsupportedDType, "\(kind) \(tensor.dtype), expected \(expected)", path: url.path, tensor: tensor.name)
    }
}
