import Foundation
import ImageCodec

extension ShapesGrammar {
    /// Loads `shapes_grammar.json` from `promptsDirectory` (the project's `prompts/` folder).
    public static func load(from promptsDirectory: URL) throws -> ShapesGrammar {
        let url = promptsDirectory.appendingPathComponent(fileName)
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw ShapesWorldError(.grammarFile, "cannot read the shapes grammar at \(url.path): \(error.localizedDescription)")
        }
        return try ShapesGrammar(json: data, source: url.path)
    }

    /// Parses and checks a grammar file's contents; `source` names it in error messages.
    public init(json: Data, source: String = ShapesGrammar.fileName) throws {
        let file: GrammarFile
        do {
            file = try JSONDecoder().decode(GrammarFile.self, from: json)
        } catch {
            throw ShapesWorldError(.grammarFile, "malformed shapes grammar \(source): \(error)")
        }
        func fail(_ problem: String) -> ShapesWorldError {
            ShapesWorldError(.grammarFile, "invalid shapes grammar \(source): \(problem)")
        }
        func rgb(_ values: [Int], _ name: String) throws -> RGBColor {
            guard values.count == 3, values.allSatisfy({ (0...255).contains($0) }) else {
                throw fail("colour '\(name)' needs three values in 0...255")
            }
            return RGBColor(UInt8(values[0]), UInt8(values[1]), UInt8(values[2]))
        }

        guard file.imageSize > 0, file.cellCenters.count == 3,
              file.cellCenters.allSatisfy({ (0..<file.imageSize).contains($0) }) else {
            throw fail("needs a positive image_size and 3 cell_centers inside the image")
        }
        guard (1...9).contains(file.maxObjects) else { throw fail("max_objects must be in 1...9") }

        var colors: [NamedColor] = [], colorPhrases = PhraseTable<NamedColor>()
        for entry in file.colors {
            let color = NamedColor(name: entry.name, rgb: try rgb(entry.rgb, entry.name))
            colors.append(color)
            for phrase in [entry.name] + (entry.synonyms ?? []) { colorPhrases.add(phrase, color) }
        }
        var backgrounds: [NamedColor] = [], backgroundPhrases = PhraseTable<NamedColor>()
        for entry in file.backgrounds {
            let color = NamedColor(name: entry.name, rgb: try rgb(entry.rgb, entry.name))
            backgrounds.append(color)
            for phrase in [entry.name] + (entry.synonyms ?? []) { backgroundPhrases.add(phrase, color) }
        }
        var sizes: [ObjectSize] = [], sizePhrases = PhraseTable<ObjectSize>()
        for entry in file.sizes {
            guard entry.pixels > 0, entry.pixels <= file.imageSize / 3 else {
                throw fail("size '\(entry.name)' must fit in a cell (1...\(file.imageSize / 3) px)")
            }
            let size = ObjectSize(name: entry.name, pixels: entry.pixels)
            sizes.append(size)
            for phrase in [entry.name] + (entry.synonyms ?? []) { sizePhrases.add(phrase, size) }
        }
        guard !colors.isEmpty, !backgrounds.isEmpty, !sizes.isEmpty,
              Set(colors.map(\.name)).count == colors.count,
              Set(backgrounds.map(\.name)).count == backgrounds.count,
              Set(sizes.map(\.name)).count == sizes.count else {
            throw fail("colors, backgrounds and sizes must be non-empty with unique names")
        }

        var singular = PhraseTable<ShapeKind>(), plural = PhraseTable<ShapeKind>()
        for entry in file.shapes {
            guard let shape = ShapeKind(rawValue: entry.shape) else { throw fail("unknown shape '\(entry.shape)'") }
            guard !entry.singular.isEmpty, !entry.plural.isEmpty else { throw fail("shape '\(entry.shape)' needs singular and plural words") }
            entry.singular.forEach { singular.add($0, shape) }
            entry.plural.forEach { plural.add($0, shape) }
        }
        guard Set(singular.entries.map(\.value)) == Set(ShapeKind.allCases) else {
            throw fail("every shape (\(ShapeKind.allCases.map(\.rawValue).joined(separator: ", "))) needs words")
        }

        var cellNames = [String](repeating: "", count: 9), cellPhrases = PhraseTable<GridCell>()
        for entry in file.cells {
            guard (0..<3).contains(entry.row), (0..<3).contains(entry.column), !entry.phrases.isEmpty else {
                throw fail("cell '\(entry.name)' needs row and column in 0...2 and at least one phrase")
            }
            let cell = GridCell(row: entry.row, column: entry.column)
            cellNames[entry.row * 3 + entry.column] = entry.name
            entry.phrases.forEach { cellPhrases.add($0, cell) }
        }
        guard !cellNames.contains(""), Set(cellNames).count == 9 else { throw fail("all 9 cells need a unique name") }

        var relationPhrases = PhraseTable<Relation>()
        for entry in file.relations {
            guard let relation = Relation(rawValue: entry.relation) else { throw fail("unknown relation '\(entry.relation)'") }
            entry.phrases.forEach { relationPhrases.add($0, relation) }
        }

        var numberPhrases = PhraseTable<Int>()
        for (word, value) in file.numbers.sorted(by: { $0.value < $1.value }) { numberPhrases.add(word, value) }
        guard (2...file.maxObjects).allSatisfy({ !numberPhrases.phrases(for: $0).isEmpty }) else {
            throw fail("numbers must name every count from 2 to max_objects")
        }

        var heldOut = Set<ColorShapePair>()
        for pair in file.heldOut {
            guard let shape = ShapeKind(rawValue: pair.shape), colors.contains(where: { $0.name == pair.color }) else {
                throw fail("held-out pair '\(pair.color) \(pair.shape)' names an unknown colour or shape")
            }
            heldOut.insert(ColorShapePair(color: pair.color, shape: shape))
        }
        for shape in ShapeKind.allCases where colors.allSatisfy({ heldOut.contains(ColorShapePair(color: $0.name, shape: shape)) }) {
            throw fail("every colour of '\(shape.rawValue)' is held out")
        }

        func table(_ phrases: [String]) -> PhraseTable<String> {
            var table = PhraseTable<String>()
            phrases.forEach { table.add($0, $0) }
            return table
        }
        guard !file.articles.isEmpty, !file.conjunctions.isEmpty, !file.backgroundOpeners.isEmpty,
              !file.backgroundClosers.isEmpty else {
            throw fail("articles, conjunctions and background phrases must be non-empty")
        }

        self.imageSize = file.imageSize
        self.cellCenters = file.cellCenters
        self.maxObjects = file.maxObjects
        self.colors = colors
        self.backgrounds = backgrounds
        self.sizes = sizes
        self.heldOutPairs = heldOut
        self.cellNames = cellNames
        self.colorPhrases = colorPhrases
        self.backgroundPhrases = backgroundPhrases
        self.sizePhrases = sizePhrases
        self.singularShapePhrases = singular
        self.pluralShapePhrases = plural
        self.cellPhrases = cellPhrases
        self.relationPhrases = relationPhrases
        self.articles = table(file.articles)
        self.conjunctions = table(file.conjunctions)
        self.numberPhrases = numberPhrases
        self.prefixes = table(file.prefixes)
        self.backgroundOpeners = table(file.backgroundOpeners)
        self.backgroundClosers = table(file.backgroundClosers)
        let words = [colorPhrases.allWords, backgroundPhrases.allWords, sizePhrases.allWords, singular.allWords,
                     plural.allWords, cellPhrases.allWords, relationPhrases.allWords, self.articles.allWords,
                     self.conjunctions.allWords, numberPhrases.allWords, self.prefixes.allWords,
                     self.backgroundOpeners.allWords, self.backgroundClosers.allWords]
        self.vocabulary = words.reduce(into: [","]) { $0.formUnion($1) }
    }
}
