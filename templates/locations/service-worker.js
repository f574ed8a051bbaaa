// axisfinder's service worker (scope "/"), served by the site at /sw.js with its
// configuration written in (locations/offline.py): it keeps the locator's shell, the
// last searches and every outlet page opened, and shows them when the network fails.
//
// - Pages (the locator and outlet pages): from the network, and a copy kept; with no
//   network, or none within CONFIG.network_wait_ms, the kept copy, marked as such (its
//   banner shown, with the instant the copy was made).
// - Static files: names carry a hash of their content, so a kept file is never stale:
//   from the cache first, kept as they pass.
// - Anything else (the API, other sites' map tiles) is left to the browser.
//
// The shell cache's name carries the version: a new deployment installs a new worker,
// which takes over as soon as the old one has finished with the page it was serving (on
// the next page opened, at the latest), and deletes what the old one kept that no stored
// page still needs.
"use strict";

const CONFIG = {{ config|safe }};
const SHELL = "axisfinder-shell-" + CONFIG.version;
const STATIC = "axisfinder-static";
const PAGES = "axisfinder-pages";
const STORED_BANNER = '<p class="stored-copy" role="status" hidden data-copy-taken=';
const SHOWN_BANNER = '<p class="stored-copy" role="status" data-stored-at=';
// Pages vary by the language cookie; a kept copy is the one the person was shown.
const ANY = { ignoreVary: true };

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const shell = await caches.open(SHELL);
      await shell.addAll(CONFIG.shell);
      // The shell's own scripts and styles, as its pages name them: kept now where they
      // can be (each is kept anyway the first time a page asks for it).
      for (const url of CONFIG.shell) {
        const response = await shell.match(url, ANY);
        if (response && isHTML(response)) await keepStatic(await response.text());
      }
      await self.skipWaiting();
    })()
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith("axisfinder-shell-") && name !== SHELL) await caches.delete(name);
      }
      await pruneStatic();
      await self.clients.claim();
    })()
  );
});

self.addEventListener("message", (event) => {
  if (event.data === "version" && event.source) event.source.postMessage({ version: CONFIG.version });
  if (event.data && event.data.save && event.ports[0]) event.waitUntil(save(event.data, event.ports[0]));
});

// "Save for offline": the search ``save`` (the nearest outlets) kept under its own address
// and under ``as`` (the search the person made), and the page of each outlet it lists.
// Answers on ``port`` with how many outlet pages and bytes were kept.
async function save(asked, port) {
  try {
    const list = new URL(asked.save, self.location.origin);
    const response = await fetch(list);
    if (!response.ok || !isHTML(response)) throw new Error("HTTP " + response.status);
    const html = await response.clone().text();
    let bytes = new Blob([html]).size;
    await keep(list, response.clone());
    if (asked.as) await keep(new URL(asked.as, self.location.origin), response);
    await keepStatic(html);
    const outlets = new Set(links(html).filter((url) => kind(url) === "outlet").map((url) => url.href));
    const queue = [...outlets];
    let kept = 0;
    const worker = async () => {
      while (queue.length) {
        const url = new URL(queue.shift());
        const page = await fetch(url);
        if (!page.ok || !isHTML(page)) continue;
        const text = await page.clone().text();
        bytes += new Blob([text]).size;
        await keep(url, page);
        await keepStatic(text);
        kept += 1;
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
    port.postMessage({ outlets: kept, bytes: bytes });
  } catch (error) {
    port.postMessage({ error: String(error) });
  }
}

async function keepStatic(html) {
  const files = await caches.open(STATIC);
  for (const url of staticURLs(html)) {
    if (!(await files.match(url, ANY))) await files.add(url).catch(() => {});
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && kind(url)) {
    event.respondWith(page(event, url));
  } else if (url.pathname.startsWith(CONFIG.static)) {
    event.respondWith(staticFile(request));
  }
});

// "search" for the locator (with or without a query), "outlet" for an outlet page.
function kind(url) {
  if (url.pathname === CONFIG.locator) return "search";
  const rest = url.pathname.slice(CONFIG.outlet_prefix.length);
  // An outlet's slug holds "--" (a province's or city's never does).
  if (url.pathname.startsWith(CONFIG.outlet_prefix) && /^[^/]*--[^/]*\/$/.test(rest)) {
    return "outlet";
  }
  return null;
}

function key(url) {
  return url.origin + url.pathname + url.search;
}

function isHTML(response) {
  return (response.headers.get("Content-Type") || "").startsWith("text/html");
}

// The site's own addresses a page names (src and href), as URLs.
function links(html) {
  const found = [];
  const pattern = /(?:src|href)="([^"]+)"/g;
  let match;
  while ((match = pattern.exec(html))) {
    const url = new URL(match[1].replace(/&amp;/g, "&"), self.location.origin);
    if (url.origin === self.location.origin) found.push(url);
  }
  return found;
}

function staticURLs(html) {
  return links(html).filter((url) => url.pathname.startsWith(CONFIG.static)).map((url) => url.href);
}

async function page(event, url) {
  const network = fetch(event.request);
  const stored = await storedPage(url);
  let answer;
  try {
    answer = stored
      ? await Promise.race([network, delay(CONFIG.network_wait_ms).then(() => null)])
      : await network;
  } catch (error) {
    answer = undefined;
  }
  if (answer && answer.ok && !answer.redirected && isHTML(answer)) {
    event.waitUntil(keep(url, answer.clone()));
    return answer;
  }
  // The server's own answers (a redirect, "not found") as they are; but a server in
  // trouble (5xx), no answer or a slow one: the stored copy, when there is one.
  if (answer && (answer.status < 500 || !stored)) return answer;
  if (stored) {
    // Whatever the network still brings is kept for next time.
    event.waitUntil(network.then((late) => late.ok && isHTML(late) && keep(url, late)).catch(() => {}));
    return asStoredCopy(stored);
  }
  const offline = await caches.match(CONFIG.offline, { cacheName: SHELL, ignoreVary: true });
  return offline ? asStoredCopy(offline) : Response.error();
}

async function storedPage(url) {
  const pages = await caches.open(PAGES);
  const kept = await pages.match(key(url), ANY);
  if (kept || url.pathname !== CONFIG.locator || url.search) return kept;
  return caches.match(CONFIG.locator, { cacheName: SHELL, ignoreVary: true });
}

function delay(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// Keep a page, newest last; the oldest of its kind go beyond the limits.
async function keep(url, response) {
  const pages = await caches.open(PAGES);
  const name = key(url);
  await pages.delete(name, ANY);
  await pages.put(name, response);
  const own = kind(url);
  const limit = own === "search" ? CONFIG.searches_kept : CONFIG.outlet_pages_kept;
  const same = (await pages.keys()).filter((request) => kind(new URL(request.url)) === own);
  for (const old of same.slice(0, Math.max(0, same.length - limit))) await pages.delete(old, ANY);
}

// The stored page with its banner shown: the only change made to it.
async function asStoredCopy(response) {
  const html = (await response.text()).replace(STORED_BANNER, SHOWN_BANNER);
  const headers = new Headers(response.headers);
  headers.delete("Content-Length");
  headers.delete("Content-Encoding");
  headers.set("X-Stored-Copy", "1");
  return new Response(html, { status: 200, statusText: "OK", headers: headers });
}

async function staticFile(request) {
  const files = await caches.open(STATIC);
  const kept = await files.match(request, ANY);
  if (kept) return kept;
  const response = await fetch(request);
  if (response.ok) await files.put(request, response.clone());
  return response;
}

// Static files that neither the shell nor any stored page names any more.
async function pruneStatic() {
  const needed = new Set();
  for (const name of [SHELL, PAGES]) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      const response = await cache.match(request, ANY);
      if (response && isHTML(response)) staticURLs(await response.text()).forEach((u) => needed.add(u));
    }
  }
  const files = await caches.open(STATIC);
  for (const request of await files.keys()) {
    if (!needed.has(request.url)) await files.delete(request, ANY);
  }
}
