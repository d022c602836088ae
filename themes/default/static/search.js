// The search box: shown only where this script runs, since every page reads without it.
// On first use it loads the site's search-index.js (a script, because a browser refuses to
// fetch a file beside a page opened from disk), then shows, as you type, the sections whose
// title or text holds every word typed (any part of a word, accents and case ignored), with
// the words around the first match and each match marked. Enter opens the first result.
// Every word it shows comes from the page: the form's data-* attributes, from the theme's
// strings, and the index, from the site.
(function () {
  "use strict";
  var form = document.querySelector("form.search");
  if (!form) return;
  var input = form.querySelector("input[type=search]");
  var status = form.querySelector(".search-status");
  var list = form.querySelector(".search-results");
  var root = form.getAttribute("data-root") || "";
  var plurals = window.Intl && Intl.PluralRules ? new Intl.PluralRules(document.documentElement.lang || "en") : null;
  var MAX_SHOWN = 20;
  var CONTEXT = 70;
  var entries = null;
  var loading = false;
  form.hidden = false;

  // Lower case, accents left off, one UTF-16 unit for one, so that a match found in the folded
  // text is at the same place in the text shown.
  var foldCache = Object.create(null);
  function foldChar(c) {
    var f = foldCache[c];
    if (f === undefined) {
      f = c.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
      if (f.length !== c.length) f = c.toLowerCase().length === c.length ? c.toLowerCase() : c;
      foldCache[c] = f;
    }
    return f;
  }
  function fold(text) {
    var lower = text.toLowerCase();
    if (lower.length === text.length) return lower.replace(/[^\x00-\x7f]/g, foldChar);
    var out = [];
    for (var i = 0; i < text.length; i++) out.push(foldChar(text[i]));
    return out.join("");
  }

  function load() {
    if (entries || loading) return;
    loading = true;
    var script = document.createElement("script");
    script.src = root + "search-index.js";
    script.onload = function () {
      entries = (window.advocateSearchIndex || []).map(function (e) {
        return { page: e.p, section: e.s, href: e.u, text: e.t, heading: fold(e.p + " " + e.s), folded: fold(e.t) };
      });
      search();
    };
    script.onerror = function () {
      loading = false;
      say(form.getAttribute("data-unavailable"));
    };
    document.head.appendChild(script);
  }

  function say(text) {
    status.textContent = text || "";
  }

  function counted(count) {
    var category = plurals ? plurals.select(count) : count === 1 ? "one" : "other";
    var text = form.getAttribute("data-found-" + category) || form.getAttribute("data-found-other");
    return text.replace("{found}", count.toLocaleString(document.documentElement.lang || undefined));
  }

  function search() {
    if (!entries) return;
    var words = fold(input.value).split(/\s+/).filter(Boolean);
    list.textContent = "";
    if (!words.length) {
      say("");
      return;
    }
    var found = [];
    for (var i = 0; i < entries.length; i++) {
      var e = entries[i];
      var score = 0;
      for (var w = 0; w < words.length; w++) {
        var inHeading = e.heading.indexOf(words[w]) >= 0;
        var at = e.folded.indexOf(words[w]);
        if (!inHeading && at < 0) {
          score = -1;
          break;
        }
        score += (inHeading ? 10 : 0) + (at >= 0 ? 1 : 0);
      }
      if (score >= 0) found.push({ entry: e, score: score, order: i });
    }
    found.sort(function (a, b) {
      return b.score - a.score || a.order - b.order;
    });
    say(counted(found.length));
    var fragment = document.createDocumentFragment();
    found.slice(0, MAX_SHOWN).forEach(function (f) {
      fragment.appendChild(result(f.entry, words));
    });
    list.appendChild(fragment);
  }

  function result(entry, words) {
    var item = document.createElement("li");
    var link = document.createElement("a");
    link.href = root + entry.href;
    marked(link, entry.page + (entry.section ? " › " + entry.section : ""), fold(entry.page + (entry.section ? " › " + entry.section : "")), words);
    item.appendChild(link);
    var snippet = around(entry, words);
    if (snippet) {
      var p = document.createElement("p");
      marked(p, snippet.text, snippet.folded, words);
      item.appendChild(p);
    }
    return item;
  }

  // The words around the first match in the section's text.
  function around(entry, words) {
    var first = -1;
    for (var w = 0; w < words.length; w++) {
      var at = entry.folded.indexOf(words[w]);
      if (at >= 0 && (first < 0 || at < first)) first = at;
    }
    if (first < 0) {
      if (!entry.text) return null;
      first = 0;
    }
    var start = Math.max(0, first - CONTEXT);
    var end = Math.min(entry.text.length, first + CONTEXT * 2);
    if (start > 0) start = entry.text.indexOf(" ", start) + 1 || start;
    if (end < entry.text.length) end = entry.text.lastIndexOf(" ", end) > first ? entry.text.lastIndexOf(" ", end) : end;
    var ellipsis = form.getAttribute("data-ellipsis") || "…";
    var text = entry.text.slice(start, end);
    var folded = entry.folded.slice(start, end);
    if (start > 0) {
      text = ellipsis + text;
      folded = ellipsis + folded;
    }
    if (end < entry.text.length) {
      text += ellipsis;
      folded += ellipsis;
    }
    return { text: text, folded: folded };
  }

  // `text` into `element`, each match of `words` (found in `folded`) in a <mark>.
  function marked(element, text, folded, words) {
    var marks = [];
    words.forEach(function (word) {
      var at = folded.indexOf(word);
      while (at >= 0) {
        marks.push([at, at + word.length]);
        at = folded.indexOf(word, at + word.length);
      }
    });
    marks.sort(function (a, b) {
      return a[0] - b[0];
    });
    var position = 0;
    marks.forEach(function (m) {
      if (m[0] < position) return;
      element.appendChild(document.createTextNode(text.slice(position, m[0])));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(m[0], m[1]);
      element.appendChild(mark);
      position = m[1];
    });
    element.appendChild(document.createTextNode(text.slice(position)));
  }

  input.addEventListener("focus", load);
  input.addEventListener("input", function () {
    if (entries) search();
    else load();
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var first = list.querySelector("a");
    if (first) window.location.href = first.href;
  });
})();
