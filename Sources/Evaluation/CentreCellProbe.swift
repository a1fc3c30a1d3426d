import ShapesWorld
import TensorEngine

/// The understanding probe of `eval fae`: from the features of the tokens over the centre cell,
/// predict the shape and the colour of the object there ("none" when the cell is empty).
public struct CentreCellProbe {
    public let colorNames: [String]
    public static let shapes = ShapeKind.allCases

    public init(grammar: ShapesGrammar) {
        colorNames = grammar.colors.map(\.name)
    }

    /// (shape label, colour label) of the centre cell; "none" is the last class of each.
    public func labels(_ scene: Scene) -> (shape: Int, color: Int) {
        guard let object = scene.objects.first(where: { $0.cell == GridCell(row: 1, column: 1) }) else {
            return (Self.shapes.count, colorNames.count)
        }
        return (Self.shapes.firstIndex(of: object.shape)!, colorNames.firstIndex(of: object.color.name) ?? colorNames.count)
    }

    /// The tokens covering the centre cell on a g x g grid: the middle half of the rows and columns
    /// (4 x 4 of 8 x 8; the cell spans pixels 21-43 of 64).
    public static func centreTokens(grid g: Int) -> [Int] {
        let lo = g / 4, hi = g - g / 4
        return (lo..<hi).flatMap { r in (lo..<hi).map { r * g + $0 } }
    }

    /// (B, N, C) features -> (B, |centre| * C) probe inputs.
    public static func probeInputs(_ features: Tensor, grid: Int) -> Tensor {
        let tokens = centreTokens(grid: grid), b = features.dim(0), n = features.dim(1), c = features.dim(2)
        let out = Tensor(zeros: [b, tokens.count * c])
        for i in 0..<b {
            for (j, t) in tokens.enumerated() {
                (out.pointer + (i * tokens.count + j) * c).update(from: features.pointer + (i * n + t) * c, count: c)
            }
        }
        return out
    }

    /// Mean of the shape and colour probe accuracies.
    public func accuracy(train: Tensor, trainScenes: [Scene], test: Tensor, testScenes: [Scene], grid: Int) -> (shape: Float, color: Float) {
        let x = Self.probeInputs(train, grid: grid), xt = Self.probeInputs(test, grid: grid)
        let trainLabels = trainScenes.map(labels), testLabels = testScenes.map(labels)
        let shape = LinearProbe.accuracy(train: x, trainLabels: trainLabels.map(\.shape), test: xt, testLabels: testLabels.map(\.shape),
                                         classes: Self.shapes.count + 1)
        let color = LinearProbe.accuracy(train: x, trainLabels: trainLabels.map(\.color), test: xt, testLabels: testLabels.map(\.color),
                                         classes: colorNames.count + 1)
        return (shape, color)
    }
}
