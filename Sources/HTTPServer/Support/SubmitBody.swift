import Foundation
import Generation
import JobQueue

/// The body of `POST /v1/jobs`, decoded strictly: a field of the wrong type, or one the API does
/// not know, is a 400 naming it. The values are then checked by `JobSubmission.request()`, the
/// same rules `submit` applies.
struct SubmitBody: Decodable {
    var submission: JobSubmission

    struct Key: CodingKey {
        let stringValue: String
        init(stringValue: String) { self.stringValue = stringValue }
        var intValue: Int? { nil }
        init?(intValue: Int) { nil }
    }

    static let fields: Set<String> = [
        "prompt", "negative_prompt", "seed", "seeds", "count", "steps", "guidance", "sampler", "priority", "max_attempts", "key",
    ]

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        if let unknown = container.allKeys.first(where: { !Self.fields.contains($0.stringValue) }) {
            throw APIError(.badRequest, "unknown field '\(unknown.stringValue.prefix(40))'", field: String(unknown.stringValue.prefix(40)))
        }
        func value<T: Decodable>(_ name: String, _ type: T.Type) throws -> T? {
            try container.decodeIfPresent(T.self, forKey: Key(stringValue: name))
        }
        guard let prompt = try value("prompt", String.self) else { throw APIError(.badRequest, "prompt is required", field: "prompt") }
        var submission = JobSubmission(prompt: prompt)
        submission.negativePrompt = try value("negative_prompt", String.self) ?? ""
        submission.seed = try value("seed", Int64.self)
        submission.seeds = try value("seeds", [Int64].self)
        submission.count = try value("count", Int.self)
        submission.steps = try value("steps", Int.self) ?? submission.steps
        submission.guidance = try value("guidance", Double.self) ?? submission.guidance
        submission.sampler = try value("sampler", String.self) ?? submission.sampler
        submission.priority = try value("priority", Int.self) ?? submission.priority
        submission.maxAttempts = try value("max_attempts", Int.self) ?? submission.maxAttempts
        submission.key = try value("key", String.self)
        self.submission = submission
    }

    /// Decodes `data`, turning every decoding failure into a 400 that names the field.
    static func decode(_ data: Data) throws -> JobSubmission {
        do {
            return try JSONDecoder().decode(SubmitBody.self, from: data).submission
        } catch let error as APIError {
            throw error
        } catch let DecodingError.typeMismatch(type, context), let DecodingError.valueNotFound(type, context) {
            let field = context.codingPath.first?.stringValue
            throw APIError(.badRequest, "\(field ?? "body") must be \(describe(type))", field: field)
        } catch let DecodingError.dataCorrupted(context) where !context.codingPath.isEmpty {
            let field = context.codingPath.first?.stringValue
            throw APIError(.badRequest, "\(field ?? "body") is out of range or malformed", field: field)
        } catch {
            throw APIError(.badRequest, "the body is not a JSON object")
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Int.Type, is Int64.Type: return "an integer"
        case is Double.Type: return "a number"
        case is [Int64].Type: return "an array of integers"
        default: return "of another type"
        }
    }
}
