import Foundation
import TensorEngine

/// Breaks one part of a model folder the way an edit or a damaged file would: one JSON key of a
/// part's config.json or generation.json, or one weight replaced by NaN.
enum ModelFolderEditing {
    /// Sets `key` of the JSON file `folder/part/file` to `value`.
    static func setJSON(_ folder: URL, _ part: String, _ key: String, _ value: Any, file: String = "config.json") throws {
        let url = folder.appendingPathComponent(part).appendingPathComponent(file)
        var object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        object[key] = value
        try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]).write(to: url)
    }

    /// Rewrites `folder/part/model.safetensors` with the first value of `tensor` set to NaN.
    static func poison(_ folder: URL, _ part: String, tensor: String) throws {
        let url = folder.appendingPathComponent(part).appendingPathComponent("model.safetensors")
        let file = try SafetensorsFile(url: url)
        precondition(file.contains(tensor), "no tensor \(tensor) in \(url.path)")
        var writer = SafetensorsWriter(metadata: file.metadata)
        for info in file.tensors {
            var values = try file.floats(info.name)
            if info.name == tensor { values[0] = .nan }
            try writer.add(name: info.name, floats: values, shape: info.shape)
        }
        try writer.write(to: url)
    }
}
