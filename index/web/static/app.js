// The page works without this file; it adds: "/" focuses the search box, and search as you type
// (the server renders the page; only its results part is swapped in, so nothing is built from
// text here). Loaded from this server only: the Content-Security-Policy forbids inline script.
"use strict";

document.addEventListener("keydown", (event) => {
  const box = document.getElementById("q");
  const typing = event.target.closest && event.target.closest("input, textarea, select, [contenteditable]");
  if (event.key === "/" && box && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
    event.preventDefault();
    box.focus();
    box.select();
  }
});

(() => {
  const form = document.querySelector("form.search");
  const box = document.getElementById("q");
  if (!form || !box || !window.fetch || !window.DOMParser) return;
  let timer = null;
  let latest = 0;
  box.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      if (box.value.trim().length < 2) return;
      const params = new URLSearchParams(new FormData(form));
      const url = "/?" + params.toString();
      const ticket = ++latest;
      try {
        const response = await fetch(url, { headers: { Accept: "text/html" } });
        if (ticket !== latest || !response.ok) return;
        const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
        for (const selector of ["#total", ".layout"]) {
          const old = document.querySelector(selector);
          const next = fresh.querySelector(selector);
          if (old && next) old.replaceWith(document.adoptNode(next));
          else if (!old && next) document.querySelector("main").insertBefore(document.adoptNode(next), document.getElementById("hjelp"));
        }
        history.replaceState(null, "", url);
      } catch (_) {
        // offline or busy: the form still submits the ordinary way
      }
    }, 300);
  });
})();
