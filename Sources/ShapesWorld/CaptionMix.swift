import Foundation

/// How often the scene generator draws each caption form: relative weights of a single object, an object
/// list (2...max objects, sizes uniform), a relation between two objects and a count ("three red circles").
///
/// Written `single=3,list=3,relation=2,count=2` (the default); forms left out get weight 0. A mix that
/// leans on the forms a model finds hard (lists and relations) is a training-data choice, recorded in
/// the dataset's manifest so that the set can be made again.
public struct CaptionMix: Codable, Equatable, Sendable, CustomStringConvertible {
    public var single: Int
    public var list: Int
    public var relation: Int
    public var count: Int

    public static let `default` = CaptionMix(single: 3, list: 3, relation: 2, count: 2)

    public init(single: Int, list: Int, relation: Int, count: Int) {
        self.single = single
        self.list = list
        self.relation = relation
        self.count = count
    }

    /// Parses `form=weight` pairs separated by commas; throws `ShapesWorldError(.syntax)` for an unknown
    /// form, a repeated form, a weight that is not a whole number in 0...1000, or all weights zero.
    public init(parsing text: String) throws {
        var weights: [String: Int] = [:]
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let parts = item.split(separator: "=", omittingEmptySubsequences: false)
            let form = parts[0].trimmingCharacters(in: .whitespaces)
            guard parts.count == 2, Self.forms.contains(form) else {
                throw ShapesWorldError(.syntax, "caption mix \"\(text)\": \"\(item)\" is not form=weight with form one of \(Self.forms.joined(separator: ", "))")
            }
            guard weights[form] == nil else { throw ShapesWorldError(.syntax, "caption mix \"\(text)\": \(form) is given twice") }
            guard let weight = Int(parts[1].trimmingCharacters(in: .whitespaces)), (0...1000).contains(weight) else {
                throw ShapesWorldError(.syntax, "caption mix \"\(text)\": the weight of \(form) must be a whole number from 0 to 1000")
            }
            weights[form] = weight
        }
        self.init(single: weights["single"] ?? 0, list: weights["list"] ?? 0,
                  relation: weights["relation"] ?? 0, count: weights["count"] ?? 0)
        guard total > 0 else { throw ShapesWorldError(.syntax, "caption mix \"\(text)\": at least one weight must be positive") }
    }

    static let forms = ["single", "list", "relation", "count"]

    public var total: Int { single + list + relation + count }

    public var description: String { "single=\(single),list=\(list),relation=\(relation),count=\(count)" }
}
