// The data appendix's long-text tables become lists on a phone (page_hygiene.css): each
// cell is labelled with its column's name, and empty cells ("–") are left out there.
// Added by book/_ext/site_fixes.py.
document.addEventListener("DOMContentLoaded", () => {
  const tables = document.querySelectorAll("section#data-and-sources div.cell_output table");
  tables.forEach((table) => {
    const heads = [...table.querySelectorAll("thead tr:last-child th")].map(
      (th) => th.textContent.trim());
    table.classList.add("nqpf-stacks");
    table.querySelectorAll("tbody tr").forEach((row) => {
      [...row.children].forEach((cell, k) => {
        if (heads[k]) cell.dataset.label = heads[k];
        if (["", "–", "-", "nan"].includes(cell.textContent.trim())) {
          cell.classList.add("nqpf-empty");
        }
      });
    });
  });
});
