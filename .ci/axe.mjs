// Runs axe-core (rules tagged wcag2a, wcag2aa and best-practice) in headless Chromium on
// every HTML file under the folders given, opened from disk as a reader opens the private
// site, then its colour contrast again in the dark scheme (`prefers-color-scheme: dark`);
// prints each violation and exits 1 if there is any. Needs puppeteer-core and
// axe-core installed where NODE_PATH points (see .ci/run), and CHROMIUM or /usr/bin/chromium.
import { readdirSync, statSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { createRequire } from "node:module";
const require = createRequire(import.meta.url);
const puppeteer = require("puppeteer-core");
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const pages = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (name.endsWith(".html")) pages.push(resolve(path));
  }
};
process.argv.slice(2).forEach(walk);
const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--allow-file-access-from-files"],
});
let total = 0;
const counts = {};
for (const file of pages) {
  const page = await browser.newPage();
  await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async () =>
    await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "best-practice"] } }));
  await page.emulateMediaFeatures([{ name: "prefers-color-scheme", value: "dark" }]);
  const dark = await page.evaluate(async () =>
    await axe.run(document, { runOnly: { type: "rule", values: ["color-contrast"] } }));
  const found = [
    ...result.violations.map((v) => [v, v.id]),
    ...dark.violations.map((v) => [v, `${v.id} (dark scheme)`]),
  ];
  for (const [v, id] of found) {
    total += v.nodes.length;
    counts[id] = (counts[id] || 0) + v.nodes.length;
    console.log(`${file}: ${id} (${v.impact}) ×${v.nodes.length}: ${v.help}; first: ${v.nodes[0].target.join(" ")}`);
  }
  await page.close();
}
await browser.close();
console.log(`axe: ${pages.length} pages, ${total} violations`, JSON.stringify(counts));
process.exit(total ? 1 : 0);
