/// "objects[subject] <relation> objects[object]" within a `SceneSpec`.
public struct RelationSpec: Equatable, Sendable {
    public var subject: Int
    public var relation: Relation
    public var object: Int

    public init(subject: Int, relation: Relation, object: Int) {
        self.subject = subject
        self.relation = relation
        self.object = object
    }
}
