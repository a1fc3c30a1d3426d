import Foundation
import TensorEngine

/// Edits a saved model folder the way a user or a damaged file would: one config.json key, or one
/// weight replaced by NaN.
enum CheckpointEditing {
    /// Sets `key` of `folder/config.json` to `value` (any JSON value).
    static func setConfig(_ folder: URL, _ key: String, _ value: Any) throws {
        let url = folder.appendingPathComponent("config.json")
        var object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        object[key] = value
        try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]).write(to: url)
    }

    /// Rewrites `folder/model.safetensors` (F32) with element `index` of `tensor` set to `value`.
    static func poison(_ folder: URL, tensor: String, index: Int = 0, value: Float = .nan) throws {
        let url = folder.appendingPathComponent("model.safetensors")
        let file = try SafetensorsFile(url: url)
        var writer = SafetensorsWriter(metadata: file.metadata)
        for info in file.tensors {
            var values = try file.floats(info.name)
            if info.name == tensor { values[index] = value }
            try writer.add(name: info.name, floats: values, shape: info.shape)
        }
        precondition(file.contains(tensor), "no tensor \(tensor) in \(url.path)")
        try writer.write(to: url)
    }
}
