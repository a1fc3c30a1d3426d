import Foundation

/// How many workers run on this host right now, so that each can take its share of the cores.
///
/// Every worker holds an exclusive `flock` on one slot file in a folder shared by the host's
/// workers; a worker counts the slots whose lock is held. The kernel drops a lock when its process
/// ends, however it ends (SIGKILL included), so the count never includes a dead worker and needs
/// no cleanup. Slot files stay behind, empty, for the next worker to reuse.
public final class HostWorkerSlots: @unchecked Sendable {
    public static let directoryEnvironmentKey = "FAE_T2I_HOST_DIR"

    public let directory: URL
    /// The slot this process holds; its descriptor stays open (and locked) for the process lifetime.
    public let slot: Int
    private let descriptor: Int32

    /// More slots than any host runs workers: the search for a free one stays bounded.
    static let maxSlots = 4_096

    /// Takes the lowest free slot in `directory` (created if missing, readable only by this
    /// user: whoever can write it decides how many cores the workers take).
    public init(directory: URL = HostWorkerSlots.defaultDirectory()) throws {
        self.directory = directory
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw WorkerError.hostSlots("cannot create the worker slot folder \(directory.path): \(error.localizedDescription)")
        }
        var info = stat()
        guard lstat(directory.path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR, info.st_uid == getuid() else {
            throw WorkerError.hostSlots("the worker slot folder \(directory.path) is not a folder of this user")
        }
        for slot in 0..<Self.maxSlots {
            // A slot file this user cannot open (left by someone else) is skipped, not fatal.
            let fd = open(Self.slotPath(directory, slot), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
            guard fd >= 0 else { continue }
            if flock(fd, LOCK_EX | LOCK_NB) == 0 {
                self.slot = slot
                self.descriptor = fd
                return
            }
            close(fd)
        }
        throw WorkerError.hostSlots("no free worker slot among \(Self.maxSlots) in \(directory.path)")
    }

    deinit { close(descriptor) }

    /// Workers holding a slot now, this one included.
    public func liveWorkers() -> Int { liveSlots().count }

    /// The slots held now (this one included), in order.
    func liveSlots() -> [Int] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        var live: [Int] = []
        for name in names where name.hasPrefix("slot-") && name.hasSuffix(".lock") {
            guard let index = Int(name.dropFirst(5).dropLast(5)) else { continue }
            let fd = open(directory.appendingPathComponent(name).path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
            guard fd >= 0 else { continue }
            // A shared lock fails while any process (this one too, through its own descriptor) holds the slot.
            if flock(fd, LOCK_SH | LOCK_NB) != 0 { live.append(index) }
            close(fd)
        }
        if !live.contains(slot) { live.append(slot) }
        return live.sorted()
    }

    /// Threads for this worker when `cores` are shared by the host's live workers: cores / workers
    /// each, the remainder going one each to the lowest slots, so no core is left idle.
    public func threadShare(cores: Int = ProcessInfo.processInfo.activeProcessorCount) -> Int {
        share(cores: cores).threads
    }

    /// The thread share and the live worker count it was computed from, from one look at the slots.
    public func share(cores: Int = ProcessInfo.processInfo.activeProcessorCount) -> (threads: Int, liveWorkers: Int) {
        let live = liveSlots()
        let rank = live.firstIndex(of: slot) ?? 0
        return (max(1, cores / live.count + (rank < cores % live.count ? 1 : 0)), live.count)
    }

    /// `$FAE_T2I_HOST_DIR`, else a per-user folder in /dev/shm (shared by every service on the host,
    /// even those with a private /tmp), else in the temporary folder.
    public static func defaultDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let path = environment[directoryEnvironmentKey], !path.isEmpty { return URL(fileURLWithPath: path, isDirectory: true) }
        let name = "fae-t2i-workers-\(getuid())"
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: "/dev/shm", isDirectory: &isDirectory), isDirectory.boolValue,
           access("/dev/shm", W_OK) == 0 {
            return URL(fileURLWithPath: "/dev/shm", isDirectory: true).appendingPathComponent(name, isDirectory: true)
        }
        return FileManager.default.temporaryDirectory.appendingPathComponent(name, isDirectory: true)
    }

    static func slotPath(_ directory: URL, _ slot: Int) -> String {
        directory.appendingPathComponent("slot-\(slot).lock").path
    }
}
