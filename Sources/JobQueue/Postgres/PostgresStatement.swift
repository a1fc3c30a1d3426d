import Foundation
import PostgresNIO

/// The statements workers run thousands of times a second, prepared once per connection so the
/// server parses and plans them once. The rest go as one-off extended queries, also bound.
/// Parameter types are declared, so a first call with a NULL cannot prepare a statement with a
/// type the next call's value does not fit.
enum PostgresStatement {
    /// Reaps expired leases, then leases the next runnable job (`fae_t2i_claim`, migration 0001).
    struct Claim: PostgresPreparedStatement {
        static let sql = "SELECT \(JobRecord.columns) FROM fae_t2i_claim($1, $2, $3, $4)"
        static let bindingDataTypes: [PostgresDataType] = [.text, .text, .float8, .float8]
        typealias Row = PostgresRow

        var worker: String
        var token: String
        var now: Double
        var leaseExpiresAt: Double

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 4)
            bindings.append(worker)
            bindings.append(token)
            bindings.append(now)
            bindings.append(leaseExpiresAt)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> PostgresRow { row }
    }

    struct Heartbeat: PostgresPreparedStatement {
        static let sql = """
            UPDATE jobs SET lease_expires_at = $1, progress_step = $2, progress_total = $3, updated_at = $4
            WHERE id = $5 AND lease_token = $6 AND state = 'running'
            RETURNING cancel_requested
            """
        static let bindingDataTypes: [PostgresDataType] = [.float8, .int8, .int8, .float8, .text, .text]
        typealias Row = Bool

        var leaseExpiresAt: Double
        var step: Int
        var total: Int
        var now: Double
        var id: String
        var token: String

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 6)
            bindings.append(leaseExpiresAt)
            bindings.append(step)
            bindings.append(total)
            bindings.append(now)
            bindings.append(id)
            bindings.append(token)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> Bool {
            var reader = PostgresRowReader(row)
            reader.jobID = id
            return try reader.next()
        }
    }

    /// One statement, so one transaction without BEGIN and COMMIT round trips: checks the lease,
    /// ends the job (`canceled` if a cancel came since the last heartbeat, else `succeeded`) and,
    /// only when it succeeded, stores the images from parallel arrays. No row: the lease is lost.
    struct Complete: PostgresPreparedStatement {
        static let sql = """
            WITH done AS (
                UPDATE jobs SET
                    state = CASE WHEN cancel_requested THEN 'canceled' ELSE 'succeeded' END,
                    model_id = CASE WHEN cancel_requested THEN model_id ELSE $3 END,
                    weights_hash = CASE WHEN cancel_requested THEN weights_hash ELSE $4 END,
                    warning = CASE WHEN cancel_requested THEN warning ELSE $5 END,
                    error = CASE WHEN cancel_requested THEN error ELSE NULL END,
                    progress_step = CASE WHEN cancel_requested THEN progress_step ELSE progress_total END,
                    finished_at = $6, updated_at = $6, lease_token = NULL, lease_expires_at = NULL
                WHERE id = $1 AND lease_token = $2 AND state = 'running'
                RETURNING id, cancel_requested
            ), stored AS (
                INSERT INTO images (job_id, image_index, seed, width, height, sha256, jpeg)
                SELECT done.id, image.image_index, image.seed, image.width, image.height, image.sha256, image.jpeg
                FROM done, unnest($7::int8[], $8::int8[], $9::int8[], $10::int8[], $11::text[], $12::bytea[])
                    AS image (image_index, seed, width, height, sha256, jpeg)
                WHERE NOT done.cancel_requested
            )
            SELECT cancel_requested FROM done
            """
        static let bindingDataTypes: [PostgresDataType] = [
            .text, .text, .text, .text, .text, .float8, .int8Array, .int8Array, .int8Array, .int8Array, .textArray, .byteaArray,
        ]
        typealias Row = Bool

        var id: String
        var token: String
        var modelID: String
        var weightsHash: String?
        var warning: String?
        var now: Double
        var images: [RenderedImage]
        var digests: [String]

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 12)
            bindings.append(id)
            bindings.append(token)
            bindings.append(modelID)
            bindings.append(weightsHash)
            bindings.append(warning)
            bindings.append(now)
            bindings.append(images.map(\.index))
            bindings.append(images.map(\.seed))
            bindings.append(images.map(\.width))
            bindings.append(images.map(\.height))
            bindings.append(digests)
            bindings.append(images.map { ByteBuffer(bytes: $0.jpeg) })
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> Bool {
            var reader = PostgresRowReader(row)
            reader.jobID = id
            return try reader.next()
        }
    }

    /// Inserts a queued job unless its idempotency key (or, once in 2^64, its id) is taken, which
    /// returns no row: the unique constraints decide, so racing submits of one key make one job.
    struct Submit: PostgresPreparedStatement {
        static let sql = """
            INSERT INTO jobs (id, idempotency_key, request_digest, state, prompt, negative_prompt, seeds, image_count, steps,
                              guidance, sampler, priority, max_attempts, run_after, created_at, updated_at)
            VALUES ($1, $2, $3, 'queued', $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13, $13)
            ON CONFLICT DO NOTHING
            RETURNING \(JobRecord.columns)
            """
        static let bindingDataTypes: [PostgresDataType] = [
            .text, .text, .text, .text, .text, .text, .int8, .int8, .float8, .text, .int8, .int8, .float8,
        ]
        typealias Row = PostgresRow

        var id: String
        var request: JobRequest
        var digest: String
        var seedsJSON: String
        var now: Double

        func makeBindings() throws -> PostgresBindings {
            let parameters = request.parameters
            var bindings = PostgresBindings(capacity: 13)
            bindings.append(id)
            bindings.append(request.idempotencyKey)
            bindings.append(digest)
            bindings.append(parameters.prompt)
            bindings.append(parameters.negativePrompt)
            bindings.append(seedsJSON)
            bindings.append(parameters.count)
            bindings.append(parameters.steps)
            bindings.append(parameters.guidance)
            bindings.append(parameters.sampler.rawValue)
            bindings.append(request.priority)
            bindings.append(request.maxAttempts)
            bindings.append(now)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> PostgresRow { row }
    }
}
