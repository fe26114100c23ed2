// Streamlit's own English in the browser, in the officer's language (app_pages/i18n.py sets
// window.kpWords on every run): screen-reader labels of help icons, upload buttons and date
// fields, and the sizes of uploaded files. One observer per page; it only writes what differs,
// so its own changes do not wake it again.
(function () {
  const SIZE = /^(\d+(?:\.\d+)?)\s*(B|KB|MB|GB)$/;
  const UNITS = { B: "byte", KB: "kilobyte", MB: "megabyte", GB: "gigabyte" };
  const FIELDS = ["year", "month", "day", "hour", "minute"];

  function set(el, attr, value) {
    if (value && el.getAttribute(attr) !== value) el.setAttribute(attr, value);
  }

  function size(text, w) {
    const m = SIZE.exec(text.trim());
    if (!m) return null;
    return new Intl.NumberFormat(w.locale, { style: "unit", unit: UNITS[m[2]], unitDisplay: "short",
      maximumFractionDigits: 1 }).format(Number(m[1]));
  }

  function relabel(root) {
    const w = window.kpWords;
    if (!w) return;
    root.querySelectorAll('[data-testid="stFileUploaderDropzone"] button').forEach((b) => {
      const remove = b.closest('[data-testid="stFileChipDeleteBtn"]');
      set(b, "aria-label", remove ? w.remove_file : w.upload_button);
    });
    root.querySelectorAll('[data-testid="stFileUploaderDropzoneInput"]').forEach((i) => set(i, "aria-label", w.upload_button));
    root.querySelectorAll('[data-testid="stFileChip"]').forEach((chip) => {
      // "atvidaberg.csv, 113.6KB": the size as the officer's language writes it
      const label = chip.getAttribute("aria-label") || "";
      const cut = label.lastIndexOf(", ");
      const shown = cut > 0 ? size(label.slice(cut + 2), w) : null;
      if (shown) set(chip, "aria-label", label.slice(0, cut + 2) + shown);
    });
    root.querySelectorAll("[aria-label]").forEach((el) => {
      const label = el.getAttribute("aria-label");
      if (label === "Help") set(el, "aria-label", w.help);
      else if (label.startsWith("Help for ")) set(el, "aria-label", w.help_for.replace("{label}", label.slice(9)));
      else {
        for (const f of FIELDS) {
          if (label.startsWith(f + ", ") || label === f) set(el, "aria-label", w[f] + label.slice(f.length));
        }
      }
    });
    root.querySelectorAll('[data-testid="stFileUploader"] div, [data-testid="stFileUploader"] small, [data-testid="stFileUploader"] span').forEach((el) => {
      if (el.children.length) return;
      const shown = size(el.textContent || "", w);
      if (shown && el.textContent !== shown) el.textContent = shown;
    });
  }

  function announce() {
    // The running indicator (app.css draws it) for screen readers: a polite live region.
    const w = window.kpWords;
    const app = document.querySelector('[data-testid="stApp"]');
    if (!w || !app) return;
    let live = document.getElementById("kp-live");
    if (!live) {
      live = document.createElement("div");
      live.id = "kp-live"; live.className = "kp-live";
      live.setAttribute("role", "status"); live.setAttribute("aria-live", "polite");
      document.body.appendChild(live);
    }
    const text = app.getAttribute("data-test-script-state") === "running" ? w.running : "";
    if (live.textContent !== text) live.textContent = text;
  }

  window.kpRelabel = (root) => { relabel(root); announce(); };
  window.kpRelabel(document);
  if (window.kpObserver) return;
  let pending = false;
  window.kpObserver = new MutationObserver(() => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => { pending = false; window.kpRelabel(document); });
  });
  window.kpObserver.observe(document.body, { subtree: true, childList: true, attributes: true,
    attributeFilter: ["aria-label", "data-test-script-state"], characterData: true });
})();
