// The search box in headless Chromium, each site opened from disk as a reader opens it (no
// flag that loosens what a page opened from disk may do).
//
//   node .ci/search.mjs check PRIVATE_DIR PUBLIC_DIR
//     fails unless, on the bundled site, typing finds a partner by a word of their notes with
//     the word marked, ignores case and accents, opens the first result on Enter, and the
//     public site finds the guide but nothing of a private partner's notes.
//   node .ci/search.mjs time SITE_DIR WORD...
//     prints, for each word, the time from the keystroke to the results shown (median of 15).
//
// Needs puppeteer-core where NODE_PATH points (see .ci/run), and CHROMIUM or /usr/bin/chromium.
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
const require = createRequire(import.meta.url);
const puppeteer = require("puppeteer-core");

const [mode, ...args] = process.argv.slice(2);
const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu"],
});
const failures = [];
const expect = (ok, what) => {
  if (!ok) failures.push(what);
};

async function open(dir, page = "index.html") {
  const tab = await browser.newPage();
  const errors = [];
  tab.on("pageerror", (e) => errors.push(String(e)));
  await tab.goto(pathToFileURL(join(dir, page)).href, { waitUntil: "load" });
  await tab.focus("#search-input");
  await tab.waitForFunction(() => window.advocateSearchIndex, { timeout: 10000 });
  tab.errors = errors;
  return tab;
}

// Types `words` as a reader would; returns the results shown.
async function typed(tab, words) {
  await tab.$eval("#search-input", (input) => {
    input.value = "";
  });
  await tab.type("#search-input", words);
  return tab.$$eval(".search-results li", (items) =>
    items.map((li) => ({
      href: li.querySelector("a").getAttribute("href"),
      title: li.querySelector("a").textContent,
      marked: [...li.querySelectorAll("mark")].map((m) => m.textContent),
    })),
  );
}

if (mode === "check") {
  const [privateDir, publicDir] = args;
  const tab = await open(privateDir);
  expect(!(await tab.$eval("form.search", (f) => f.hidden)), "the search box is shown");
  let found = await typed(tab, "craven");
  expect(found.some((r) => r.href === "partners/daniel-reeve.html#stage-1"), `a private note is found: ${JSON.stringify(found)}`);
  expect(found.some((r) => r.marked.some((m) => m.toLowerCase() === "craven")), "the matching word is marked");
  const status = await tab.$eval(".search-status", (p) => p.textContent);
  expect(/\d/.test(status), `the count is said: ${status}`);
  found = await typed(tab, "LEFEVRE zoe");
  expect(found.length > 0 && found[0].href.startsWith("partners/zoe-lefevre.html"), `case and accents are ignored, names first: ${JSON.stringify(found.slice(0, 2))}`);
  found = await typed(tab, "zzqqxx");
  expect(found.length === 0, "nothing is found for a word no page has");
  found = await typed(tab, "craven");
  await Promise.all([tab.waitForNavigation(), tab.keyboard.press("Enter")]);
  expect(tab.url().endsWith(found[0].href), `Enter opens the first result, ${found[0].href}: ${tab.url()}`);
  expect(tab.errors.length === 0, `no script errors: ${tab.errors}`);
  await tab.close();

  // From a page one folder down, results lead back up.
  const guide = await open(privateDir, "guide/index.html");
  found = await typed(guide, "craven");
  expect(found.length > 0 && found[0].href.startsWith("../partners/"), `results from a sub-folder: ${JSON.stringify(found[0])}`);
  await guide.close();

  const pub = await open(publicDir);
  found = await typed(pub, "exploratory");
  expect(found.some((r) => r.href.startsWith("guide/")), "the public site searches the guide");
  found = await typed(pub, "craven");
  expect(found.length === 0, `nothing of a private partner's notes on the public site: ${JSON.stringify(found)}`);
  found = await typed(pub, "using this site");
  expect(!found.some((r) => r.href.includes("10-using-this-site")), "no page for the owner alone on the public site");
  expect(pub.errors.length === 0, `no script errors: ${pub.errors}`);
  await pub.close();
  console.log(failures.length ? failures.map((f) => `search: ${f}`).join("\n") : "search works from disk on both sites");
} else if (mode === "time") {
  const [dir, ...words] = args;
  const tab = await browser.newPage();
  await tab.goto(pathToFileURL(join(dir, "index.html")).href, { waitUntil: "load" });
  const start = Date.now();
  await tab.type("#search-input", "a");
  await tab.waitForFunction(() => document.querySelector(".search-status").textContent !== "");
  console.log(`first keystroke to first results, loading the index: ${Date.now() - start} ms`);
  for (const word of words) {
    const times = await tab.evaluate((word) => {
      const input = document.querySelector("#search-input");
      const out = [];
      for (let run = 0; run < 15; run++) {
        input.value = "";
        input.dispatchEvent(new Event("input"));
        const start = performance.now();
        input.value = word;
        input.dispatchEvent(new Event("input"));
        document.querySelector(".search-results").getBoundingClientRect();
        out.push(performance.now() - start);
      }
      return out.sort((a, b) => a - b);
    }, word);
    const shown = await tab.$eval(".search-status", (p) => p.textContent);
    console.log(`${JSON.stringify(word)}: median ${times[7].toFixed(1)} ms, slowest ${times[14].toFixed(1)} ms (${shown})`);
  }
  await tab.close();
}
await browser.close();
process.exit(failures.length ? 1 : 0);
