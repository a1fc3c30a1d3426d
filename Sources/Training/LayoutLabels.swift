import Dataset
import ShapesWorld

/// The labels of the generator's layout loss, one per image token of each generated training
/// image: on the MMDiT's token grid, a token whose centre pixel lies in an object's bounding box
/// gets that object's (colour, shape) pair (`colour * shapes + shape`, as `BindingLabels`), every
/// other token `background` (the last class). From the datasets' exact scenes, so only generated
/// data has them. A head on the MMDiT's last image hidden states (`TokenClassifier`) predicts them,
/// asking each image token which object it draws: a region that is visibly red at mid noise must
/// say which shape the caption gives red.
struct LayoutLabels {
    /// Colours x shapes + background.
    let classes: Int
    /// (images, grid * grid) row-major, rows of tokens in the MMDiT's order.
    let labels: [Int32]

    init(dataset: ImageDataset, count: Int, grid: Int, grammar: ShapesGrammar) throws {
        classes = grammar.colors.count * ShapeKind.allCases.count + 1
        var labels: [Int32] = []
        labels.reserveCapacity(count * grid * grid)
        for index in 0 ..< count {
            guard let scene = try dataset.scene(at: index) else {
                throw TrainingError(.invalidData, "the layout loss needs generated data with scenes; \(dataset.url.path) has none (train without --layout-loss)")
            }
            labels += Self.row(of: scene, grid: grid, grammar: grammar)
        }
        self.labels = labels
    }

    /// One scene's labels, (grid * grid) row-major.
    static func row(of scene: Scene, grid: Int, grammar: ShapesGrammar) -> [Int32] {
        let shapes = ShapeKind.allCases
        var row = [Int32](repeating: Int32(grammar.colors.count * shapes.count), count: grid * grid)   // background
        let pixelsPerToken = Double(scene.imageSize) / Double(grid)
        func tokens(from start: Int, side: Int) -> [Int] {
            (0 ..< grid).filter { k in
                let centre = (Double(k) + 0.5) * pixelsPerToken
                return Double(start) <= centre && centre < Double(start + side)
            }
        }
        for object in scene.objects {
            guard let color = grammar.colors.firstIndex(where: { $0.name == object.color.name }),
                  let shape = shapes.firstIndex(of: object.shape) else { continue }
            let box = scene.boundingBox(of: object)
            for r in tokens(from: box.y0, side: box.side) {
                for c in tokens(from: box.x0, side: box.side) { row[r * grid + c] = Int32(color * shapes.count + shape) }
            }
        }
        return row
    }
}
