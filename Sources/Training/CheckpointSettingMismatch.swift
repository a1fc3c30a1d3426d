/// The cause of a `checkpointMismatch` over one run setting: a resumed run whose setting differs
/// from the one its checkpoint was made with. `TrainingError.setting` reads the key from it.
public struct CheckpointSettingMismatch: Error, CustomStringConvertible {
    /// The setting's key in the checkpoint (`text_positions`, `data`, ...).
    public let setting: String
    /// The value the checkpoint was made with, nil when it did not record the setting.
    public let saved: String?
    /// The value this run asks for.
    public let requested: String

    public var description: String {
        "\(setting) = \(saved ?? "(unset)") in the checkpoint, \(requested) in this run"
    }
}
