import ImageCodec

/// The evaluator's eyes: finds the background and the objects of a shapes-world image.
///
/// 1. Background: the palette background nearest to most border pixels (objects keep off the border).
/// 2. Foreground: pixels farther from the background colour than `foregroundFraction` of the distance to
///    the closest object colour (at least `foregroundThreshold`): edge pixels about half covered stay,
///    JPEG ringing and the gaps between neighbouring objects drop out.
/// 3. Objects: 8-connected components of at least `minimumArea` pixels.
/// 4. Colour: nearest palette colour to the mean of the component's interior (pixels whose 4 neighbours
///    are all in it), so antialiased edges (e.g. red on white looks pink) do not vote.
/// 5. Coverage: each pixel's position between background and object colour (0...1); area, centroid and
///    row widths are coverage-weighted, so antialiased and JPEG-blurred edges count for what they cover.
/// 6. Shape: the row-width profile over the bounding box compared with each shape's exact profile
///    (see `SceneParser+ShapeProfiles.swift`). Size: nearest box side. Cell: nearest cell centre.
public struct SceneParser: Sendable {
    public let grammar: ShapesGrammar
    /// Minimum RGB distance from the background for a pixel to count as foreground.
    public var foregroundThreshold = 30
    /// Fraction of the smallest background-to-object-colour distance that makes a pixel foreground.
    public var foregroundFraction = 0.4
    /// Components smaller than this are noise (the smallest real object covers about 60 pixels).
    public var minimumArea = 12
    /// Coverage (in pixels) a row or column needs to count for the bounding box; low enough to keep the
    /// tips of triangles and diamonds (about half a pixel), high enough to drop lone ringing pixels.
    public var lineCoverage = 0.35
    /// ...and at least this fraction of the fullest line: JPEG blocks next to a corner can leave a faint
    /// line of almost a pixel's worth, which would make squares look round.
    public var lineFraction = 0.12
    /// Pixels covered less than this count for area and centroid but not for the box and the shape profile.
    public var edgeCoverage = 0.25

    public init(grammar: ShapesGrammar) {
        self.grammar = grammar
    }

    public func parse(image: RGBImage) -> ParsedScene {
        let width = image.width, height = image.height
        let background = detectBackground(image)
        var labels = [Int32](repeating: 0, count: width * height)
        var objects: [ParsedObject] = []
        image.pixels.withUnsafeBufferPointer { pixels in
            labels.withUnsafeMutableBufferPointer { labels in
                let threshold = foregroundThresholdSquared(for: background)
                let bg = background.rgb
                // 0 = background, -1 = foreground not yet labelled, >0 = component id.
                for index in 0..<(width * height) {
                    let p = RGBColor(pixels[index * 3], pixels[index * 3 + 1], pixels[index * 3 + 2])
                    labels[index] = p.squaredDistance(to: bg) > threshold ? -1 : 0
                }
                var stack: [Int] = []
                stack.reserveCapacity(width * height)
                var nextLabel: Int32 = 1
                for seed in 0..<(width * height) where labels[seed] == -1 {
                    let label = nextLabel
                    nextLabel += 1
                    var members: [Int] = []
                    labels[seed] = label
                    stack.append(seed)
                    while let index = stack.popLast() {
                        members.append(index)
                        let x = index % width, y = index / width
                        for dy in -1...1 {
                            for dx in -1...1 where dx != 0 || dy != 0 {
                                let nx = x + dx, ny = y + dy
                                guard nx >= 0, nx < width, ny >= 0, ny < height else { continue }
                                let neighbour = ny * width + nx
                                if labels[neighbour] == -1 {
                                    labels[neighbour] = label
                                    stack.append(neighbour)
                                }
                            }
                        }
                    }
                    guard members.count >= minimumArea else { continue }
                    objects.append(describe(members, label: label, labels: UnsafeBufferPointer(labels), pixels: pixels,
                                            width: width, height: height, background: background))
                }
            }
        }
        objects.sort { ($0.cell.row, $0.cell.column, $0.centroidX) < ($1.cell.row, $1.cell.column, $1.centroidX) }
        return ParsedScene(background: background, objects: objects)
    }

    private func foregroundThresholdSquared(for background: NamedColor) -> Int {
        let closest = grammar.colors.map { Double($0.rgb.squaredDistance(to: background.rgb)).squareRoot() }.min() ?? 0
        let threshold = max(Double(foregroundThreshold), foregroundFraction * closest)
        return Int(threshold * threshold)
    }

    private func detectBackground(_ image: RGBImage) -> NamedColor {
        var votes = [Int](repeating: 0, count: grammar.backgrounds.count)
        func vote(_ x: Int, _ y: Int) {
            let pixel = image.pixel(x: x, y: y)
            let nearest = grammar.backgrounds.indices.min { grammar.backgrounds[$0].rgb.squaredDistance(to: pixel) < grammar.backgrounds[$1].rgb.squaredDistance(to: pixel) } ?? 0
            votes[nearest] += 1
        }
        for x in 0..<image.width {
            vote(x, 0)
            vote(x, image.height - 1)
        }
        for y in 1..<(image.height - 1) {
            vote(0, y)
            vote(image.width - 1, y)
        }
        let best = votes.indices.max { votes[$0] < votes[$1] } ?? 0
        return grammar.backgrounds[best]
    }

    private func describe(_ members: [Int], label: Int32, labels: UnsafeBufferPointer<Int32>, pixels: UnsafeBufferPointer<UInt8>,
                          width: Int, height: Int, background: NamedColor) -> ParsedObject {
        // Colour from the interior mean.
        var interior = (red: 0, green: 0, blue: 0, count: 0)
        var all = (red: 0, green: 0, blue: 0)
        for index in members {
            let x = index % width, y = index / width
            let r = Int(pixels[index * 3]), g = Int(pixels[index * 3 + 1]), b = Int(pixels[index * 3 + 2])
            all.red += r; all.green += g; all.blue += b
            let isInterior = x > 0 && x < width - 1 && y > 0 && y < height - 1
                && labels[index - 1] == label && labels[index + 1] == label
                && labels[index - width] == label && labels[index + width] == label
            if isInterior {
                interior.red += r; interior.green += g; interior.blue += b; interior.count += 1
            }
        }
        let n = max(1, interior.count > 0 ? interior.count : members.count)
        let mean = interior.count > 0
            ? RGBColor(UInt8(interior.red / n), UInt8(interior.green / n), UInt8(interior.blue / n))
            : RGBColor(UInt8(all.red / n), UInt8(all.green / n), UInt8(all.blue / n))
        let color = grammar.colors.min { $0.rgb.squaredDistance(to: mean) < $1.rgb.squaredDistance(to: mean) } ?? grammar.colors[0]

        // Coverage of each pixel: its position between background and object colour. Antialiased and
        // JPEG-blurred edges then count for what they cover, so areas and row widths match the geometry.
        let bg = (Double(background.rgb.red), Double(background.rgb.green), Double(background.rgb.blue))
        let axis = (Double(color.rgb.red) - bg.0, Double(color.rgb.green) - bg.1, Double(color.rgb.blue) - bg.2)
        let axisLength = max(1, axis.0 * axis.0 + axis.1 * axis.1 + axis.2 * axis.2)
        var coverage = [Double](repeating: 0, count: members.count)
        var rowSums = [Double](repeating: 0, count: height), columnSums = [Double](repeating: 0, count: width)
        var area = 0.0, sumX = 0.0, sumY = 0.0
        for (slot, index) in members.enumerated() {
            let d = (Double(pixels[index * 3]) - bg.0, Double(pixels[index * 3 + 1]) - bg.1, Double(pixels[index * 3 + 2]) - bg.2)
            let alpha = min(1, max(0, (d.0 * axis.0 + d.1 * axis.1 + d.2 * axis.2) / axisLength))
            coverage[slot] = alpha
            let x = index % width, y = index / width
            area += alpha
            sumX += alpha * Double(x)
            sumY += alpha * Double(y)
            // Faint pixels (JPEG ringing next to high-contrast corners) stay out of the box and the profile.
            if alpha >= edgeCoverage {
                rowSums[y] += alpha
                columnSums[x] += alpha
            }
        }
        // Bounding box: the rows and columns that hold at least `lineCoverage` pixels' worth of the object
        // (loose), or also `lineFraction` of the fullest line (tight). JPEG blocks can leave a faint line
        // next to a square's corner (loose box too big: the square looks round), while the tips of diamonds
        // and triangles are faint lines too (tight box too small). So fit every shape to each candidate box
        // and keep the best fit.
        func span(_ sums: [Double], fraction: Double) -> ClosedRange<Int> {
            let needed = max(lineCoverage, fraction * (sums.max() ?? 0))
            let first = sums.firstIndex { $0 >= needed } ?? sums.firstIndex { $0 > 0 } ?? 0
            let last = sums.lastIndex { $0 >= needed } ?? sums.lastIndex { $0 > 0 } ?? 0
            return first...max(first, last)
        }
        let columnSpans = Set([span(columnSums, fraction: 0), span(columnSums, fraction: lineFraction)])
        let rowSpans = Set([span(rowSums, fraction: 0), span(rowSums, fraction: lineFraction)])
        var best = (shape: ShapeKind.square, error: Double.infinity, columns: 0...0, rows: 0...0)
        for columns in columnSpans {
            for rows in rowSpans {
                var rowWidths = [Double](repeating: 0, count: rows.count)
                for (slot, index) in members.enumerated() {
                    let x = index % width, y = index / width
                    if columns.contains(x) && rows.contains(y) && coverage[slot] >= edgeCoverage {
                        rowWidths[y - rows.lowerBound] += coverage[slot]
                    }
                }
                let fit = Self.classifyShape(rowWidths: rowWidths.map { $0 / Double(columns.count) })
                if fit.error < best.error { best = (fit.shape, fit.error, columns, rows) }
            }
        }
        let shape = best.shape
        let (minX, maxX, minY, maxY) = (best.columns.lowerBound, best.columns.upperBound, best.rows.lowerBound, best.rows.upperBound)
        let boxWidth = best.columns.count, boxHeight = best.rows.count

        let side = max(boxWidth, boxHeight)
        let size = grammar.sizes.min { abs($0.pixels - side) < abs($1.pixels - side) } ?? grammar.sizes[0]
        let weight = max(area, 1e-9)
        let centroidX = sumX / weight, centroidY = sumY / weight
        func nearestCenter(_ value: Double) -> Int {
            grammar.cellCenters.indices.min { abs(Double(grammar.cellCenters[$0]) - value) < abs(Double(grammar.cellCenters[$1]) - value) } ?? 0
        }
        return ParsedObject(shape: shape, color: color, size: size,
                            cell: GridCell(row: nearestCenter(centroidY), column: nearestCenter(centroidX)),
                            centroidX: centroidX, centroidY: centroidY, area: area,
                            minX: minX, minY: minY, maxX: maxX, maxY: maxY)
    }
}
