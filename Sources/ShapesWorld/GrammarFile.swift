/// The on-disk layout of `shapes_grammar.json` (snake_case keys); `ShapesGrammar` checks and indexes it.
struct GrammarFile: Decodable {
    struct PaletteEntry: Decodable {
        var name: String
        var rgb: [Int]
        var synonyms: [String]?
    }
    struct SizeEntry: Decodable {
        var name: String
        var pixels: Int
        var synonyms: [String]?
    }
    struct ShapeEntry: Decodable {
        var shape: String
        var singular: [String]
        var plural: [String]
    }
    struct CellEntry: Decodable {
        var name: String
        var row: Int
        var column: Int
        var phrases: [String]
    }
    struct RelationEntry: Decodable {
        var relation: String
        var phrases: [String]
    }
    struct PairEntry: Decodable {
        var color: String
        var shape: String
    }

    var imageSize: Int
    var cellCenters: [Int]
    var maxObjects: Int
    var colors: [PaletteEntry]
    var backgrounds: [PaletteEntry]
    var sizes: [SizeEntry]
    var shapes: [ShapeEntry]
    var cells: [CellEntry]
    var relations: [RelationEntry]
    var articles: [String]
    var conjunctions: [String]
    var numbers: [String: Int]
    var prefixes: [String]
    var backgroundOpeners: [String]
    var backgroundClosers: [String]
    var heldOut: [PairEntry]

    enum CodingKeys: String, CodingKey {
        case imageSize = "image_size"
        case cellCenters = "cell_centers"
        case maxObjects = "max_objects"
        case colors, backgrounds, sizes, shapes, cells, relations, articles, conjunctions, numbers, prefixes
        case backgroundOpeners = "background_openers"
        case backgroundClosers = "background_closers"
        case heldOut = "held_out"
    }
}
