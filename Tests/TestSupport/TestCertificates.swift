import Foundation

/// A certificate authority, a server certificate it signed for the host name localhost (and no IP
/// address), its key, and a second authority that signed nothing: made with the openssl command
/// in a fresh temporary folder, for tests of TLS against a real server (`PostgresTestServer`).
/// ECDSA P-256 keys, valid for two days; the authorities' keys are deleted once they have signed.
public struct TestCertificates: Sendable {
    public let authority: URL
    public let otherAuthority: URL
    public let serverCertificate: URL
    public let serverKey: URL

    public static func make() throws -> TestCertificates {
        let folder = try TestPaths.temporaryDirectory("certificates")
        func file(_ name: String) -> String { folder.appendingPathComponent(name).path }
        let key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        let authority = ["-days", "2", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"]
        try Data("subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n".utf8)
            .write(to: URL(fileURLWithPath: file("server.ext")))
        try openssl(["req", "-x509"] + key + ["-keyout", file("ca.key"), "-out", file("ca.crt"), "-subj", "/CN=fae-t2i test authority"] + authority)
        try openssl(["req", "-x509"] + key + ["-keyout", file("other.key"), "-out", file("other.crt"), "-subj", "/CN=fae-t2i other authority"]
                    + authority)
        try openssl(["req"] + key + ["-keyout", file("server.key"), "-out", file("server.csr"), "-subj", "/CN=localhost"])
        try openssl(["x509", "-req", "-in", file("server.csr"), "-CA", file("ca.crt"), "-CAkey", file("ca.key"), "-CAcreateserial",
                     "-days", "2", "-extfile", file("server.ext"), "-out", file("server.crt")])
        for name in ["ca.key", "other.key", "ca.srl", "server.csr", "server.ext"] {
            try? FileManager.default.removeItem(atPath: file(name))
        }
        return TestCertificates(authority: URL(fileURLWithPath: file("ca.crt")), otherAuthority: URL(fileURLWithPath: file("other.crt")),
                                serverCertificate: URL(fileURLWithPath: file("server.crt")), serverKey: URL(fileURLWithPath: file("server.key")))
    }

    private static func openssl(_ arguments: [String]) throws {
        let runner = CommandRunner(executable: URL(fileURLWithPath: "/usr/bin/env"), environment: ProcessInfo.processInfo.environment)
        let output: CommandRunner.Output
        do {
            output = try runner.run(["openssl"] + arguments)
        } catch {
            throw PostgresTestServer.Failure(description: "cannot run openssl (install the openssl package: make deps-test): \(error)")
        }
        guard output.status == 0 else {
            throw PostgresTestServer.Failure(description: "`openssl \(arguments.joined(separator: " "))` failed (\(output.status)): \(output.stderr)")
        }
    }
}
