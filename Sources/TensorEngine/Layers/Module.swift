/// A layer with named parameters. Names follow PyTorch `state_dict` keys (`prefix + "weight"`), so
/// Hugging Face checkpoints load strictly by name.
public protocol Module: AnyObject {
    /// Parameters with their full names under `prefix` (e.g. "encoder.layer.0.attention.").
    func namedParameters(prefix: String) -> [(String, Parameter)]
}

extension Array where Element: Module {
    /// A stack of layers' parameters, each under `prefix` + its index (`blocks.0.`, `blocks.1.`, ...).
    public func namedParameters(prefix: String) -> [(String, Parameter)] {
        enumerated().flatMap { index, layer in layer.namedParameters(prefix: prefix + "\(index).") }
    }
}

extension Module {
    public var parameters: [Parameter] { namedParameters(prefix: "").map(\.1) }

    public func zeroGrad() { for p in parameters { p.zeroGrad() } }

    /// Total number of scalar parameters.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.value.count } }

    /// Strict loading: every parameter must be present in `tensors` (keys `prefix + name`) with its
    /// exact shape, and (if `allowUnused` is false) every tensor must be used. The error lists all
    /// missing, unused and mis-shaped names.
    public func load(_ tensors: [String: Tensor], prefix: String = "", allowUnused: Bool = false) throws {
        var missing: [String] = [], misshaped: [String] = []
        var used = Set<String>()
        let named = namedParameters(prefix: prefix)
        for (name, p) in named {
            guard let t = tensors[name] else { missing.append(name); continue }
            used.insert(name)
            if t.shape != p.shape { misshaped.append("\(name) (expected \(p.shape), got \(t.shape))") }
        }
        let unused = allowUnused ? [] : tensors.keys.filter { !used.contains($0) }.sorted()
        if !missing.isEmpty || !misshaped.isEmpty || !unused.isEmpty {
            var parts: [String] = []
            if !missing.isEmpty { parts.append("missing: \(missing.joined(separator: ", "))") }
            if !misshaped.isEmpty { parts.append("mis-shaped: \(misshaped.joined(separator: ", "))") }
            if !unused.isEmpty { parts.append("unused: \(unused.joined(separator: ", "))") }
            let code: TensorEngineError.Code = !misshaped.isEmpty ? .shapeMismatch : (!missing.isEmpty ? .missingParameter : .unusedParameter)
            throw TensorEngineError(code, "cannot load parameters: " + parts.joined(separator: "; "))
        }
        for (name, p) in named { p.value.copy(from: tensors[name]!) }
    }
}
