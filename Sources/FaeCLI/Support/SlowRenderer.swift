import Foundation
import Generation
import Worker

/// Wraps a renderer and sleeps before each image: a test hook that widens the window in which a
/// crash test can kill a worker mid-job.
final class SlowRenderer: ImageRenderer {
    let inner: ImageRenderer
    let milliseconds: Int
    var modelID: String { inner.modelID }
    var weightsHash: String? { inner.weightsHash }

    init(wrapping inner: ImageRenderer, milliseconds: Int) {
        self.inner = inner
        self.milliseconds = milliseconds
    }

    func render(_ parameters: GenerationParameters, progress: (Int, Int) throws -> Void) throws -> RenderedImages {
        try inner.render(parameters) { step, total in
            try progress(step, total)
            if step < total { usleep(useconds_t(milliseconds * 1_000)) }
        }
    }
}
