/*
 * Tafel page behaviour. The strict Content-Security-Policy allows no inline script, so everything the pages
 * do in the browser lives here. Every page also works without it: forms post normally, every field is shown.
 */
(function () {
  "use strict";

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) {
      return decodeURIComponent(match[1]);
    }
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  // htmx requests carry Django's CSRF token in a header.
  document.addEventListener("htmx:configRequest", function (event) {
    event.detail.headers["X-CSRFToken"] = csrfToken();
  });

  // --- the menu on a phone (issue 12, item 8) -------------------------------------------------------------
  // The button folds the header's tools and the main menu away on narrow screens; CSS hides the button (and
  // ignores the folding) on wide ones. Escape closes the open menu and returns focus to the button.

  function setupMenu() {
    var button = document.querySelector("[data-menu-button]");
    if (!button) {
      return;
    }
    var header = button.closest(".tafel-header");
    var parts = (button.getAttribute("aria-controls") || "").split(" ").map(function (id) {
      return document.getElementById(id);
    }).filter(Boolean);
    function setOpen(open) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
      parts.forEach(function (part) {
        if (open) {
          part.removeAttribute("data-collapsed");
        } else {
          part.setAttribute("data-collapsed", "");
        }
      });
    }
    header.classList.add("tafel-header--menu");
    button.hidden = false;
    setOpen(false);
    button.addEventListener("click", function () {
      setOpen(button.getAttribute("aria-expanded") !== "true");
    });
    header.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
        setOpen(false);
        button.focus();
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setupMenu);
  } else {
    setupMenu();
  }

  // --- error summary ------------------------------------------------------------------------------------

  function focusErrorSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
    }
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-error-summary] a[href^='#']");
    if (!link) {
      return;
    }
    var target = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
    if (!target) {
      return;
    }
    event.preventDefault();
    var details = target.closest("details");
    if (details) {
      details.open = true;
    }
    var field = target.closest(".tafel-field") || target;
    field.scrollIntoView({ block: "start" });
    target.focus({ preventScroll: true });
  });

  // --- fields shown only for some answers (data-show-when="name=value1,value2") ---------------------------

  function currentValues(form, name) {
    var values = [];
    form.querySelectorAll('[name="' + name + '"]').forEach(function (control) {
      if (control.type === "radio" || control.type === "checkbox") {
        if (control.checked) {
          values.push(control.value);
        }
      } else {
        values.push(control.value);
      }
    });
    return values;
  }

  function applyShowWhen(root) {
    root.querySelectorAll("[data-show-when]").forEach(function (el) {
      var form = el.closest("form");
      if (!form) {
        return;
      }
      var rule = el.getAttribute("data-show-when").split("=");
      var allowed = rule[1].split(",");
      var show =
        currentValues(form, rule[0]).some(function (value) {
          return allowed.indexOf(value) !== -1;
        }) ||
        el.classList.contains("tafel-field--invalid") ||
        el.querySelector(".tafel-field--invalid") !== null;
      el.hidden = !show;
      // A hidden answer is not sent: it cannot contradict the visible ones.
      el.querySelectorAll("input, select, textarea").forEach(function (control) {
        control.disabled = !show;
      });
    });
  }

  document.addEventListener("change", function (event) {
    if (event.target.form) {
      applyShowWhen(event.target.form);
    }
  });

  // --- persons on the aanmeldformulier -----------------------------------------------------------------

  function announce(text) {
    var region = document.querySelector("[data-person-announcer]");
    if (region) {
      region.textContent = text;
    }
  }

  function renumberPersons() {
    document.querySelectorAll("[data-person-forms] [data-person-number]").forEach(function (el, index) {
      el.textContent = String(index + 1);
    });
  }

  function addPerson() {
    var total = document.getElementById("id_form-TOTAL_FORMS");
    var template = document.getElementById("person-form-template");
    var container = document.querySelector("[data-person-forms]");
    if (!total || !template || !container) {
      return;
    }
    var index = parseInt(total.value, 10);
    var holder = document.createElement("div");
    holder.innerHTML = template.innerHTML.replace(/__prefix__/g, String(index)).replace(/__num__/g, "");
    var node = holder.firstElementChild;
    container.appendChild(node);
    total.value = String(index + 1);
    renumberPersons();
    if (window.htmx) {
      window.htmx.process(node);
    }
    var first = node.querySelector("select, input:not([type=hidden])");
    if (first) {
      first.focus();
    }
    announce(node.querySelector("legend").textContent.trim() + " " + (node.getAttribute("data-added-text") || ""));
  }

  function removePerson(button) {
    var node = button.closest("[data-person-form]");
    if (!node) {
      return;
    }
    var legend = node.querySelector("legend").textContent.trim();
    // Its inputs leave the form; Django treats the missing block as an empty, ignored one.
    node.remove();
    if (!document.querySelector("[data-person-forms] [data-person-form]")) {
      addPerson();
    }
    renumberPersons();
    var add = document.querySelector("[data-add-person]");
    if (add) {
      add.focus();
    }
    announce(legend + " " + (button.getAttribute("data-removed-text") || ""));
  }

  function setHidden(prefix, name, value) {
    var input = document.getElementById("id_" + prefix + "-" + name);
    if (input) {
      input.value = value;
    }
  }

  function markChoice(region, chosenButton) {
    region.querySelectorAll("[data-link-person]").forEach(function (button) {
      var chosen = button === chosenButton;
      button.setAttribute("aria-pressed", chosen ? "true" : "false");
      var item = button.closest("[data-candidate]");
      if (item) {
        item.classList.toggle("tafel-candidate--chosen", chosen);
      }
    });
    var unlink = region.querySelector("[data-unlink-person]");
    if (unlink) {
      unlink.setAttribute("aria-pressed", chosenButton ? "false" : "true");
    }
    var status = region.querySelector("[data-link-status]");
    if (status) {
      if (chosenButton) {
        var item = chosenButton.closest("[data-candidate]");
        var name = item ? item.querySelector(".tafel-candidate__name").textContent.trim() : "";
        status.textContent = status.getAttribute("data-linked-text") + " " + name + ".";
      } else {
        status.textContent = status.getAttribute("data-new-text");
      }
    }
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-link-person]");
    if (link) {
      var prefix = link.getAttribute("data-prefix");
      setHidden(prefix, "existing_person_id", link.getAttribute("data-link-person"));
      setHidden(prefix, "match_score", link.getAttribute("data-score"));
      markChoice(link.closest("[data-matches-for]"), link);
      return;
    }
    var unlink = event.target.closest("[data-unlink-person]");
    if (unlink) {
      var unlinkPrefix = unlink.getAttribute("data-prefix");
      setHidden(unlinkPrefix, "existing_person_id", "");
      setHidden(unlinkPrefix, "match_score", "");
      markChoice(unlink.closest("[data-matches-for]"), null);
      return;
    }
    if (event.target.closest("[data-add-person]")) {
      addPerson();
      return;
    }
    var remove = event.target.closest("[data-remove-person]");
    if (remove) {
      removePerson(remove);
    }
  });

  // A screening result can arrive after the user already linked someone (leaving a field fires "change"
  // while they click): show the choice that is in the form, not the one the request was sent with.
  document.addEventListener("htmx:afterSwap", function (event) {
    var region = event.detail.target;
    if (!region || !region.hasAttribute("data-matches-for")) {
      return;
    }
    var input = document.getElementById("id_" + region.getAttribute("data-matches-for") + "-existing_person_id");
    var chosen = input && input.value ? region.querySelector('[data-link-person="' + input.value + '"]') : null;
    if (chosen || (input && !input.value)) {
      markChoice(region, chosen);
    }
  });

  // After a refused submit the typed persons are back; look them up again so the screening result shows.
  function rescreen() {
    if (!window.htmx) {
      return;
    }
    document.querySelectorAll("[data-match-group]").forEach(function (group) {
      var filled = Array.prototype.some.call(group.querySelectorAll("input"), function (input) {
        return input.value.trim() !== "";
      });
      if (filled) {
        window.htmx.trigger(group, "change");
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    applyShowWhen(document);
    focusErrorSummary();
    // htmx binds its triggers on DOMContentLoaded too; let it finish first.
    window.setTimeout(rescreen, 0);
  });
})();
