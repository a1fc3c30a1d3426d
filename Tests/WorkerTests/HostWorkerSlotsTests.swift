import Foundation
import Testing
import TestSupport
@testable import Worker

/// Workers on one host count each other through locked slot files and split the cores.
@Suite struct HostWorkerSlotsTests {
    @Test func liveWorkersAreCountedAndADeadOneIsNot() throws {
        let directory = try TestPaths.temporaryDirectory("slots")
        let first = try HostWorkerSlots(directory: directory)
        var second: HostWorkerSlots? = try HostWorkerSlots(directory: directory)
        let third = try HostWorkerSlots(directory: directory)
        #expect(Set([first.slot, second!.slot, third.slot]) == [0, 1, 2])
        #expect(first.liveWorkers() == 3)
        #expect(first.threadShare(cores: 2) == 1)
        #expect(first.threadShare(cores: 12) == 4)
        second = nil   // its descriptor closes, as when a process dies
        #expect(third.liveWorkers() == 2)
        #expect(third.threadShare(cores: 8) == 4)
        let again = try HostWorkerSlots(directory: directory)
        #expect(again.slot == 1, "a freed slot is taken again")
    }

    /// A slot held by another process (`flock` in a shell) counts too, and stops counting when it ends.
    @Test func slotsOfOtherProcessesCount() throws {
        let directory = try TestPaths.temporaryDirectory("slots-process")
        let mine = try HostWorkerSlots(directory: directory)
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
        holder.arguments = ["--exclusive", directory.appendingPathComponent("slot-7.lock").path, "sleep", "30"]
        try holder.run()
        defer { if holder.isRunning { holder.terminate() } }
        let deadline = Date().addingTimeInterval(10)
        while mine.liveWorkers() < 2 && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        #expect(mine.liveWorkers() == 2)
        holder.terminate()
        holder.waitUntilExit()
        #expect(mine.liveWorkers() == 1)
    }
}
