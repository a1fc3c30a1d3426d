import Testing
@testable import Dataset

@Test func everyIndexOncePerEpoch() throws {
    var batches = try ShuffledBatches(count: 103, batchSize: 10, seed: 42)
    #expect(batches.batchesPerEpoch == 11)
    var seen: [Int: [Int]] = [:]
    var orders: [[Int]] = [[], [], []]
    while batches.epoch < 3, let batch = batches.next() {
        seen[batch.epoch, default: []].append(contentsOf: batch.indices)
        orders[batch.epoch].append(contentsOf: batch.indices)
        #expect(batch.indices.count == (batch.step == 10 ? 3 : 10))
    }
    for epoch in 0..<3 { #expect(seen[epoch]?.sorted() == Array(0..<103)) }
    #expect(orders[0] != orders[1] && orders[1] != orders[2])
    #expect(orders[0] != Array(0..<103))
}

@Test func orderDependsOnlyOnSeedAndEpoch() throws {
    var first = try ShuffledBatches(count: 50, batchSize: 8, seed: 7)
    var second = try ShuffledBatches(count: 50, batchSize: 8, seed: 7)
    let a = (0..<20).compactMap { _ in first.next() }, b = (0..<20).compactMap { _ in second.next() }
    #expect(a == b)
    // Resuming at (epoch 1, step 3) continues exactly where the uninterrupted stream is.
    var resumed = try ShuffledBatches(count: 50, batchSize: 8, seed: 7, epoch: 1, step: 3)
    let continuation = (0..<5).compactMap { _ in resumed.next() }
    #expect(continuation == Array(a[(7 + 3)..<(7 + 8)]))
    var other = try ShuffledBatches(count: 50, batchSize: 8, seed: 8)
    #expect(other.next() != a[0])
    // Golden value: pins the permutation algorithm (a change would silently change training runs).
    #expect(ShuffledBatches.permutation(count: 10, seed: 1, epoch: 0) == [6, 4, 7, 2, 9, 1, 5, 0, 8, 3])
}

@Test func dropLastKeepsBatchesFull() throws {
    var batches = try ShuffledBatches(count: 25, batchSize: 10, seed: 1, dropLast: true)
    #expect(batches.batchesPerEpoch == 2)
    let epoch = (0..<2).compactMap { _ in batches.next() }
    #expect(epoch.allSatisfy { $0.indices.count == 10 && $0.epoch == 0 })
    #expect(Set(epoch.flatMap(\.indices)).count == 20)
    #expect(batches.epoch == 1 && batches.step == 0)
    #expect(datasetError { _ = try ShuffledBatches(count: 5, batchSize: 10, seed: 1, dropLast: true) }?.code == .invalidArgument)
    #expect(datasetError { _ = try ShuffledBatches(count: 0, batchSize: 10, seed: 1) }?.code == .invalidArgument)
}
