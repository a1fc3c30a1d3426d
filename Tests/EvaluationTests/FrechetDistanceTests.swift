import Evaluation
import Foundation
import Testing
import TestSupport

@Suite struct FrechetDistanceTests {
    struct Fixture: Decodable {
        struct Case: Decodable { let name: String; let a: [[Double]]; let b: [[Double]]; let fd: Double }
        let cases: [Case]
    }

    /// Values from scipy (scripts/make_fd_fixture.py).
    @Test func matchesScipy() throws {
        let url = TestPaths.repositoryRoot.appendingPathComponent("Tests/Fixtures/frechet/fd.json")
        let fixture = try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
        #expect(fixture.cases.count == 3)
        for c in fixture.cases {
            let fd = FrechetDistance.distance(c.a, c.b)
            // scipy's sqrtm of a singular product is itself only good to ~1e-8.
            let tolerance = c.name == "rank_deficient" ? 1e-6 : 1e-9 * max(1, abs(c.fd))
            #expect(abs(fd - c.fd) <= tolerance, "\(c.name): \(fd) vs scipy \(c.fd)")
        }
    }

    @Test func identicalSetsAreAtDistanceZeroAndShiftsAddTheirSquare() {
        // Full-rank data: the square roots of near-zero eigenvalues would amplify round-off.
        func value(_ i: Int, _ j: Int) -> Double { sin(Double(i * i * 7 + j * j * j * 3 + i * j)) + Double(j) }
        let a = (0..<20).map { i in (0..<5).map { j in value(i, j) } }
        #expect(abs(FrechetDistance.distance(a, a)) < 1e-9)
        let shifted = a.map { $0.map { $0 + 0.5 } }
        #expect(abs(FrechetDistance.distance(a, shifted) - 5 * 0.25) < 1e-9)
    }

    @Test func eigenDecompositionReconstructsTheMatrix() {
        let n = 7
        var m = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for j in i..<n { m[i * n + j] = cos(Double(i * n + j)); m[j * n + i] = m[i * n + j] } }
        let eigen = SymmetricEigen(m, n: n)
        #expect(eigen.values == eigen.values.sorted())
        for i in 0..<n {
            for j in 0..<n {
                var s = 0.0
                for k in 0..<n { s += eigen.vectors[i * n + k] * eigen.values[k] * eigen.vectors[j * n + k] }
                #expect(abs(s - m[i * n + j]) < 1e-10)
            }
        }
    }
}
