/* qunce page: a form built from the plan schema (titles, descriptions and x-enum-labels in the
   page's language). Own code, no library: the schema uses objects, arrays, enums, strings,
   numbers, booleans, $ref and one anyOf (text or list), which is all this handles. */
"use strict";

const QForm = (() => {
  const SECTIONS = ["community", "positioning", "structure", "output", "operations", "replication",
                    "sessions", "campaigns", "observed"];

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === "class") node.className = v;
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? "" : v);
    }
    for (const c of children.flat()) if (c !== null && c !== undefined) node.append(c);
    return node;
  }

  function dotted(path) {
    return path.map((p, i) => typeof p === "number" ? `[${p}]` : (i ? "." : "") + p).join("");
  }

  class Form {
    /* schema: the localized plan schema; ui: the page's words; onEdit(key, value): a top-level
       section changed (the caller sends it); data is edited in place. */
    constructor(root, schema, ui, onEdit) {
      Object.assign(this, {root, schema, ui, onEdit});
      this.data = {};
    }

    resolve(node) { /* a $ref keeps the referring property's own title and description */
      let out = node || {};
      while (out.$ref) {
        const target = this.schema.$defs[out.$ref.split("/").pop()] || {};
        const own = {};
        for (const k of ["title", "description"]) if (out[k]) own[k] = out[k];
        out = Object.assign({}, target, own);
      }
      return out;
    }

    render(data) {
      this.data = data && typeof data === "object" ? data : {};
      const open = new Set([...this.root.querySelectorAll("details[open]")].map(d => d.dataset.path));
      const first = !this.root.childElementCount;
      this.root.replaceChildren(...SECTIONS.filter(k => this.schema.properties[k]).map(key => {
        const node = this.resolve(this.schema.properties[key]);
        const d = el("details", {"data-path": key, class: "section", open: first || open.has(key)},
                     el("summary", {}, node.title || key));
        d.append(this.field(node, this.data[key], [key], true));
        return d;
      }));
    }

    get(path) {
      return path.reduce((v, k) => (v === undefined || v === null ? undefined : v[k]), this.data);
    }

    set(path, value) {
      let parent = this.data;
      for (let i = 0; i < path.length - 1; i++) {
        if (parent[path[i]] === undefined || parent[path[i]] === null || typeof parent[path[i]] !== "object")
          parent[path[i]] = typeof path[i + 1] === "number" ? [] : {};
        parent = parent[path[i]];
      }
      const last = path[path.length - 1];
      if (value === undefined && !Array.isArray(parent)) delete parent[last];
      else parent[last] = value;
      this.prune(path.slice(0, -1));
      this.changed(path);
    }

    prune(path) { /* an object left empty by clearing its last field goes too (not `{}` in the YAML) */
      while (path.length > 1) {
        const v = this.get(path);
        if (!v || Array.isArray(v) || Object.keys(v).length) return;
        const parent = this.get(path.slice(0, -1));
        if (Array.isArray(parent)) return;
        delete parent[path[path.length - 1]];
        path = path.slice(0, -1);
      }
    }

    changed(path) {
      const key = path[0];
      this.onEdit(key, this.data[key] === undefined ? null : this.data[key]);
    }

    field(node, value, path, top) {
      node = this.resolve(node);
      if (node.anyOf) {
        const list = node.anyOf.map(n => this.resolve(n)).find(n => n.type === "array");
        const text = node.anyOf.map(n => this.resolve(n)).find(n => n.type !== "array");
        return Array.isArray(value) && list ? this.field(list, value, path) :
          this.field(Object.assign({}, text, {title: node.title, description: node.description}), value, path);
      }
      if (node.type === "object" && node.properties) return this.object(node, value, path, top);
      if (node.type === "array") return this.array(node, value, path, top);
      return this.scalar(node, value, path);
    }

    label(node, path) {
      const name = typeof path[path.length - 1] === "number" ? "" : (node.title || path[path.length - 1]);
      return el("span", {class: "label", title: node.description || ""}, name);
    }

    object(node, value, path, top) {
      const box = el(top ? "div" : "fieldset", {"data-path": dotted(path), class: "object"});
      if (!top && typeof path[path.length - 1] !== "number") box.append(el("legend", {title: node.description || ""}, node.title || ""));
      for (const [k, child] of Object.entries(node.properties))
        box.append(this.field(child, value && typeof value === "object" ? value[k] : undefined, [...path, k]));
      return box;
    }

    array(node, value, path, top) {
      const items = this.resolve(node.items || {});
      const list = Array.isArray(value) ? value : [];
      const box = el("div", {class: "array", "data-path": dotted(path)});
      if (!top) box.append(this.label(node, path));
      if (items.enum) { /* a set of fixed choices: one checkbox each */
        const labels = items["x-enum-labels"] || {};
        box.append(el("div", {class: "choices"}, items.enum.map(v => el("label", {class: "choice"},
          el("input", {type: "checkbox", checked: list.includes(v), onchange: e => {
            const now = (this.get(path) || []).filter(x => x !== v);
            if (e.target.checked) now.push(v);
            this.set(path, now.length ? items.enum.filter(x => now.includes(x)) : undefined);
          }}), labels[v] || v))));
        return box;
      }
      list.forEach((item, i) => {
        const row = el("div", {class: "item"}, this.field(items, item, [...path, i]),
          el("button", {type: "button", class: "remove", title: this.ui.remove, onclick: () => {
            const now = (this.get(path) || []).slice();
            now.splice(i, 1);
            this.set(path, now.length ? now : undefined);
            this.render(this.data);
          }}, "× " + this.ui.remove));
        box.append(row);
      });
      box.append(el("button", {type: "button", class: "add", onclick: () => {
        const now = (this.get(path) || []).slice();
        now.push(items.type === "object" ? {} : "");
        this.set(path, now);
        this.render(this.data);
        const added = this.root.querySelector(`[data-path="${dotted([...path, now.length - 1])}"] input, ` +
                                              `[data-path="${dotted([...path, now.length - 1])}"] select`);
        if (added) added.focus();
      }}, "+ " + this.ui.add + (items.title && items.type === "object" ? " " + items.title : "")));
      return box;
    }

    scalar(node, value, path) {
      const at = dotted(path);
      let input;
      const types = [].concat(node.type || "string");
      if (node.enum) {
        const labels = node["x-enum-labels"] || {};
        input = el("select", {}, el("option", {value: ""}, this.ui.unset),
                   node.enum.map(v => el("option", {value: String(v), selected: v === value}, labels[v] || String(v))));
        input.addEventListener("change", () => this.set(path, input.value === "" ? undefined :
          node.enum.find(v => String(v) === input.value)));
      } else if (types.includes("boolean")) {
        input = el("select", {}, el("option", {value: ""}, this.ui.unset),
                   el("option", {value: "true", selected: value === true}, this.ui.yes),
                   el("option", {value: "false", selected: value === false}, this.ui.no));
        input.addEventListener("change", () => this.set(path, input.value === "" ? undefined : input.value === "true"));
      } else {
        const numeric = types.includes("integer") || types.includes("number");
        const shown = value === undefined || value === null ? "" : typeof value === "object" ? JSON.stringify(value) : String(value);
        const long = !numeric && !node.pattern && !node.format && shown.length > 40;
        input = long ? el("textarea", {rows: 2}) : el("input", {type: "text", inputmode: numeric ? "decimal" : null});
        input.value = shown;
        input.addEventListener("input", () => {
          const raw = input.value;
          let v = raw === "" ? undefined : raw;
          if (numeric && raw.trim() !== "" && !isNaN(Number(raw))) v = Number(raw);
          this.set(path, v);
        });
      }
      input.setAttribute("data-input", at);
      input.setAttribute("aria-label", node.title || at);
      return el("label", {class: "field", "data-path": at}, this.label(node, path), input,
                el("small", {class: "help"}, node.description || ""), el("span", {class: "error-text"}));
    }

    /* The element nearest to a plan path: the path itself or its closest listed ancestor. */
    find(path) {
      let p = path || "";
      while (p) {
        const hit = this.root.querySelector(`[data-path="${CSS.escape(p)}"]`);
        if (hit) return hit;
        const cut = Math.max(p.lastIndexOf("."), p.lastIndexOf("["));
        p = cut > 0 ? p.slice(0, cut) : "";
      }
      return null;
    }

    showProblems(problems) {
      for (const e of this.root.querySelectorAll(".has-error")) {
        e.classList.remove("has-error");
        const t = e.querySelector(":scope > .error-text");
        if (t) t.textContent = "";
      }
      for (const p of problems) {
        const at = this.find(p.path);
        if (!at) continue;
        at.classList.add("has-error");
        for (let d = at.closest("details"); d; d = d.parentElement.closest("details")) d.open = true;
        let text = at.querySelector(":scope > .error-text");
        if (!text) { text = el("span", {class: "error-text"}); at.append(text); }
        text.textContent = (text.textContent ? text.textContent + " " : "") + p.message;
      }
    }

    focus(path) {
      const at = this.find(path);
      if (!at) return false;
      for (let d = at.closest("details"); d; d = d.parentElement.closest("details")) d.open = true;
      at.scrollIntoView({block: "center"});
      const input = at.matches("input,select,textarea") ? at : at.querySelector("input,select,textarea");
      if (input) input.focus();
      at.classList.add("flash");
      setTimeout(() => at.classList.remove("flash"), 1200);
      return true;
    }
  }

  return {Form, el, dotted};
})();
