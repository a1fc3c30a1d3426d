extension SceneSpec {
    /// Throws if no concrete scene can satisfy this spec (too many objects, two objects in one cell,
    /// relations that cannot hold).
    public func validate() throws {
        _ = try cellLayouts()
    }

    /// Samples every unspecified attribute and returns a concrete scene.
    ///
    /// Cells: uniformly among all assignments of distinct cells that honour the given cells and relations
    /// (see `Relation` for their meaning). Colours, sizes, background: uniformly from the grammar, except that
    /// a sampled colour never forms a held-out pair with its shape; held-out pairs appear only when asked for.
    /// Draw order (layout, background, then colour and size per object) is fixed, so seed -> scene is stable.
    public func resolve<G: RandomNumberGenerator>(using rng: inout G) throws -> Scene {
        let layouts = try cellLayouts()
        let count = objects.count
        let layout = rng.uniformIndex(below: layouts.count / count) * count
        let background = self.background ?? rng.pick(grammar.backgrounds)
        var sceneObjects: [SceneObject] = []
        for (index, spec) in objects.enumerated() {
            let color = spec.color ?? rng.pick(grammar.colors.filter { !grammar.isHeldOut(color: $0, shape: spec.shape) })
            let size = spec.size ?? rng.pick(grammar.sizes)
            let cellIndex = Int(layouts[layout + index])
            sceneObjects.append(SceneObject(shape: spec.shape, color: color, size: size,
                                            cell: GridCell(row: cellIndex / 3, column: cellIndex % 3)))
        }
        return Scene(imageSize: grammar.imageSize, cellCenters: grammar.cellCenters, background: background, objects: sceneObjects)
    }

    /// All valid cell assignments, flattened: `objects.count` cell indices (`row * 3 + column`) per layout.
    /// At most 9*8*7*6 = 3,024 layouts, so plain enumeration is cheap and makes sampling exactly uniform.
    func cellLayouts() throws -> [UInt8] {
        guard !objects.isEmpty else { throw impossible("a scene needs at least one object") }
        guard objects.count <= grammar.maxObjects else {
            throw impossible("too many objects: \(objects.count) (a scene holds at most \(grammar.maxObjects), one per cell)")
        }
        var claimed: Set<GridCell> = []
        for cell in objects.compactMap(\.cell) where !claimed.insert(cell).inserted {
            throw impossible("two objects in one cell: the \(grammar.name(of: cell)) cell is given twice")
        }
        for relation in relations {
            guard objects.indices.contains(relation.subject), objects.indices.contains(relation.object),
                  relation.subject != relation.object else {
                throw impossible("relation \(relation.relation.rawValue) links objects \(relation.subject) and \(relation.object), which is not a pair of distinct objects")
            }
        }

        var layouts: [UInt8] = []
        var current = [Int](repeating: -1, count: objects.count)
        var used = [Bool](repeating: false, count: 9)
        func place(_ index: Int) {
            if index == objects.count {
                layouts.append(contentsOf: current.map { UInt8($0) })
                return
            }
            let candidates = objects[index].cell.map { [$0.row * 3 + $0.column] } ?? Array(0..<9)
            for cell in candidates where !used[cell] {
                current[index] = cell
                // Check the relations whose both ends are now placed, i.e. those touching `index`.
                let consistent = relations.allSatisfy { relation in
                    let (s, o) = (relation.subject, relation.object)
                    guard s <= index, o <= index, s == index || o == index else { return true }
                    return relation.relation.holds(subject: GridCell(row: current[s] / 3, column: current[s] % 3),
                                                   object: GridCell(row: current[o] / 3, column: current[o] % 3))
                }
                if consistent {
                    used[cell] = true
                    place(index + 1)
                    used[cell] = false
                }
            }
            current[index] = -1
        }
        place(0)
        guard !layouts.isEmpty else {
            let described = relations.map { relation in
                "\(describe(objects[relation.subject])) \(relation.relation.rawValue.replacingOccurrences(of: "_", with: " ")) \(describe(objects[relation.object]))"
            }
            throw impossible("the relations cannot hold: \(described.joined(separator: "; "))")
        }
        return layouts
    }

    private func describe(_ object: ObjectSpec) -> String {
        var words = [object.color?.name, object.shape.rawValue].compactMap { $0 }
        if let cell = object.cell { words.append("in the \(grammar.name(of: cell))") }
        return words.joined(separator: " ")
    }

    private func impossible(_ message: String) -> ShapesWorldError {
        ShapesWorldError(.impossibleScene, "impossible scene: \(message)")
    }
}
