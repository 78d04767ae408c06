// BRP lookup on the aanmeldformulier (issue 15 item 5): "Gegevens uit de BRP overnemen" fills one person
// block with the values the server put on the button, then lets the screening look the person up again.
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-brp-fill]");
    if (!button) {
      return;
    }
    var prefix = button.getAttribute("data-prefix");
    var values = JSON.parse(button.getAttribute("data-brp-fill"));
    Object.keys(values).forEach(function (name) {
      var fieldName = prefix + "-" + name;
      var radios = document.querySelectorAll('input[type="radio"][name="' + fieldName + '"]');
      if (radios.length) {
        radios.forEach(function (radio) {
          radio.checked = radio.value === values[name];
        });
        return;
      }
      var input = document.querySelector('[name="' + fieldName + '"]');
      if (input) {
        input.value = values[name];
      }
    });
    var block = button.closest("[data-person-form]");
    var group = block ? block.querySelector("[data-match-group]") : null;
    if (group && window.htmx) {
      window.htmx.trigger(group, "change");
    }
    var status = document.getElementById("brp-status-" + prefix);
    if (status) {
      status.textContent = button.getAttribute("data-filled-text");
    }
  });
})();
