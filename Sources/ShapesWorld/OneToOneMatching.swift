/// The search behind "some one-to-one matching of the described objects to the ones in a scene":
/// a scene generated for a caption (`SceneSpec.isSatisfied(by:)`) and an image judged against a
/// prompt (`ShapeBenchJudge`) both ask it. Backtracking over at most a handful of objects.
enum OneToOneMatching {
    /// Whether each of `count` wanted items can get its own candidate of `0..<candidates` with
    /// `fits(item, candidate)`, such that `accepts(assignment)` holds for the whole assignment
    /// (`assignment[item]` = its candidate). Candidates are tried in index order.
    static func exists(count: Int, candidates: Int, fits: (Int, Int) -> Bool, accepts: ([Int]) -> Bool) -> Bool {
        var assignment = [Int](repeating: -1, count: count)
        var used = [Bool](repeating: false, count: candidates)
        func search(_ item: Int) -> Bool {
            if item == count { return accepts(assignment) }
            for candidate in 0..<candidates where !used[candidate] && fits(item, candidate) {
                used[candidate] = true
                assignment[item] = candidate
                if search(item + 1) { return true }
                used[candidate] = false
            }
            return false
        }
        return search(0)
    }
}
