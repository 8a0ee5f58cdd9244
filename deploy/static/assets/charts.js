// Draws every chart of a static page from the JSON beside it (no inline script: the page's CSP forbids it).
// Printing: charts are redrawn at the width of an A4 page's text block, and back again afterwards.
(function () {
  "use strict";
  var PRINT_WIDTH = 680;    // px: A4 (210 mm) less 15 mm margins each side, at 96 px per inch
  var PRINT_HEIGHT = 900;   // px: no chart taller than an A4 page's text block
  var printing = window.matchMedia ? window.matchMedia("print") : null;

  function sized(layout, print) {
    var out = Object.assign({}, layout);
    if (print) {
      out.width = PRINT_WIDTH;
      out.height = Math.min(layout.height || 400, PRINT_HEIGHT);
      out.autosize = false;
    }
    return out;
  }

  function draw(el) {
    var source = document.getElementById(el.getAttribute("data-chart"));
    if (!source) return;
    var payload = JSON.parse(source.textContent);
    el._layout = payload.figure.layout;
    el._config = payload.config;
    el._print = Boolean(printing && printing.matches);
    Plotly.newPlot(el, payload.figure.data, sized(el._layout, el._print), payload.config);
  }

  function redraw(print) {
    document.querySelectorAll(".plot[data-chart]").forEach(function (el) {
      if (!el._layout || el._print === print) return;
      el._print = print;
      Plotly.react(el, el.data, sized(el._layout, print), el._config);
    });
  }

  function start() {
    document.querySelectorAll(".plot[data-chart]").forEach(draw);
    if (printing && printing.addEventListener) {
      printing.addEventListener("change", function (event) { redraw(event.matches); });
    }
    window.addEventListener("beforeprint", function () { redraw(true); });
    window.addEventListener("afterprint", function () { redraw(false); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
