extension SceneSpec {
    /// Whether `scene` is one of the scenes this spec describes: same number of objects, some one-to-one
    /// matching in which every object has its stated attributes and every relation holds, same background
    /// if one is stated.
    public func isSatisfied(by scene: Scene) -> Bool {
        guard scene.objects.count == objects.count else { return false }
        if let background, background != scene.background { return false }
        return OneToOneMatching.exists(count: objects.count, candidates: scene.objects.count,
                                       fits: { objects[$0].isSatisfied(by: scene.objects[$1]) },
                                       accepts: { assignment in
            relations.allSatisfy { relation in
                relation.relation.holds(subject: scene.objects[assignment[relation.subject]].cell,
                                        object: scene.objects[assignment[relation.object]].cell)
            }
        })
    }
}
