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
        #expect([first, second!, third].map { $0.threadShare(cores: 2) } == [1, 1, 1])
        #expect(first.threadShare(cores: 12) == 4)
        // 8 cores over 3 workers: 3 + 3 + 2, every core used.
        #expect([first, second!, third].map { $0.threadShare(cores: 8) } == [3, 3, 2])
        second = nil   // its descriptor closes, as when a process dies
        #expect(third.liveWorkers() == 2)
        #expect(third.threadShare(cores: 8) == 4)
        let again = try HostWorkerSlots(directory: directory)
        #expect(again.slot == 1, "a freed slot is taken again")
    }

    /// A slot held by another process counts too, and stops counting when it ends.
    @Test func slotsOfOtherProcessesCount() throws {
        let directory = try TestPaths.temporaryDirectory("slots-process")
        let mine = try HostWorkerSlots(directory: directory)
        let holder = Process()
        // One process that holds the lock itself (no child inherits it), so killing it frees the
        // slot as a dying worker does.
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/perl")
        holder.arguments = ["-MFcntl=:flock", "-e", "open(my $f, '>>', $ARGV[0]) or die; flock($f, LOCK_EX) or die; sleep 30",
                            directory.appendingPathComponent("slot-7.lock").path]
        try holder.run()
        defer { if holder.isRunning { kill(holder.processIdentifier, SIGKILL) } }
        let deadline = Date().addingTimeInterval(10)
        while mine.liveWorkers() < 2 && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        #expect(mine.liveWorkers() == 2)
        kill(holder.processIdentifier, SIGKILL)   // SIGTERM may be blocked in processes the test runner starts
        _ = CommandRunner.waitForExit(holder)
        #expect(mine.liveWorkers() == 1)
    }
}
