import Foundation
import Testing
import TestSupport
@testable import JobQueue

/// What `--db` and `FAE_T2I_DB` may say, read without a server.
@Suite struct QueueLocationTests {
    @Test(arguments: ["postgres", "postgresql", "POSTGRES", "PostgreSQL"])
    func bothSchemesNameAServer(scheme: String) throws {
        let location = try QueueLocation(parsing: "\(scheme)://fae:s3cret@db.example.com:6543/queue")
        #expect(location == .postgres(PostgresURL(user: "fae", password: "s3cret", host: "db.example.com", port: 6543,
                                                  database: "queue")))
    }

    @Test func portDefaultsTo5432AndSSLModeToPrefer() throws {
        let url = try PostgresURL(parsing: "postgres://fae@db/queue")
        #expect(url == PostgresURL(user: "fae", password: nil, host: "db", port: 5432, database: "queue", sslMode: .prefer))
    }

    /// A password may hold any character once percent-escaped, `@` and `:` included.
    @Test func userAndPasswordArePercentDecoded() throws {
        let url = try PostgresURL(parsing: "postgres://ann%40corp:p%40ss%3Aw%2Fo%25rd@db/queue")
        #expect(url.user == "ann@corp")
        #expect(url.password == "p@ss:w/o%rd")
    }

    @Test(arguments: PostgresURL.SSLMode.allCases)
    func sslModesAreRead(mode: PostgresURL.SSLMode) throws {
        let url = try PostgresURL(parsing: "postgres://fae@db/queue?sslmode=\(mode.rawValue)")
        #expect(url.sslMode == mode)
        // The redacted URL keeps a mode other than the default, so it reads back the same.
        #expect(try PostgresURL(parsing: url.redacted) == url)
    }

    @Test func theRootCertificatesAreReadAndKeptInTheRedactedURL() throws {
        let url = try PostgresURL(parsing: "postgres://fae@db/queue?sslmode=verify-full&sslrootcert=/etc/fae%20t2i/ca%26b.pem")
        #expect(url.sslMode == .verifyFull && url.sslMode.checksCertificate)
        #expect(url.rootCertificates == "/etc/fae t2i/ca&b.pem")
        #expect(try PostgresURL(parsing: url.redacted) == url)
        // The system's authorities imply verify-full, as in libpq.
        let system = try PostgresURL(parsing: "postgres://fae@db/queue?sslrootcert=system")
        #expect(system.rootCertificates == PostgresURL.systemRootCertificates && system.sslMode == .verifyFull)
        #expect(system.rootCertificatesFile() == nil)
        #expect(try PostgresURL(parsing: "postgres://fae@db/queue?sslmode=verify-ca").rootCertificates == nil)
    }

    @Test func descriptionsLeaveThePasswordOut() throws {
        let location = try QueueLocation(parsing: "postgres://fae:s3cret@db:5433/queue?sslmode=require")
        #expect(location.description == "postgres://fae@db:5433/queue?sslmode=require")
        guard case .postgres(let url) = location else { Issue.record("not a server: \(location)"); return }
        #expect(url.description == location.description && url.redacted == location.description)
        #expect(!"\(url)".contains("s3cret") && !String(reflecting: location).contains("s3cret"))
    }

    @Test(arguments: [
        ("postgres://:s3cret@db/queue", "names no user"),
        ("postgres://fae:s3cret@/queue", "names no host"),
        ("postgres://fae:s3cret@db", "names no database"),
        ("postgres://fae:s3cret@db/", "names no database"),
        ("postgres://fae:s3cret@db/queue/extra", "names no database"),
        ("postgres://fae:s3cret@db:0/queue", "port 0 is out of range"),
        ("postgres://fae:s3cret@db:70000/queue", "out of range"),
        ("postgres://fae:s3cret@db/queue?sslmode=verify", "sslmode must be one of disable, prefer, require, verify-ca, verify-full"),
        ("postgres://fae:s3cret@db/queue?sslmode=require&sslrootcert=/ca.pem", "sslrootcert is only read with sslmode=verify-ca or verify-full"),
        ("postgres://fae:s3cret@db/queue?sslmode=verify-full&sslrootcert=", "sslrootcert needs a certificate file, or system"),
        ("postgres://fae:s3cret@db/queue?sslmode=verify-ca&sslrootcert=system", "sslrootcert=system needs sslmode=verify-full"),
        ("postgres://fae:s3cret@db/queue?sslrootcert=/ca.pem", "sslrootcert is only read with sslmode=verify-ca or verify-full"),
        ("postgres://fae:s3cret@db/queue?sslmode", "sslmode must be one of"),
        ("postgres://fae:s3cret@db/queue?application_name=x", "unknown parameter 'application_name'"),
        ("postgres://fae:s3cret@db /queue", "not a well-formed URL"),
    ])
    func badURLsAreRefusedWithoutEchoingThePassword(text: String, reason: String) {
        do {
            _ = try QueueLocation(parsing: text)
            Issue.record("expected \(text) to be refused")
        } catch let error as QueueError {
            #expect(error.code == .invalidLocation)
            #expect(error.message.contains(reason), "\(error.message)")
            #expect(!"\(error)".contains("s3cret"), "\(error)")
        } catch {
            Issue.record("not a QueueError: \(error)")
        }
    }

    /// Only the two URL schemes name a server: everything else is a file, taken as given.
    @Test(arguments: ["queue.sqlite", "/var/lib/fae/queue.sqlite", "./postgres", "postgres:/db/queue", "mysql://fae@db/queue",
                      "postgres.sqlite", "postgres//fae@db/queue", ""])
    func anythingElseIsASQLitePath(text: String) throws {
        #expect(try QueueLocation(parsing: text) == .sqlite(path: text))
        #expect(try QueueLocation(parsing: text).description == text)
    }
}

/// Where the password comes from when the URL has none, in libpq's order.
@Suite struct ResolvedPasswordTests {
    let url = PostgresURL(user: "fae", host: "db.example.com", port: 5433, database: "queue")

    /// A password file in a fresh folder, readable by its owner only unless told otherwise.
    func passwordFile(_ text: String, mode: mode_t = 0o600) throws -> String {
        let path = try TestPaths.temporaryDirectory("pgpass").appendingPathComponent("pgpass").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        #expect(chmod(path, mode) == 0)
        return path
    }

    @Test func theURLsPasswordComesFirst() throws {
        var withPassword = url
        withPassword.password = "from-url"
        let file = try passwordFile("*:*:*:*:from-file\n")
        #expect(withPassword.resolvedPassword(environment: ["PGPASSWORD": "from-env", "PGPASSFILE": file]) == "from-url")
    }

    @Test func thenPGPASSWORDThenThePasswordFile() throws {
        let file = try passwordFile("*:*:*:*:from-file\n")
        #expect(url.resolvedPassword(environment: ["PGPASSWORD": "from-env", "PGPASSFILE": file]) == "from-env")
        #expect(url.resolvedPassword(environment: ["PGPASSWORD": "", "PGPASSFILE": file]) == "from-file")
        #expect(url.resolvedPassword(environment: ["PGPASSFILE": file]) == "from-file")
    }

    @Test func withoutPGPASSFILEThePasswordFileIsInHome() throws {
        let home = try TestPaths.temporaryDirectory("home")
        let file = home.appendingPathComponent(".pgpass").path
        try Data("db.example.com:5433:queue:fae:from-home\n".utf8).write(to: URL(fileURLWithPath: file))
        #expect(chmod(file, 0o600) == 0)
        #expect(url.resolvedPassword(environment: ["HOME": home.path]) == "from-home")
        #expect(url.resolvedPassword(environment: ["HOME": home.path, "PGPASSFILE": ""]) == "from-home")
    }

    @Test func theFirstMatchingLineWinsAndStarMatchesAnything() throws {
        let file = try passwordFile("""
            # host:port:database:user:password
            db.example.com:5432:queue:fae:wrong-port
            other.example.com:*:*:fae:wrong-host
            db.example.com:*:queue:someone-else:wrong-user
            *:5433:*:fae:wildcards
            db.example.com:5433:queue:fae:too-late

            """)
        #expect(url.resolvedPassword(environment: ["PGPASSFILE": file]) == "wildcards")
    }

    /// `\:` is a colon inside a field and `\\` a backslash; after the fourth field, a colon is the password's.
    @Test func backslashEscapesColonsAndBackslashes() throws {
        let colonDatabase = PostgresURL(user: "fae", host: "db.example.com", port: 5433, database: "q:1")
        let file = try passwordFile("db.example.com:5433:q\\:1:fae:pa\\\\ss:word\n")
        #expect(colonDatabase.resolvedPassword(environment: ["PGPASSFILE": file]) == "pa\\ss:word")
        #expect(url.resolvedPassword(environment: ["PGPASSFILE": file]) == nil)
    }

    /// As libpq does: a password file others may read is not trusted, and so not read.
    @Test(arguments: [0o640, 0o604, 0o644] as [mode_t])
    func aFileOthersMayReadIsIgnored(mode: mode_t) throws {
        let file = try passwordFile("*:*:*:*:exposed\n", mode: mode)
        #expect(url.resolvedPassword(environment: ["PGPASSFILE": file]) == nil)
    }

    @Test func noPasswordAnywhereIsNil() throws {
        let file = try passwordFile("other.example.com:*:*:*:elsewhere\n")
        #expect(url.resolvedPassword(environment: ["PGPASSFILE": file]) == nil)
        #expect(url.resolvedPassword(environment: ["PGPASSFILE": file + ".missing"]) == nil)
    }
}
