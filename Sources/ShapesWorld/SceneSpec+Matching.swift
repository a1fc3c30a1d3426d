extension SceneSpec {
    /// Whether `scene` is one of the scenes this spec describes: same number of objects, some one-to-one
    /// matching in which every object has its stated attributes and every relation holds, same background
    /// if one is stated.
    public func isSatisfied(by scene: Scene) -> Bool {
        guard scene.objects.count == objects.count else { return false }
        if let background, background != scene.background { return false }
        var assignment = [Int](repeating: -1, count: objects.count)
        var used = [Bool](repeating: false, count: objects.count)
        func search(_ index: Int) -> Bool {
            if index == objects.count {
                return relations.allSatisfy { relation in
                    relation.relation.holds(subject: scene.objects[assignment[relation.subject]].cell,
                                            object: scene.objects[assignment[relation.object]].cell)
                }
            }
            for candidate in scene.objects.indices where !used[candidate] && objects[index].isSatisfied(by: scene.objects[candidate]) {
                used[candidate] = true
                assignment[index] = candidate
                if search(index + 1) { return true }
                used[candidate] = false
            }
            return false
        }
        return search(0)
    }
}
