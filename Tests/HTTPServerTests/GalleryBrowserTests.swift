import Foundation
import Testing
import TestSupport

/// The web gallery in a real headless Chromium, against the real binary: `fae-t2i serve` with a token
/// and a `fae-t2i worker` on one SQLite queue. The page asks for the token, the test types it in,
/// submits a prompt, and waits for the event stream to drive the progress bar and for both images to
/// load. A screenshot goes to .build/test-artifacts/gallery.png.
@Suite struct GalleryBrowserTests {
    static let prompt = "a red circle to the left of a blue square"

    @Test(.timeLimit(.minutes(3)))
    func submitsAPromptFollowsItsProgressAndShowsItsImages() async throws {
        let chromium = try Self.chromiumExecutable()
        let runner = CommandRunner()
        guard runner.isAvailable else {
            throw Failure("the fae-t2i binary is missing at \(runner.executable.path): run `swift build` first")
        }
        let folder = try TestPaths.temporaryDirectory("gallery")
        defer { try? FileManager.default.removeItem(at: folder) }
        let token = "gallery-\(UUID().uuidString.prefix(12))"
        try "\(token)\n".write(to: folder.appendingPathComponent("token"), atomically: true, encoding: .utf8)
        let database = folder.appendingPathComponent("queue.sqlite").path

        let server = try Child("serve", runner.spawn([
            "serve", "--host", "127.0.0.1", "--port", "0", "--db", database,
            "--token-file", folder.appendingPathComponent("token").path,
        ], captureOutput: true))
        defer { server.stop() }
        let serving = try await server.waitForLine(within: .seconds(60)) { $0.hasPrefix("serving http://") }
        let base = String(serving.dropFirst("serving ".count))

        let worker = try Child("worker", runner.spawn([
            "worker", "--renderer", "reference", "--poll", "0.1", "--simulate-render-ms", "1500", "--db", database,
        ], captureOutput: true))
        defer { worker.stop() }

        let profile = folder.appendingPathComponent("chromium-profile")
        let browser = try Child("chromium", CommandRunner(executable: chromium, environment: ProcessInfo.processInfo.environment)
            .spawn([
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-extensions", "--metrics-recording-only",
                // The WebSocket client sends `Origin: ws://127.0.0.1`, which DevTools refuses unless allowed.
                "--remote-debugging-port=0", "--remote-allow-origins=ws://127.0.0.1", "--user-data-dir=\(profile.path)", "--window-size=1280,900", "about:blank",
            ], captureOutput: true))
        defer { browser.stop() }

        do {
            let debuggerURL = try await Self.pageWebSocketURL(browser: browser, profile: profile)
            let connection = try await DevToolsConnection.connect(to: debuggerURL)
            do {
                try await Self.drive(connection, base: base, token: token)
                await connection.close()
            } catch {
                let problems = await connection.pageProblems
                if !problems.isEmpty { print("gallery page problems:\n  " + problems.joined(separator: "\n  ")) }
                await connection.close()
                throw error
            }
        } catch {
            for child in [server, worker, browser] { print(child.diagnostics()) }
            throw error
        }
    }

    /// The steps a person takes: unlock with the token, fill the form, submit, watch.
    static func drive(_ page: DevToolsConnection, base: String, token: String) async throws {
        try await page.send("Runtime.enable")
        try await page.send("Page.enable")
        try await page.send("Emulation.setDeviceMetricsOverride", [
            "width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": false,
        ])
        let navigation = try await page.send("Page.navigate", ["url": .string(base + "/")], as: Navigation.self)
        if let error = navigation.errorText { throw Failure("Chromium cannot open \(base)/: \(error)") }

        // The first API call gets a 401, and the page asks for the token in its own form.
        try await waitUntil("the token form opens", within: .seconds(45), page,
                            "document.querySelector('#token-dialog')?.open === true")
        try await type(token, into: "#token", page)
        try await click("#token-submit", page)
        try await waitUntil("the token form closes", within: .seconds(30), page,
                            "document.querySelector('#token-dialog').open === false")
        let stored = try await page.evaluate("localStorage.getItem('fae-t2i-token')", as: String?.self)
        #expect(stored == token)

        try await waitUntil("the page has loaded the (empty) job list", within: .seconds(30), page,
                            "document.querySelector('#connection').textContent === 'connected'")
        try await type(prompt, into: "#prompt", page)
        try await type("2", into: "#count", page)
        try await type("7", into: "#seed", page)
        // Every value the progress bar takes, whatever the polling below catches.
        _ = try await page.evaluate("""
            (() => {
              window.progressSeen = [];
              const bar = document.querySelector('#progress');
              new MutationObserver(() => window.progressSeen.push({
                fraction: bar.max > 0 ? bar.value / bar.max : 0,
                state: document.querySelector('#current-state').textContent,
              })).observe(bar, { attributes: true });
              return true;
            })()
            """, as: Bool.self)
        try await click("#submit", page)

        // Poll the current-job panel until both 64x64 images have loaded.
        var highestProgress = 0.0
        var sawPartialProgress = false
        var last: CurrentJob?
        let deadline = ContinuousClock.now + .seconds(120)
        while ContinuousClock.now < deadline {
            let current = try await page.evaluate(CurrentJob.script, as: CurrentJob.self)
            last = current
            highestProgress = max(highestProgress, current.progress)
            if current.state == "running", current.progress > 0, current.progress < 1 { sawPartialProgress = true }
            if let banner = current.banner { throw Failure("the page shows an error: \(banner)") }
            if current.state == "failed" || current.state == "canceled" {
                throw Failure("the job ended \(current.state): \(current.message ?? "")")
            }
            if current.images.filter({ $0.complete && $0.naturalWidth == 64 }).count == 2 { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        let current = try #require(last)
        let loaded = current.images.filter { $0.complete && $0.naturalWidth == 64 }
        try #require(loaded.count == 2, "two 64x64 images within 60 s; the panel shows \(current)")
        let jobID = try #require(current.job, "the current panel names its job")
        #expect(current.state == "succeeded")
        #expect(current.images.map(\.job) == [jobID, jobID])
        #expect(current.images.map(\.index) == ["0", "1"])
        #expect(current.images.allSatisfy { $0.src.hasPrefix("blob:") }, "images are shown from blob URLs")
        #expect(current.pixelated, "the images are scaled with image-rendering: pixelated")
        #expect(highestProgress == 1, "the progress bar reaches the end; highest seen: \(highestProgress)")
        let seen = try await page.evaluate("window.progressSeen", as: [ProgressValue].self)
        if seen.contains(where: { $0.state == "running" && $0.fraction > 0 && $0.fraction < 1 }) { sawPartialProgress = true }
        #expect(sawPartialProgress, "the progress bar showed a step between start and end while the job ran: \(seen)")

        // The recent-jobs grid lists the job as succeeded (at once after the submit, refreshed every 3 s).
        try await waitUntil("the grid lists job \(jobID) as succeeded", within: .seconds(30), page, """
            document.querySelector('#jobs .job-card[data-job="\(jobID)"] .badge')?.textContent === 'succeeded'
            """)

        // Give the images' short fade-in time to finish, then keep a picture of the page.
        try await Task.sleep(for: .milliseconds(600))
        let shot = try await page.send("Page.captureScreenshot", ["format": "png"], as: Screenshot.self, timeout: .seconds(30))
        let png = try #require(Data(base64Encoded: shot.data), "the screenshot is base64")
        let artifacts = TestPaths.repositoryRoot.appendingPathComponent(".build/test-artifacts", isDirectory: true)
        try FileManager.default.createDirectory(at: artifacts, withIntermediateDirectories: true)
        let file = artifacts.appendingPathComponent("gallery.png")
        try png.write(to: file)
        print("gallery screenshot: \(file.path)")

        // The job's detail view: its parameters, and a download link (a blob URL) for each image.
        try await click("#jobs .job-card[data-job=\"\(jobID)\"]", page)
        try await waitUntil("the detail view opens with two download links", within: .seconds(30), page, """
            document.querySelector('#job-detail').open
              && [...document.querySelectorAll('#detail-images a[download]')].filter(a => a.href.startsWith('blob:')).length === 2
            """)
        let downloads = try await page.evaluate(
            "[...document.querySelectorAll('#detail-images a[download]')].map(a => a.getAttribute('download'))", as: [String].self)
        #expect(downloads == ["\(jobID)-0.jpg", "\(jobID)-1.jpg"])
        let detailText = try await page.evaluate("document.querySelector('#job-detail').textContent", as: String.self)
        #expect(detailText.contains(prompt) && detailText.contains("7–8") && detailText.contains("Render"),
                "the detail view shows the prompt, the seeds and the render time")
        #expect(try await page.evaluate("document.querySelector('#detail-retry').hidden && document.querySelector('#detail-cancel').hidden",
                                        as: Bool.self), "a succeeded job offers neither cancel nor retry")
        try await Task.sleep(for: .milliseconds(500))
        let detailShot = try await page.send("Page.captureScreenshot", ["format": "png"], as: Screenshot.self, timeout: .seconds(30))
        try #require(Data(base64Encoded: detailShot.data)).write(to: artifacts.appendingPathComponent("gallery-detail.png"))

        let problems = await page.pageProblems
        #expect(problems.isEmpty, "the page reported no uncaught exceptions or console errors: \(problems)")
    }

    // MARK: - The page

    struct Navigation: Decodable { let errorText: String? }
    struct ProgressValue: Decodable { let fraction: Double; let state: String }
    struct Screenshot: Decodable { let data: String }

    /// What the current-job panel shows.
    struct CurrentJob: Decodable, CustomStringConvertible {
        struct Image: Decodable {
            let job: String?
            let index: String?
            let src: String
            let complete: Bool
            let naturalWidth: Int
        }
        let job: String?
        let state: String
        let progress: Double
        let message: String?
        let banner: String?
        let pixelated: Bool
        let images: [Image]

        var description: String {
            "job \(job ?? "none"), state '\(state)', progress \(progress), message \(message ?? "none"), "
                + "images \(images.map { "\($0.index ?? "?"):\($0.naturalWidth)px complete=\($0.complete)" })"
        }

        static let script = """
            (() => {
              const progress = document.querySelector('#progress');
              const banner = document.querySelector('#banner');
              const message = document.querySelector('#current-message');
              const images = [...document.querySelectorAll('#current img.job-image')];
              return {
                job: document.querySelector('#current').dataset.job ?? null,
                state: document.querySelector('#current-state').textContent,
                progress: progress.max > 0 ? progress.value / progress.max : 0,
                message: message.hidden ? null : message.textContent,
                banner: banner.hidden ? null : document.querySelector('#banner-text').textContent,
                pixelated: images.length > 0 && images.every(i => getComputedStyle(i).imageRendering === 'pixelated'),
                images: images.map(i => ({ job: i.dataset.job ?? null, index: i.dataset.index ?? null,
                  src: i.getAttribute('src') ?? '', complete: i.complete, naturalWidth: i.naturalWidth })),
              };
            })()
            """
    }

    static func waitUntil(_ what: String, within limit: Duration, _ page: DevToolsConnection, _ condition: String) async throws {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if try await page.evaluate("Boolean(\(condition))", as: Bool.self) { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw Failure("timed out after \(limit): \(what)")
    }

    private struct Point: Decodable { let x: Double; let y: Double }

    /// A real mouse click in the middle of the element.
    static func click(_ selector: String, _ page: DevToolsConnection) async throws {
        let point = try await page.evaluate("""
            (() => {
              const element = document.querySelector(\(jsString(selector)));
              if (!element) throw new Error('no element ' + \(jsString(selector)));
              element.scrollIntoView({ block: 'center' });
              const r = element.getBoundingClientRect();
              return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
            })()
            """, as: Point.self)
        for type in ["mouseMoved", "mousePressed", "mouseReleased"] {
            try await page.send("Input.dispatchMouseEvent", [
                "type": .string(type), "x": .double(point.x), "y": .double(point.y), "button": "left", "clickCount": 1,
            ])
        }
    }

    /// Focuses a field, clears it and types `text` as keyboard input.
    static func type(_ text: String, into selector: String, _ page: DevToolsConnection) async throws {
        let found = try await page.evaluate("""
            (() => {
              const element = document.querySelector(\(jsString(selector)));
              if (!element) return false;
              element.focus();
              element.value = '';
              return document.activeElement === element;
            })()
            """, as: Bool.self)
        guard found else { throw Failure("no focusable field \(selector) on the page") }
        try await page.send("Input.insertText", ["text": .string(text)])
    }

    /// A JavaScript string literal (JSON's quoting is valid JavaScript).
    static func jsString(_ text: String) -> String {
        String(decoding: try! JSONEncoder().encode(text), as: UTF8.self)
    }

    // MARK: - Chromium

    /// `$CHROMIUM`, else the first of chromium, chromium-browser, google-chrome on PATH.
    static func chromiumExecutable() throws -> URL {
        let environment = ProcessInfo.processInfo.environment
        if let path = environment["CHROMIUM"], !path.isEmpty {
            guard FileManager.default.isExecutableFile(atPath: path) else { throw Failure("$CHROMIUM=\(path) is not executable") }
            return URL(fileURLWithPath: path)
        }
        let folders = (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
        for name in ["chromium", "chromium-browser", "google-chrome"] {
            for folder in folders where FileManager.default.isExecutableFile(atPath: "\(folder)/\(name)") {
                return URL(fileURLWithPath: "\(folder)/\(name)")
            }
        }
        throw Failure("""
            the gallery's browser test needs headless Chromium, and none was found on PATH \
            (chromium, chromium-browser, google-chrome) or in $CHROMIUM: install it with `make deps-test` \
            (Debian's package `chromium`)
            """)
    }

    private struct Targets: Decodable {
        struct Target: Decodable {
            let targetId: String
            let type: String
        }
        let targetInfos: [Target]
    }

    private struct CreatedTarget: Decodable { let targetId: String }

    /// Waits for Chromium to write <profile>/DevToolsActivePort (its port, then the browser's WebSocket
    /// path), asks the browser for its page target (opening one if there is none) and returns that
    /// page's WebSocket URL. (Foundation's HTTP client on Linux cannot read Chromium's /json/list.)
    static func pageWebSocketURL(browser: Child, profile: URL) async throws -> String {
        let portFile = profile.appendingPathComponent("DevToolsActivePort")
        let deadline = ContinuousClock.now + .seconds(30)
        var lines: [Substring] = []
        while true {
            if let text = try? String(contentsOf: portFile, encoding: .utf8) {
                lines = text.split(separator: "\n")
                if lines.count >= 2, Int(lines[0]) != nil { break }
            }
            guard browser.isRunning else { throw Failure("Chromium exited (status \(browser.status)) before it listened") }
            guard ContinuousClock.now < deadline else { throw Failure("Chromium wrote no \(portFile.path) within 30 s") }
            try await Task.sleep(for: .milliseconds(100))
        }
        let endpoint = "ws://127.0.0.1:\(lines[0])"
        let connection = try await DevToolsConnection.connect(to: endpoint + lines[1])
        do {
            let targets = try await connection.send("Target.getTargets", as: Targets.self)
            var page = targets.targetInfos.first(where: { $0.type == "page" })?.targetId
            if page == nil {
                page = try await connection.send("Target.createTarget", ["url": "about:blank"], as: CreatedTarget.self).targetId
            }
            await connection.close()
            return "\(endpoint)/devtools/page/\(page!)"
        } catch {
            await connection.close()
            throw error
        }
    }

    // MARK: - Child processes

    /// A child process whose output is drained into memory as it comes (a full pipe would block it).
    final class Child: @unchecked Sendable {
        let name: String
        let process: Process
        private let lock = NSLock()
        private var stdout = Data()
        private var stderr = Data()

        init(_ name: String, _ process: Process) {
            self.name = name
            self.process = process
            for (pipe, isError) in [(process.standardOutput, false), (process.standardError, true)] {
                guard let pipe = pipe as? Pipe else { continue }
                pipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
                    let data = handle.availableData
                    guard let self else { return }
                    if data.isEmpty {
                        handle.readabilityHandler = nil
                        return
                    }
                    self.lock.withLock { isError ? self.stderr.append(data) : self.stdout.append(data) }
                }
            }
        }

        var isRunning: Bool { process.isRunning }
        var status: Int32 { process.isRunning ? -1 : process.terminationStatus }

        /// The first whole line of stdout for which `matches` holds.
        func waitForLine(within limit: Duration, _ matches: (String) -> Bool) async throws -> String {
            let deadline = ContinuousClock.now + limit
            while true {
                let text = lock.withLock { String(decoding: stdout, as: UTF8.self) }
                if let line = text.split(separator: "\n").dropLast(text.hasSuffix("\n") ? 0 : 1).map(String.init).first(where: matches) {
                    return line
                }
                guard process.isRunning else { throw Failure("\(name) exited with status \(process.terminationStatus)") }
                guard ContinuousClock.now < deadline else { throw Failure("\(name) printed no expected line within \(limit)") }
                try await Task.sleep(for: .milliseconds(50))
            }
        }

        /// SIGTERM, up to 10 s for a graceful exit, then SIGKILL.
        func stop() {
            if process.isRunning {
                process.terminate()
                let deadline = Date().addingTimeInterval(10)
                while process.isRunning, Date() < deadline { usleep(20_000) }
                if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            }
            _ = CommandRunner.waitForExit(process)
            for pipe in [process.standardOutput, process.standardError] {
                (pipe as? Pipe)?.fileHandleForReading.readabilityHandler = nil
            }
        }

        /// The tail of what it printed, for a failing test's log.
        func diagnostics() -> String {
            let (out, err) = lock.withLock { (String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self)) }
            return "--- \(name) (status \(status)) stdout:\n\(out.suffix(2_000))\n--- \(name) stderr:\n\(err.suffix(4_000))"
        }
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}
