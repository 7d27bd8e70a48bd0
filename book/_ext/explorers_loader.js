// Draws each explorer of the page from the Vega-Lite spec beside it (helpers/explorers/browser.py).
// book/_ext/explorers.py bundles this file with Vega, Vega-Lite and vega-embed (vl-convert), which
// provide vegaEmbed here; nothing is fetched from another host.
const PHONE = 620; // below this container width the explorer stacks its panels in one column

function fitWidth(spec, width) {
  // Concatenated views cannot fit their container on their own (Vega-Lite autosize), so each panel
  // gets the width of the explorer's box less room for its axis labels.
  for (const part of spec.vconcat || []) {
    if (part.concat) {
      part.columns = width < PHONE ? 1 : 2;
      for (const view of part.concat) view.width = Math.max(220, width / part.columns - 90);
    } else if (typeof part.width === "number") {
      part.width = Math.max(220, Math.min(560, width - 170));
    }
  }
}

for (const script of document.querySelectorAll("script.nqpf-explorer-spec")) {
  const target = document.getElementById(script.dataset.for);
  const spec = JSON.parse(script.textContent);
  fitWidth(spec, target.clientWidth);
  vegaEmbed(target, spec, { renderer: "svg", actions: false })
    .then(() => { target.dataset.ready = "true"; })
    .catch((error) => {
      target.dataset.ready = "error";
      console.error(`explorer ${script.dataset.for}:`, error);
    });
}
