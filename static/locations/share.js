// Sharing without data: an outlet page's "Share" (the phone's share sheet where the
// browser has Web Share, a copy to the clipboard otherwise), and each result's "Copy as
// text", for a text message. Without script the buttons stay hidden.
(function () {
  "use strict";

  function copy(text, status, message) {
    var done = function () { if (status) status.textContent = message; };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(done, function () { fallback(text); done(); });
    } else {
      fallback(text);
      done();
    }
  }

  // Without the asynchronous clipboard (an older browser, a page not served securely).
  function fallback(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    try { document.execCommand("copy"); } catch (error) { /* nothing more to try */ }
    document.body.removeChild(area);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var share = document.querySelector("[data-share]");
    if (share) {
      var status = share.querySelector("[role=status]");
      share.hidden = false;
      share.querySelector("button").addEventListener("click", function () {
        var data = { title: share.dataset.title, text: share.dataset.text, url: share.dataset.url };
        if (navigator.share && (!navigator.canShare || navigator.canShare(data))) {
          navigator.share(data).catch(function () { /* dismissed */ });
        } else {
          copy(data.text + "\n" + data.url, status, share.dataset.copied);
        }
      });
    }

    var copied = document.querySelector("[data-copied-result]");
    Array.prototype.forEach.call(document.querySelectorAll("li.result"), function (item) {
      var button = item.querySelector(".copy-result");
      if (!button) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        copy(resultText(item), copied, copied ? copied.dataset.copiedResult : "");
      });
    });
  });

  // A result as a text message: name, status, today's hours, address, phone, and the
  // outlet's page and directions as links.
  function resultText(item) {
    var text = function (selector) {
      var element = item.querySelector(selector);
      return element ? element.textContent.replace(/\s+/g, " ").trim() : "";
    };
    var page = item.querySelector("h2 a");
    var directions = item.querySelector('a.directions[data-provider="google"]');
    return [
      text("h2"),
      [text(".status"), text(".today")].filter(Boolean).join(" · "),
      text(".where"),
      text(".phone"),
      page ? page.href : "",
      directions ? directions.href : "",
    ].filter(Boolean).join("\n");
  }
})();
