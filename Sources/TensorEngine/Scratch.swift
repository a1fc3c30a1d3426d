#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Engine-wide scratch memory for ops that need temporary space (per-thread partial sums of
/// parameter gradients, attention tiles). Each purpose has its own slot that only grows, so after
/// the first step no op allocates. Slots are requested on the calling thread before a parallel
/// region and partitioned by worker index inside it; ops never nest, so one slot per purpose suffices.
///
/// The slots belong to the calling thread (pthread-specific data): two models running on different
/// threads — concurrent tests, a worker rendering while another task encodes — must not share
/// tiles. The lookup costs one `pthread_getspecific` per op.
public enum Scratch {
    public enum Slot: Int, CaseIterable {
        case reduction = 0, attention, attentionGrad, temporary
    }

    /// One thread's storages, retained by the thread's key value and released when it exits.
    private final class Storages {
        var slots = [TensorStorage?](repeating: nil, count: Slot.allCases.count)
    }

    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        let status = pthread_key_create(&key) { pointer in
            guard let pointer else { return }
            Unmanaged<AnyObject>.fromOpaque(UnsafeRawPointer(pointer)).release()
        }
        precondition(status == 0, "pthread_key_create failed (\(status))")
        return key
    }()

    private static var current: Storages {
        if let raw = pthread_getspecific(key) {
            return Unmanaged<Storages>.fromOpaque(UnsafeRawPointer(raw)).takeUnretainedValue()
        }
        let storages = Storages()
        pthread_setspecific(key, Unmanaged.passRetained(storages).toOpaque())
        return storages
    }

    /// A pointer to at least `count` floats for `slot` (contents undefined), owned by this thread.
    public static func floats(_ count: Int, slot: Slot) -> UnsafeMutablePointer<Float> {
        let storages = current
        if let s = storages.slots[slot.rawValue], s.capacity >= count { return s.base }
        let s = TensorStorage(capacity: max(count, 1024))
        storages.slots[slot.rawValue] = s
        return s.base
    }
}
