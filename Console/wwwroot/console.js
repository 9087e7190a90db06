// The console's only script: the refresh pause, the UTC/local time toggle and copy buttons. Everything works without it
// except these three (the overview then simply does not refresh).
(function () {
    "use strict";
    const timeKey = "shop-console-times";

    function showTimes(root) {
        const local = localStorage.getItem(timeKey) === "local";
        for (const time of root.querySelectorAll("time[datetime]")) {
            const at = new Date(time.getAttribute("datetime"));
            time.title = time.getAttribute("datetime");
            time.textContent = local
                ? at.toLocaleString(undefined, { hour12: false, timeZoneName: "short" })
                : at.toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC");
        }
        const toggle = document.getElementById("time-toggle");
        if (toggle) {
            toggle.textContent = local ? "Times: local" : "Times: UTC";
            toggle.setAttribute("aria-pressed", String(local));
        }
    }

    document.addEventListener("DOMContentLoaded", function () {
        showTimes(document);
        document.getElementById("time-toggle")?.addEventListener("click", function () {
            localStorage.setItem(timeKey, localStorage.getItem(timeKey) === "local" ? "utc" : "local");
            showTimes(document);
        });

        // WCAG 2.2.2: a page that refreshes itself can be paused.
        window.consolePaused = false;
        document.getElementById("pause")?.addEventListener("click", function () {
            window.consolePaused = !window.consolePaused;
            this.setAttribute("aria-pressed", String(window.consolePaused));
            this.textContent = window.consolePaused ? "Resume refresh" : "Pause refresh";
        });

        // navigator.clipboard exists only in secure contexts (https, localhost): otherwise select the id for Ctrl+C.
        document.addEventListener("click", function (event) {
            const button = event.target.closest("button.copy");
            if (!button) return;
            const text = button.getAttribute("data-copy");
            const code = button.parentElement.querySelector("code");
            if (navigator.clipboard && window.isSecureContext) {
                navigator.clipboard.writeText(text).then(() => { button.textContent = "Copied"; });
            } else if (code) {
                const range = document.createRange();
                range.selectNodeContents(code);
                const selection = window.getSelection();
                selection.removeAllRanges();
                selection.addRange(range);
                button.textContent = "Selected: Ctrl+C";
            }
        });
    });

    document.addEventListener("htmx:afterSwap", function (event) { showTimes(event.target); });
})();
