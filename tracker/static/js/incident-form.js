// The incident form without page reloads: add and remove item rows, preselect the product's
// unit, and open the seizure details for the trade category. Without JavaScript the same
// buttons re-render the form on the server, and the seizure details open by a click.
(function () {
  "use strict";
  var form = document.querySelector("[data-incident-form]");
  if (!form) return;
  var list = form.querySelector("[data-item-list]");

  function renumber() {
    list.querySelectorAll("[data-item-row]").forEach(function (row, index) {
      row.querySelectorAll("[name], [id], label[for]").forEach(function (el) {
        ["name", "id", "for"].forEach(function (attr) {
          var value = el.getAttribute(attr);
          if (value) el.setAttribute(attr, value.replace(/^items-\d+-/, "items-" + index + "-"));
        });
        if (el.matches("[data-remove-item]")) el.value = String(index);
      });
      row.querySelector("[data-item-number]").textContent = String(index + 1);
      var remove = row.querySelector("[data-remove-item]");
      if (remove) remove.hidden = list.children.length === 1;
    });
  }

  function presetUnit(select) {
    var option = select.selectedOptions[0];
    var unit = select.closest("[data-item-row]").querySelector("select[id$='-unit']");
    if (option && option.dataset.unit && unit) unit.value = option.dataset.unit;
  }

  form.addEventListener("click", function (event) {
    var add = event.target.closest("[data-add-item]");
    var remove = event.target.closest("[data-remove-item]");
    if (add) {
      var rows = list.querySelectorAll("[data-item-row]");
      if (rows.length >= Number(list.dataset.maxItems)) return;  // the server explains the limit
      event.preventDefault();
      var copy = rows[rows.length - 1].cloneNode(true);
      copy.querySelectorAll("input").forEach(function (input) { input.value = ""; });
      copy.querySelectorAll("select").forEach(function (select) { select.selectedIndex = 0; });
      copy.querySelectorAll(".field-error").forEach(function (el) { el.remove(); });
      copy.querySelectorAll("[aria-invalid]").forEach(function (el) { el.removeAttribute("aria-invalid"); });
      list.appendChild(copy);
      renumber();
      copy.querySelector("select").focus();
    } else if (remove && list.children.length > 1) {
      event.preventDefault();
      remove.closest("[data-item-row]").remove();
      renumber();
    }
  });

  form.addEventListener("change", function (event) {
    if (event.target.matches("select[id$='-product']")) presetUnit(event.target);
    if (event.target.id === "category") followCategory();
  });

  // The seizure section (a <details>) opens when the trade category is chosen, and closes again
  // when another one is, unless something was typed into it or the user opened it.
  var seizure = form.querySelector("[data-seizure-section]");
  var openedForCategory = false;

  function followCategory() {
    if (!seizure) return;
    var chosen = form.querySelector("#category").value === seizure.getAttribute("data-open-for-category");
    var typed = Array.prototype.some.call(seizure.querySelectorAll("input"), function (i) { return i.value; });
    if (chosen && !seizure.open) {
      seizure.open = true;
      openedForCategory = true;
    } else if (!chosen && openedForCategory && !typed) {
      seizure.open = false;
      openedForCategory = false;
    }
  }

  renumber();
})();
