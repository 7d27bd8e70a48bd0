// Draws each explorer of the page from the Vega-Lite spec beside it (helpers/explorers/browser.py).
// book/_ext/explorers.py bundles this file with Vega, Vega-Lite and vega-embed (vl-convert), which
// provide vegaEmbed here; nothing is fetched from another host.
const PHONE = 620; // below this container width the explorer stacks its panels in one column

function fitWidth(spec, width) {
  // Concatenated views cannot fit their container on their own (Vega-Lite autosize), so each panel
  // gets the width of the explorer's box less the room its axis labels need (usermeta.axisRoom).
  const room = (spec.usermeta && spec.usermeta.axisRoom) || 120;
  for (const part of spec.vconcat || []) {
    if (part.concat) {
      part.columns = width < PHONE ? 1 : 2;
      for (const view of part.concat) view.width = Math.max(160, width / part.columns - room);
    } else if (typeof part.width === "number") {
      part.width = Math.max(150, Math.min(560, width - room));
    }
  }
}

for (const script of document.querySelectorAll("script.nqpf-explorer-spec")) {
  const target = document.getElementById(script.dataset.for);
  const spec = JSON.parse(script.textContent);
  fitWidth(spec, target.clientWidth);
  const placeholder = target.innerHTML; // shown again if the chart cannot be drawn
  target.textContent = "";
  vegaEmbed(target, spec, { renderer: "svg", actions: false })
    .then(() => {
      // The controls first, as in the Python explorers: a reader sees what to change.
      const controls = target.querySelector(".vega-bindings");
      if (controls) target.prepend(controls);
      // vega-embed labels each radio button but not their group: name it for screen readers.
      for (const radios of target.querySelectorAll(".vega-bind-radio")) {
        radios.setAttribute("role", "radiogroup");
        radios.setAttribute("aria-label", radios.previousSibling.textContent.trim());
      }
      target.dataset.ready = "true";
    })
    .catch((error) => {
      target.innerHTML = placeholder;
      target.dataset.ready = "error";
      console.error(`explorer ${script.dataset.for}:`, error);
    });
}
