// Drag-and-drop onto each upload zone; without JavaScript the file picker and button work alone.
(function () {
  document.querySelectorAll("[data-zona-subida]").forEach(function (zona) {
    var input = zona.querySelector("input[type=file]");
    var form = zona.closest("form");
    ["dragenter", "dragover"].forEach(function (ev) {
      zona.addEventListener(ev, function (e) { e.preventDefault(); zona.classList.add("encima"); });
    });
    ["dragleave", "drop"].forEach(function (ev) {
      zona.addEventListener(ev, function (e) { e.preventDefault(); zona.classList.remove("encima"); });
    });
    zona.addEventListener("drop", function (e) {
      if (!e.dataTransfer || !e.dataTransfer.files.length) return;
      input.files = e.dataTransfer.files;
      form.submit();
    });
    form.addEventListener("submit", function () {
      var boton = form.querySelector("button[type=submit]");
      if (boton) { boton.disabled = true; boton.textContent = zona.getAttribute("data-ocupado") || "Revisando el libro…"; }
    });
  });
})();
