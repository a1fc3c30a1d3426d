/// Unwraps what a fuzz target prepares once before the first input (a fixture folder, a loaded
/// grammar); a failure there is a broken harness, not a finding, so it says so and stops.
public enum FuzzSetup {
    public static func require<T>(_ what: String, _ body: () throws -> T) -> T {
        do {
            return try body()
        } catch {
            fatalError("fuzz setup failed: \(what): \(error)")
        }
    }
}
