// fae-t2i gallery: submits prompts, follows a job's event stream, and shows recent jobs.
// Plain browser JavaScript, no dependencies. Every piece of server data is put on the page with
// textContent or as an attribute value, never as HTML.
"use strict";

(() => {
  const TOKEN_KEY = "fae-t2i-token";
  const TERMINAL = new Set(["succeeded", "failed", "canceled"]);
  const PAGE_SIZE = 24;
  const REFRESH_MS = 3000;
  const DETAIL_REFRESH_MS = 1000;
  const EXAMPLES = [
    "a red circle to the left of a blue square",
    "a large yellow triangle in the center on a black background",
    "three green circles",
    "a picture of a pink cross above a cyan diamond",
    "a small blue square in the top left and a large orange triangle in the bottom right",
    "four red diamonds on a gray background",
    "an image of a purple circle below a yellow square",
    "a drawing of a purple triangle",
  ];

  const $ = (selector) => document.querySelector(selector);

  /** Creates an element; `options` may set className, text, dataset and attributes (all as plain text). */
  function el(tag, options = {}, ...children) {
    const node = document.createElement(tag);
    if (options.className) node.className = options.className;
    if (options.text !== undefined && options.text !== null) node.textContent = String(options.text);
    if (options.dataset) for (const [key, value] of Object.entries(options.dataset)) node.dataset[key] = String(value);
    if (options.attrs) for (const [key, value] of Object.entries(options.attrs)) node.setAttribute(key, String(value));
    for (const child of children) if (child) node.append(child);
    return node;
  }

  function sleep(ms, signal) {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      if (signal) signal.addEventListener("abort", () => { clearTimeout(timer); resolve(); }, { once: true });
    });
  }

  // ---------------------------------------------------------------- formatting

  const time = (iso) => (iso ? Date.parse(iso) : NaN);

  function formatDuration(ms) {
    if (!Number.isFinite(ms) || ms < 0) return "—";
    if (ms < 1000) return `${Math.round(ms)} ms`;
    const s = ms / 1000;
    if (s < 60) return `${s.toFixed(s < 10 ? 2 : 1)} s`;
    const m = Math.floor(s / 60);
    if (m < 60) return `${m} min ${Math.round(s - m * 60)} s`;
    const h = Math.floor(m / 60);
    return `${h} h ${m - h * 60} min`;
  }

  function formatAgo(iso) {
    const t = time(iso);
    if (!Number.isFinite(t)) return "";
    const s = Math.max(0, (Date.now() - t) / 1000);
    if (s < 5) return "just now";
    if (s < 60) return `${Math.floor(s)} s ago`;
    if (s < 3600) return `${Math.floor(s / 60)} min ago`;
    if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
    return new Date(t).toLocaleDateString();
  }

  function formatDate(iso) {
    const t = time(iso);
    return Number.isFinite(t) ? new Date(t).toLocaleString() : "—";
  }

  function formatBytes(bytes) {
    if (!Number.isFinite(bytes)) return "";
    return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KB`;
  }

  function formatSeeds(seeds) {
    if (!Array.isArray(seeds) || seeds.length === 0) return "—";
    if (seeds.length === 1) return String(seeds[0]);
    const consecutive = seeds.every((seed, i) => i === 0 || seed === seeds[i - 1] + 1);
    if (consecutive) return `${seeds[0]}–${seeds[seeds.length - 1]}`;
    return seeds.length <= 4 ? seeds.join(", ") : `${seeds.slice(0, 3).join(", ")}, … (${seeds.length})`;
  }

  // ---------------------------------------------------------------- connection status and banner

  function setConnection(kind, text) {
    const node = $("#connection");
    node.className = `connection ${kind}`;
    node.textContent = text;
  }

  function showBanner(message) {
    $("#banner-text").textContent = message;
    $("#banner").hidden = false;
  }

  function hideBanner() { $("#banner").hidden = true; }

  // ---------------------------------------------------------------- token

  let token = localStorage.getItem(TOKEN_KEY) || "";
  let tokenWaiter = null;
  let tokenResolve = null;

  function updateTokenButton() { $("#forget-token").hidden = !token; }

  /** Shows the token form once, however many requests are waiting for it; resolves when a token is entered. */
  function askForToken(rejected) {
    if (!tokenWaiter) {
      tokenWaiter = new Promise((resolve) => { tokenResolve = resolve; });
      const dialog = $("#token-dialog");
      $("#token-error").textContent = rejected ? "The server did not accept that token. Try again." : "";
      $("#token").value = "";
      setConnection("locked", "token needed");
      if (!dialog.open) dialog.showModal();
      $("#token").focus();
    }
    return tokenWaiter;
  }

  function setupTokenForm() {
    const dialog = $("#token-dialog");
    dialog.addEventListener("cancel", (event) => event.preventDefault()); // the page cannot work without it
    $("#token-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const value = $("#token").value.trim();
      if (!value) {
        $("#token-error").textContent = "Enter the server's token.";
        return;
      }
      if (/[^\x21-\x7e]/.test(value)) {
        $("#token-error").textContent = "A token is plain ASCII, without spaces.";
        return;
      }
      token = value;
      localStorage.setItem(TOKEN_KEY, token);
      updateTokenButton();
      dialog.close();
      const resolve = tokenResolve;
      tokenWaiter = null;
      tokenResolve = null;
      if (resolve) resolve();
    });
    $("#forget-token").addEventListener("click", () => {
      token = "";
      localStorage.removeItem(TOKEN_KEY);
      updateTokenButton();
      refreshSoon();
    });
    updateTokenButton();
  }

  // ---------------------------------------------------------------- API

  class ApiError extends Error {
    constructor(status, message, field) {
      super(message);
      this.status = status;
      this.field = field || null;
    }
  }

  async function errorFrom(response) {
    let message = `The server answered ${response.status} ${response.statusText}`.trim();
    let field = null;
    try {
      const body = await response.json();
      if (body && body.error) {
        if (body.error.message) message = String(body.error.message);
        if (body.error.field) field = String(body.error.field);
      }
    } catch (_) { /* not JSON: keep the status line */ }
    return new ApiError(response.status, message, field);
  }

  /** fetch() with the bearer token; on 401 asks for a token and tries again. Throws ApiError unless 2xx. */
  async function request(path, { method = "GET", body, signal, accept } = {}) {
    for (;;) {
      const sent = token;
      const headers = {};
      if (sent) headers.Authorization = `Bearer ${sent}`;
      if (body !== undefined) headers["Content-Type"] = "application/json";
      if (accept) headers.Accept = accept;
      let response;
      try {
        response = await fetch(path, {
          method, headers, signal, cache: "no-store",
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      } catch (error) {
        if (signal && signal.aborted) throw error;
        setConnection("bad", "offline");
        throw new ApiError(0, "Cannot reach the server.", null);
      }
      if (response.status === 401) {
        if (token !== sent) continue; // a token was entered meanwhile
        await askForToken(Boolean(sent));
        continue;
      }
      setConnection("ok", "connected");
      if (!response.ok) throw await errorFrom(response);
      return response;
    }
  }

  async function getJSON(path, options) {
    const response = await request(path, options);
    return response.json();
  }

  const jobPath = (id) => `/v1/jobs/${encodeURIComponent(id)}`;

  // Blob URLs of fetched images, one fetch per image for the page's lifetime.
  const imageURLs = new Map();

  function imageURL(id, index) {
    const key = `${id}/${index}`;
    let promise = imageURLs.get(key);
    if (!promise) {
      promise = request(`${jobPath(id)}/images/${index}`, { accept: "image/jpeg" })
        .then((response) => response.blob())
        .then((blob) => URL.createObjectURL(blob));
      promise.catch(() => imageURLs.delete(key));
      imageURLs.set(key, promise);
    }
    return promise;
  }

  /** An <img class="job-image"> for one image of a job; its src is set once the blob arrives. */
  function jobImage(job, index, onLoad) {
    const img = el("img", {
      className: "job-image",
      dataset: { job: job.id, index },
      attrs: { alt: `${job.parameters.prompt} (image ${index + 1})`, decoding: "async", draggable: "false" },
    });
    imageURL(job.id, index).then((url) => {
      img.src = url;
      if (onLoad) onLoad(url);
    }).catch(() => {
      img.alt = "image unavailable";
      img.classList.add("broken");
    });
    return img;
  }

  /** Reads a text/event-stream body by hand (EventSource cannot send the Authorization header). */
  async function* serverSentEvents(body) {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    let name = "";
    let data = [];
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let newline;
        while ((newline = buffer.indexOf("\n")) >= 0) {
          let line = buffer.slice(0, newline);
          buffer = buffer.slice(newline + 1);
          if (line.endsWith("\r")) line = line.slice(0, -1);
          if (line === "") {
            if (data.length > 0) yield { event: name || "message", data: data.join("\n") };
            name = "";
            data = [];
            continue;
          }
          if (line.startsWith(":")) continue;
          const colon = line.indexOf(":");
          const field = colon < 0 ? line : line.slice(0, colon);
          let fieldValue = colon < 0 ? "" : line.slice(colon + 1);
          if (fieldValue.startsWith(" ")) fieldValue = fieldValue.slice(1);
          if (field === "event") name = fieldValue;
          else if (field === "data") data.push(fieldValue);
        }
      }
    } finally {
      reader.cancel().catch(() => {});
    }
  }

  // ---------------------------------------------------------------- badges and tiles

  function badge(node, state) {
    node.className = `badge ${state}`;
    node.textContent = state;
    node.hidden = false;
    return node;
  }

  /** An image tile: a shimmering placeholder until the image for `index` is known and loaded. */
  function tile(seed) {
    const node = el("div", { className: "tile loading" });
    if (seed !== undefined && seed !== null) node.append(el("span", { className: "seed-tag", text: `seed ${seed}` }));
    return node;
  }

  function fillTile(node, job, index, onLoad) {
    if (node.dataset.filled) return;
    node.dataset.filled = "1";
    const img = jobImage(job, index, onLoad);
    img.addEventListener("load", () => node.classList.remove("loading"), { once: true });
    node.prepend(img);
  }

  // ---------------------------------------------------------------- current job

  let current = null; // { id, job, abort }

  function watch(job) {
    if (current && current.abort) current.abort.abort();
    current = { id: job.id, job: null, abort: new AbortController(), tiles: [] };
    $("#current").dataset.job = job.id;
    $("#current-images").replaceChildren();
    const progress = $("#progress");
    progress.max = 1;
    progress.value = 0;
    showCurrent(job);
    followEvents(job.id, current.abort.signal);
  }

  function setProgress(step, total, label) {
    const progress = $("#progress");
    if (total > 0) {
      progress.max = total;
      progress.value = Math.min(step, total);
    }
    $("#progress-label").textContent = label;
  }

  function showCurrent(job) {
    if (!current || current.id !== job.id) return;
    current.job = job;
    const p = job.parameters;
    $("#current-empty").hidden = true;
    $("#current-body").hidden = false;
    $("#current-prompt").textContent = p.prompt;
    badge($("#current-state"), job.state);
    $("#current-meta").textContent =
      `seed ${formatSeeds(p.seeds)} · ${p.steps} steps · guidance ${p.guidance} · ${p.sampler}`;

    const progress = $("#progress");
    progress.classList.toggle("done", job.state === "succeeded");
    progress.classList.toggle("failed", job.state === "failed" || job.state === "canceled");
    const { step, total } = job.progress || { step: 0, total: 0 };
    progress.classList.toggle("waiting", job.state === "queued" || (job.state === "running" && !(total > 0)));
    switch (job.state) {
      case "queued":
        setProgress(0, total, job.attempts > 0 ? `retrying (attempt ${job.attempts + 1})` : "waiting for a worker");
        break;
      case "running":
        setProgress(step, total, total > 0 ? `step ${step} / ${total}` : "starting");
        break;
      case "succeeded":
        progress.max = 1;
        progress.value = 1;
        $("#progress-label").textContent =
          `done in ${formatDuration(time(job.timestamps.finished_at) - time(job.timestamps.started_at))}`;
        break;
      default:
        $("#progress-label").textContent = job.state;
    }

    const message = $("#current-message");
    if (job.state === "failed" && job.error) showMessage(message, job.error, "error");
    else if (job.state === "canceled") showMessage(message, "This job was canceled.", "");
    else if (job.cancel_requested) showMessage(message, "Cancel requested; the worker stops at its next step.", "");
    else if (job.warning) showMessage(message, job.warning, "warning");
    else message.hidden = true;

    // One tile per requested image, filled as the images arrive.
    const images = $("#current-images");
    const count = job.state === "failed" || job.state === "canceled" ? job.images.length : p.count;
    images.classList.toggle("many", count > 4);
    while (current.tiles.length < count) {
      const index = current.tiles.length;
      const node = tile(p.seeds ? p.seeds[index] : undefined);
      current.tiles.push(node);
      images.append(node);
    }
    while (current.tiles.length > count) current.tiles.pop().remove();
    for (const image of job.images || []) {
      const node = current.tiles[image.index];
      if (node) fillTile(node, job, image.index);
    }
    document.title = job.state === "running" && total > 0
      ? `${Math.round((100 * step) / total)}% · fae-t2i gallery`
      : "fae-t2i gallery";
  }

  function showMessage(node, text, kind) {
    node.className = `message ${kind}`.trim();
    node.textContent = text;
    node.hidden = false;
  }

  function showProgress(id, step, total) {
    if (!current || current.id !== id || !current.job) return;
    if (TERMINAL.has(current.job.state)) return;
    if (current.job.state === "queued") badge($("#current-state"), "running");
    $("#progress").classList.remove("waiting");
    setProgress(step, total, `step ${step} / ${total}`);
    if (total > 0) document.title = `${Math.round((100 * step) / total)}% · fae-t2i gallery`;
    const card = cards.get(id);
    if (card) setMiniProgress(card, step, total);
  }

  /** Follows /v1/jobs/{id}/events until the job ends; reconnects if the stream drops early. */
  async function followEvents(id, signal) {
    let failures = 0;
    while (!signal.aborted) {
      let finished = false;
      try {
        const response = await request(`${jobPath(id)}/events`, { signal, accept: "text/event-stream" });
        failures = 0;
        for await (const event of serverSentEvents(response.body)) {
          if (signal.aborted) return;
          if (event.event === "state") {
            const job = JSON.parse(event.data);
            jobUpdated(job);
            if (TERMINAL.has(job.state)) finished = true;
          } else if (event.event === "progress") {
            const { step, total } = JSON.parse(event.data);
            showProgress(id, step, total);
          }
        }
      } catch (error) {
        if (signal.aborted) return;
        if (error instanceof ApiError && error.status >= 400 && error.status < 500) {
          showMessage($("#current-message"), error.message, "error");
          return;
        }
      }
      if (finished || signal.aborted) return;
      failures += 1;
      await sleep(Math.min(5000, 500 * failures), signal);
      if (signal.aborted) return;
      try {
        const job = await getJSON(jobPath(id), { signal });
        jobUpdated(job);
        if (TERMINAL.has(job.state)) return;
      } catch (_) { /* try the stream again */ }
    }
  }

  /** One place where a newer copy of a job lands: the current panel, the grid and the detail view. */
  function jobUpdated(job) {
    showCurrent(job);
    const known = grid.jobs.get(job.id);
    if (known) {
      grid.jobs.set(job.id, job);
      renderGrid();
    } else if (!grid.filter || grid.filter === job.state) {
      grid.jobs.set(job.id, job);
      grid.order.unshift(job.id);
      renderGrid();
    }
    if (detail.id === job.id) renderDetail(job);
  }

  // ---------------------------------------------------------------- the form

  const form = () => $("#job-form");

  function clearErrors() {
    for (const node of document.querySelectorAll("#job-form .field-error")) node.textContent = "";
    for (const node of document.querySelectorAll("#job-form .invalid")) node.classList.remove("invalid");
  }

  function fieldError(field, message, focus = true) {
    const name = field === "seeds" ? "seed" : field;
    const slot = document.querySelector(`#job-form .field-error[data-field="${CSS.escape(name)}"]`);
    if (!slot) return false;
    slot.textContent = message;
    const input = form().elements.namedItem(name);
    if (input && input.classList) {
      input.classList.add("invalid");
      if (input.closest("details")) input.closest("details").open = true;
      if (focus) input.focus();
    }
    return true;
  }

  function showError(error) {
    if (error.field && fieldError(error.field, error.message)) return;
    showBanner(error.message);
  }

  /** The request body, or null after marking what is wrong. */
  function readForm() {
    const f = form();
    const value = (name) => f.elements.namedItem(name).value.trim();
    const body = { prompt: value("prompt") };
    let ok = true;
    const fail = (field, message) => { fieldError(field, message, ok); ok = false; };
    if (!body.prompt) fail("prompt", "Describe the image you want.");

    const integer = (name, min, max, label) => {
      const text = value(name);
      const number = Number(text);
      if (text === "" || !Number.isInteger(number) || number < min || number > max) {
        fail(name, `${label} must be a whole number from ${min} to ${max}.`);
        return undefined;
      }
      return number;
    };
    body.count = integer("count", 1, 16, "Images");
    body.steps = integer("steps", 1, 1000, "Steps");
    const guidance = Number(value("guidance"));
    if (value("guidance") === "" || !Number.isFinite(guidance) || guidance < 0 || guidance > 30) {
      fail("guidance", "Guidance must be a number from 0 to 30.");
    } else {
      body.guidance = guidance;
    }
    const seedText = value("seed");
    if (seedText !== "") {
      const seed = Number(seedText);
      if (!Number.isSafeInteger(seed) || seed < 0) fail("seed", "The seed must be a whole number, 0 or more.");
      else body.seed = seed;
    }
    const negative = value("negative_prompt");
    if (negative) body.negative_prompt = negative;
    body.sampler = value("sampler") || "euler";
    const priorityText = value("priority");
    if (priorityText !== "" && priorityText !== "0") {
      const priority = Number(priorityText);
      if (!Number.isSafeInteger(priority)) fail("priority", "Priority must be a whole number.");
      else body.priority = priority;
    }
    return ok ? body : null;
  }

  function setupForm() {
    const f = form();
    const submit = $("#submit");
    f.addEventListener("submit", async (event) => {
      event.preventDefault();
      clearErrors();
      const body = readForm();
      if (!body) return;
      submit.disabled = true;
      submit.textContent = "Submitting…";
      try {
        const job = await getJSON("/v1/jobs", { method: "POST", body });
        hideBanner();
        watch(job);
        jobUpdated(job);
        refreshSoon();
      } catch (error) {
        showError(error);
      } finally {
        submit.disabled = false;
        submit.textContent = "Generate";
      }
    });
    f.addEventListener("input", (event) => {
      const target = event.target;
      if (!target.classList || !target.classList.contains("invalid")) return;
      target.classList.remove("invalid");
      const name = target.name;
      const slot = document.querySelector(`#job-form .field-error[data-field="${CSS.escape(name)}"]`);
      if (slot) slot.textContent = "";
    });
    f.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        f.requestSubmit();
      }
    });
    $("#random-seed").addEventListener("click", () => {
      $("#seed").value = String(Math.floor(Math.random() * 2 ** 31));
    });
    let example = Math.floor(Math.random() * EXAMPLES.length);
    $("#surprise").addEventListener("click", () => {
      example = (example + 1) % EXAMPLES.length;
      $("#prompt").value = EXAMPLES[example];
      $("#prompt").focus();
    });
  }

  function fillForm(p) {
    const f = form();
    const set = (name, value) => { f.elements.namedItem(name).value = value === undefined || value === null ? "" : String(value); };
    set("prompt", p.prompt);
    set("count", p.count);
    set("seed", p.seeds && p.seeds.length ? p.seeds[0] : "");
    set("steps", p.steps);
    set("guidance", p.guidance);
    set("negative_prompt", p.negative_prompt || "");
    set("sampler", p.sampler || "euler");
    set("priority", p.priority || 0);
    clearErrors();
    if (p.negative_prompt || p.priority || (p.sampler && p.sampler !== "euler")) $(".more").open = true;
  }

  // ---------------------------------------------------------------- recent jobs

  const grid = { jobs: new Map(), order: [], cursor: null, extended: false, filter: "", loaded: false };
  const cards = new Map();
  let wake = null;

  function refreshSoon() { if (wake) wake(); }

  async function refreshLoop() {
    for (;;) {
      if (!document.hidden) {
        try {
          await refresh();
        } catch (error) {
          if (!(error instanceof ApiError) || error.status !== 0) showBanner(error.message);
        }
      }
      await new Promise((resolve) => {
        wake = resolve;
        setTimeout(resolve, REFRESH_MS);
      });
      wake = null;
    }
  }

  function listQuery(cursor) {
    const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
    if (grid.filter) query.set("state", grid.filter);
    if (cursor) query.set("cursor", cursor);
    return `/v1/jobs?${query}`;
  }

  async function refresh() {
    const filter = grid.filter;
    const page = await getJSON(listQuery(null));
    if (filter !== grid.filter) return;
    const head = page.jobs.map((job) => job.id);
    const inHead = new Set(head);
    for (const job of page.jobs) grid.jobs.set(job.id, job);
    let tail = [];
    if (grid.extended && page.jobs.length > 0) {
      // Keep the older pages that "Load more" brought in, below the fresh first page.
      const oldest = time(page.jobs[page.jobs.length - 1].timestamps.created_at);
      tail = grid.order.filter((id) => !inHead.has(id) && time(grid.jobs.get(id).timestamps.created_at) < oldest);
    } else {
      grid.cursor = page.next_cursor || null;
    }
    grid.order = head.concat(tail);
    for (const id of [...grid.jobs.keys()]) if (!inHead.has(id) && !tail.includes(id)) grid.jobs.delete(id);
    if (!grid.loaded && !current) {
      const newest = page.jobs[0];
      if (newest && !TERMINAL.has(newest.state)) watch(newest);
    }
    renderGrid();
    grid.loaded = true;
    if (detail.id && grid.jobs.has(detail.id)) renderDetail(grid.jobs.get(detail.id));
  }

  async function loadMore() {
    const button = $("#load-more");
    if (!grid.cursor) return;
    button.disabled = true;
    const filter = grid.filter;
    try {
      const page = await getJSON(listQuery(grid.cursor));
      if (filter !== grid.filter) return;
      for (const job of page.jobs) {
        if (!grid.jobs.has(job.id)) grid.order.push(job.id);
        grid.jobs.set(job.id, job);
      }
      grid.cursor = page.next_cursor || null;
      grid.extended = true;
      renderGrid();
    } catch (error) {
      showBanner(error.message);
    } finally {
      button.disabled = false;
    }
  }

  function setMiniProgress(card, step, total) {
    const bar = card.querySelector(".mini-progress span");
    if (bar && total > 0) bar.style.width = `${Math.min(100, (100 * step) / total)}%`;
  }

  function buildCard(job) {
    const card = el("a", { className: "job-card", dataset: { job: job.id }, attrs: { href: `#job=${encodeURIComponent(job.id)}` } });
    card.append(
      el("div", { className: "thumb" }),
      el("p", { className: "card-prompt" }),
      el("div", { className: "card-meta" }, el("span", { className: "badge" })),
      el("div", { className: "card-meta" }, el("span", { className: "seed" }), el("span", { className: "ago" })),
    );
    return card;
  }

  /** Updates a card in place; the thumbnail is rebuilt only when the state or the first image changes. */
  function updateCard(card, job) {
    const p = job.parameters;
    const state = job.state;
    const first = (job.images || []).find((image) => image.index === 0) || (job.images || [])[0];
    const thumbKey = `${state}/${first ? first.index : "-"}`;
    const thumb = card.querySelector(".thumb");
    if (card.dataset.thumb !== thumbKey) {
      card.dataset.thumb = thumbKey;
      thumb.replaceChildren();
      thumb.className = `thumb ${state}`;
      if (first) {
        thumb.append(jobImage(job, first.index));
      } else if (state === "failed") {
        thumb.append(el("span", { className: "glyph", text: "!" }));
      } else if (state === "canceled") {
        thumb.append(el("span", { className: "glyph", text: "—" }));
      } else {
        thumb.append(el("span", { className: `spinner ${state}` }));
      }
      if (p.count > 1) thumb.append(el("span", { className: "count-tag", text: `×${p.count}` }));
      if (state === "running") thumb.append(el("span", { className: "mini-progress" }, el("span")));
    }
    if (state === "running" && job.progress) setMiniProgress(card, job.progress.step, job.progress.total);
    card.querySelector(".card-prompt").textContent = p.prompt;
    card.title = p.prompt;
    badge(card.querySelector(".badge"), state);
    card.querySelector(".ago").textContent = formatAgo(job.timestamps.created_at);
    card.querySelector(".seed").textContent = `seed ${formatSeeds(p.seeds)}`;
  }

  function renderGrid() {
    const container = $("#jobs");
    const wanted = new Set(grid.order);
    for (const [id, card] of cards) {
      if (!wanted.has(id)) {
        card.remove();
        cards.delete(id);
      }
    }
    let cursor = container.firstChild;
    for (const id of grid.order) {
      const job = grid.jobs.get(id);
      if (!job) continue;
      let card = cards.get(id);
      if (!card) {
        card = buildCard(job);
        cards.set(id, card);
        if (grid.loaded) card.classList.add("fresh");
        card.addEventListener("animationend", () => card.classList.remove("fresh"), { once: true });
      }
      updateCard(card, job);
      if (card !== cursor) container.insertBefore(card, cursor);
      else cursor = cursor.nextSibling;
    }
    while (cursor) {
      const next = cursor.nextSibling;
      cursor.remove();
      cursor = next;
    }
    const empty = $("#jobs-empty");
    empty.hidden = !(grid.loaded && grid.order.length === 0);
    empty.textContent = grid.filter
      ? `No ${grid.filter} jobs.`
      : "No jobs yet. Write a prompt above and press Generate.";
    $("#load-more").hidden = !grid.cursor;
  }

  function setupGrid() {
    for (const chip of document.querySelectorAll(".filters .chip")) {
      chip.addEventListener("click", () => {
        for (const other of document.querySelectorAll(".filters .chip")) other.classList.toggle("active", other === chip);
        grid.filter = chip.dataset.state;
        grid.jobs.clear();
        grid.order = [];
        grid.cursor = null;
        grid.extended = false;
        grid.loaded = false;
        renderGrid();
        grid.loaded = true;
        refreshSoon();
      });
    }
    $("#load-more").addEventListener("click", loadMore);
    document.addEventListener("visibilitychange", () => { if (!document.hidden) refreshSoon(); });
  }

  // ---------------------------------------------------------------- detail view

  const detail = { id: null, job: null, imagesKey: "", timer: null };

  function openDetail(id) {
    const dialog = $("#job-detail");
    if (detail.id !== id) {
      detail.id = id;
      detail.job = null;
      detail.imagesKey = "";
      $("#detail-images").replaceChildren();
      $("#detail-params").replaceChildren();
      $("#detail-timings").replaceChildren();
      $("#detail-id").textContent = id;
      $("#detail-prompt").textContent = "Loading…";
      $("#detail-state").hidden = true;
      $("#detail-message").hidden = true;
      $("#detail-cancel").hidden = true;
      $("#detail-retry").hidden = true;
    }
    $("#detail-error").hidden = true;
    const known = grid.jobs.get(id) || (current && current.id === id ? current.job : null);
    if (known) renderDetail(known);
    if (!dialog.open) dialog.showModal();
    pollDetail();
  }

  async function pollDetail() {
    clearTimeout(detail.timer);
    const id = detail.id;
    if (!id) return;
    try {
      const job = await getJSON(jobPath(id));
      if (detail.id !== id) return;
      renderDetail(job);
    } catch (error) {
      if (detail.id !== id) return;
      showDetailError(error.message);
      if (error.status === 404) return;
    }
    if (detail.id === id && !(detail.job && TERMINAL.has(detail.job.state))) {
      detail.timer = setTimeout(pollDetail, DETAIL_REFRESH_MS);
    }
  }

  function showDetailError(message) {
    const node = $("#detail-error");
    node.textContent = message;
    node.hidden = false;
  }

  function addRow(list, label, value, className) {
    list.append(el("dt", { text: label }), el("dd", { text: value, className: className || "" }));
  }

  function renderDetail(job) {
    if (detail.id !== job.id) return;
    const wasTerminal = detail.job && TERMINAL.has(detail.job.state);
    detail.job = job;
    const p = job.parameters;
    const ts = job.timestamps;
    $("#detail-id").textContent = `job ${job.id}`;
    $("#detail-prompt").textContent = p.prompt;
    badge($("#detail-state"), job.state);

    const message = $("#detail-message");
    if (job.error) showMessage(message, job.error, job.state === "failed" ? "error" : "warning");
    else if (job.cancel_requested && !TERMINAL.has(job.state)) showMessage(message, "Cancel requested.", "");
    else if (job.warning) showMessage(message, job.warning, "warning");
    else message.hidden = true;

    // Images with their download links; rebuilt only when the set of images changes.
    const images = job.images || [];
    const imagesKey = `${job.id}/${job.state}/${images.map((image) => image.index).join(",")}`;
    if (imagesKey !== detail.imagesKey) {
      detail.imagesKey = imagesKey;
      const box = $("#detail-images");
      box.replaceChildren();
      const shown = images.length > 0 ? images.length : (TERMINAL.has(job.state) ? 0 : p.count);
      box.classList.toggle("many", shown > 3);
      for (const image of images) {
        const cell = el("div", { className: "image-cell" });
        const node = tile(image.seed);
        const link = el("a", {
          text: "Download ",
          dataset: { job: job.id, index: image.index },
          attrs: { download: `${job.id}-${image.index}.jpg`, href: "#", "aria-disabled": "true" },
        });
        link.append(el("span", { text: `${image.width}×${image.height} · ${formatBytes(image.bytes)}` }));
        link.addEventListener("click", (event) => { if (link.getAttribute("aria-disabled") === "true") event.preventDefault(); });
        fillTile(node, job, image.index, (url) => {
          link.href = url;
          link.removeAttribute("aria-disabled");
        });
        cell.append(node, link);
        box.append(cell);
      }
      if (images.length === 0) {
        for (let i = 0; i < shown; i += 1) box.append(tile(p.seeds ? p.seeds[i] : undefined));
      }
    }

    const params = $("#detail-params");
    params.replaceChildren();
    addRow(params, "Negative prompt", p.negative_prompt || "—");
    addRow(params, p.count === 1 ? "Seed" : "Seeds", formatSeeds(p.seeds), "mono");
    addRow(params, "Images", p.count);
    addRow(params, "Steps", p.steps);
    addRow(params, "Guidance", p.guidance);
    addRow(params, "Sampler", p.sampler);
    addRow(params, "Priority", p.priority);
    addRow(params, "Attempts", `${job.attempts} of ${job.max_attempts}`);
    if (job.worker) addRow(params, "Worker", job.worker, "mono");
    if (p.idempotency_key) addRow(params, "Key", p.idempotency_key, "mono");
    if (p.model_id) addRow(params, "Model", p.model_id, "mono");
    if (p.weights_hash) addRow(params, "Weights", `${String(p.weights_hash).slice(0, 16)}…`, "mono");

    const now = Date.now();
    const created = time(ts.created_at);
    const started = time(ts.started_at);
    const finished = time(ts.finished_at);
    const timings = $("#detail-timings");
    timings.replaceChildren();
    addRow(timings, "Created", formatDate(ts.created_at));
    if (Number.isFinite(started)) addRow(timings, "Queue wait", formatDuration(started - created));
    else if (job.state === "queued") addRow(timings, "Queue wait", `${formatDuration(now - created)} so far`);
    if (Number.isFinite(started) && Number.isFinite(finished)) addRow(timings, "Render", formatDuration(finished - started));
    else if (job.state === "running" && Number.isFinite(started)) addRow(timings, "Render", `${formatDuration(now - started)} so far`);
    if (Number.isFinite(finished)) {
      addRow(timings, "Total", formatDuration(finished - created));
      addRow(timings, "Finished", formatDate(ts.finished_at));
    }
    const runAfter = time(ts.run_after);
    if (job.state === "queued" && Number.isFinite(runAfter) && runAfter > now + 500) {
      addRow(timings, "Next attempt", `in ${formatDuration(runAfter - now)}`);
    }

    const cancel = $("#detail-cancel");
    cancel.hidden = !(job.state === "queued" || job.state === "running");
    cancel.disabled = Boolean(job.cancel_requested);
    cancel.textContent = job.cancel_requested ? "Cancel requested" : "Cancel job";
    $("#detail-retry").hidden = !(job.state === "failed" || job.state === "canceled");

    if (wasTerminal === true && !TERMINAL.has(job.state)) pollDetail(); // retried elsewhere: follow it again
  }

  async function detailAction(action) {
    const id = detail.id;
    if (!id) return;
    const button = action === "cancel" ? $("#detail-cancel") : $("#detail-retry");
    button.disabled = true;
    $("#detail-error").hidden = true;
    try {
      const job = await getJSON(`${jobPath(id)}/${action}`, { method: "POST" });
      if (action === "retry") watch(job);
      jobUpdated(job);
      renderDetail(job);
      pollDetail();
      refreshSoon();
    } catch (error) {
      showDetailError(error.message);
    } finally {
      button.disabled = false;
      if (detail.job && detail.job.cancel_requested && action === "cancel") button.disabled = true;
    }
  }

  function setupDetail() {
    const dialog = $("#job-detail");
    $("#detail-close").addEventListener("click", () => dialog.close());
    dialog.addEventListener("click", (event) => {
      if (event.target !== dialog) return;
      const r = dialog.getBoundingClientRect();
      const inside = event.clientX >= r.left && event.clientX <= r.right && event.clientY >= r.top && event.clientY <= r.bottom;
      if (!inside) dialog.close();
    });
    dialog.addEventListener("close", () => {
      clearTimeout(detail.timer);
      detail.id = null;
      detail.job = null;
      if (location.hash.startsWith("#job=")) history.replaceState(null, "", location.pathname + location.search);
    });
    $("#detail-cancel").addEventListener("click", () => detailAction("cancel"));
    $("#detail-retry").addEventListener("click", () => detailAction("retry"));
    $("#detail-reuse").addEventListener("click", () => {
      if (!detail.job) return;
      fillForm(detail.job.parameters);
      dialog.close();
      $("#prompt").focus();
      window.scrollTo({ top: 0, behavior: "smooth" });
    });
    $("#current-open").addEventListener("click", () => { if (current) openDetail(current.id); });
    const route = () => {
      const match = /^#job=(.+)$/.exec(location.hash);
      if (match) openDetail(decodeURIComponent(match[1]));
    };
    window.addEventListener("hashchange", route);
    route();
  }

  // ---------------------------------------------------------------- start

  function start() {
    $("#banner-close").addEventListener("click", hideBanner);
    setupTokenForm();
    setupForm();
    setupGrid();
    setupDetail();
    setConnection("", "connecting…");
    refreshLoop();
    // Relative times on the cards.
    setInterval(() => {
      for (const [id, card] of cards) {
        const job = grid.jobs.get(id);
        if (job) card.querySelector(".ago").textContent = formatAgo(job.timestamps.created_at);
      }
    }, 10000);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
