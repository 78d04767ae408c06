/* Meeting pages. The strict CSP allows no inline script; every page also works without this file. */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) {
      window.print();
    }
  });

  // --- the conversation guide: nothing typed is lost (issue 12) -------------------------------------------
  // Each part of the guide is its own form. While the chair types, the part is kept as a draft on the server
  // (a second after the last keystroke, and when the page is left), so a reload, a scale score or a closed
  // tab loses nothing. A save or a scale score first waits for the drafts that are still on their way.

  var DELAY = 800;
  var timers = new Map();
  var inFlight = new Map();
  var chain = Promise.resolve();

  function draftUrl() {
    var root = document.getElementById("gespreksverslag");
    return root ? root.getAttribute("data-draft-url") : null;
  }

  function sendDraft(form) {
    var url = draftUrl();
    if (!url || !form.isConnected) {
      return Promise.resolve();
    }
    clearTimeout(timers.get(form));
    timers.delete(form);
    // One draft request at a time for the whole page: the drafts of several parts never race each other.
    var next = chain.then(function () {
      return fetch(url, { method: "POST", body: new FormData(form), credentials: "same-origin" }).catch(
        function () {}
      );
    });
    chain = next;
    inFlight.set(form, next);
    next.then(function () {
      if (inFlight.get(form) === next) {
        inFlight.delete(form);
      }
    });
    return next;
  }

  function pending() {
    var waits = [];
    timers.forEach(function (_, form) {
      waits.push(sendDraft(form));
    });
    inFlight.forEach(function (promise) {
      waits.push(promise);
    });
    return Promise.all(waits);
  }

  document.addEventListener("input", function (event) {
    var form = event.target.closest("form[data-guide-part]");
    if (!form || !draftUrl()) {
      return;
    }
    clearTimeout(timers.get(form));
    timers.set(
      form,
      setTimeout(function () {
        sendDraft(form);
      }, DELAY)
    );
  });
  document.addEventListener("change", function (event) {
    var form = event.target.closest("form[data-guide-part]");
    if (form && draftUrl() && event.target.type !== "text" && event.target.tagName !== "TEXTAREA") {
      sendDraft(form);
    }
  });

  // Before any request from the guide page (a part saved, a scale score), the drafts are stored first; a part
  // being saved drops its own pending draft, which the save replaces.
  document.addEventListener("htmx:confirm", function (event) {
    if (!draftUrl()) {
      return;
    }
    var form = event.detail.elt.closest("form");
    if (form && form.hasAttribute("data-guide-part")) {
      clearTimeout(timers.get(form));
      timers.delete(form);
    }
    if (timers.size === 0 && inFlight.size === 0) {
      return;
    }
    event.preventDefault();
    pending().then(function () {
      event.detail.issueRequest();
    });
  });

  // A conflict (409) or a refused part (422) comes back as the part with the typed text and the message.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if ((status === 409 || status === 422) && draftUrl()) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  function flushOnLeave() {
    var url = draftUrl();
    if (!url || !navigator.sendBeacon) {
      return;
    }
    timers.forEach(function (timer, form) {
      clearTimeout(timer);
      navigator.sendBeacon(url, new FormData(form));
    });
    timers.clear();
  }
  window.addEventListener("pagehide", flushOnLeave);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") {
      flushOnLeave();
    }
  });
})();
