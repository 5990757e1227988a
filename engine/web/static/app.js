/* qunce page: the YAML text is the source of truth; the form edits one top-level section at a
   time and the server turns that into YAML with the same function Save uses. Every change is
   checked (debounced) and kept as a server-side draft. */
"use strict";

(() => {
  const {Form, el} = QForm;
  const $ = id => document.getElementById(id);
  const DEBOUNCE = 300;
  const S = {ui: {}, lang: "zh", name: null, text: "", loaded: "", saved: "", pending: null, timer: 0,
             seq: 0, syntax: false, form: null, tab: "form", result: null};

  const fmt = (s, p) => String(s || "").replace(/\{(\w+)\}/g, (_, k) => (p && p[k] !== undefined ? p[k] : ""));
  const say = (key, params) => fmt(S.ui[key] || key, params);

  async function api(path, body) { /* a stopped server answers as an error, not as an exception */
    try {
      return await fetch(path, body === undefined ? {credentials: "same-origin"} :
        {method: "POST", credentials: "same-origin", headers: {"Content-Type": "application/json"},
         body: JSON.stringify(body)});
    } catch (e) {
      return new Response(JSON.stringify({error: {code: "web-offline", message: String(e)}}),
                          {status: 503, headers: {"Content-Type": "application/json"}});
    }
  }

  function errorText(payload) {
    const e = payload && payload.error;
    if (!e) return "";
    return S.ui[e.code] ? say(e.code, e.params) : e.message;
  }

  function status(text, kind) {
    const s = $("status");
    s.textContent = text || "";
    s.className = kind || "";
  }

  function banner(children, kind) {
    const b = $("banner");
    b.replaceChildren(...[].concat(children));
    b.className = kind || "";
    b.hidden = !children || !children.length;
  }

  /* ---- tabs ---------------------------------------------------------------------------------- */
  function tab(name) {
    S.tab = name;
    for (const b of document.querySelectorAll("[data-tab]")) b.setAttribute("aria-selected", b.dataset.tab === name);
    for (const p of document.querySelectorAll(".pane")) p.hidden = p.id !== "pane-" + name;
    if (name === "preview") preview();
    if (name === "sop") sopPane();
    if (name === "yaml") gutter();
  }

  /* ---- YAML tab -------------------------------------------------------------------------------- */
  function gutter() {
    const lines = $("yaml").value.split("\n").length;
    const bad = new Map();
    for (const p of (S.result && S.result.errors) || []) if (p.line) bad.set(p.line, p.message);
    const g = $("gutter");
    g.replaceChildren(...Array.from({length: lines}, (_, i) => el("span", {
      class: bad.has(i + 1) ? "bad" : null, title: bad.get(i + 1) || null, "data-line": i + 1}, String(i + 1) + "\n")));
    g.scrollTop = $("yaml").scrollTop;
  }

  function setText(text, fromYaml) {
    S.text = text;
    if (!fromYaml && $("yaml").value !== text) $("yaml").value = text;
    gutter();
    dirty();
  }

  function dirty() {
    const changed = S.text !== S.saved;
    $("save").disabled = !changed || !S.name;
    if (changed) status(say("unsaved"), "warn");
  }

  /* ---- checking -------------------------------------------------------------------------------- */
  function schedule(edit) {
    if (edit) S.pending = Object.assign(S.pending || {}, {[edit.key]: edit.value});
    clearTimeout(S.timer);
    S.timer = setTimeout(flush, DEBOUNCE);
  }

  async function flush() {
    const edits = S.pending;
    S.pending = null;
    let text = S.text;
    const seq = ++S.seq;
    status(say("checking"));
    let out;
    for (const [key, value] of Object.entries(edits || {null: undefined})) {
      const res = await api("/api/check", {name: S.name, text, edit: edits ? {key, value} : undefined});
      out = await res.json();
      if (!res.ok) { status(errorText(out), "bad"); return; }
      text = out.text;
    }
    if (seq !== S.seq) return; /* a newer edit is on its way */
    setText(text, false);
    show(out, !edits);
    if (S.name) api("/api/draft", {name: S.name, text});
  }

  function show(result, rebuildForm) {
    S.result = result;
    S.syntax = result.syntax;
    const fe = $("form-error");
    if (result.syntax) {
      const e = result.errors[0] || {};
      fe.replaceChildren(el("strong", {}, say("syntax_wait")), " ", e.message || "",
                         e.line ? " (" + say("line", {line: e.line}) + ")" : "");
      fe.hidden = false;
      $("form").inert = true;
    } else {
      fe.hidden = true;
      $("form").inert = false;
      if (rebuildForm && result.data) S.form.render(structuredClone(result.data));
    }
    S.form.showProblems(result.errors || []);
    gutter();
    diagnosis(result);
    if (S.text === S.saved) status("");
  }

  /* ---- diagnosis ------------------------------------------------------------------------------- */
  function radar(risk, names) {
    const keys = Object.keys(names), n = keys.length, R = 70, C = 100;
    const at = (i, r) => [C + r * Math.sin(2 * Math.PI * i / n), C - r * Math.cos(2 * Math.PI * i / n)];
    const NS = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(NS, "svg");
    svg.setAttribute("viewBox", "0 0 200 200");
    svg.setAttribute("class", "radar");
    const add = (tag, attrs, text) => {
      const node = document.createElementNS(NS, tag);
      for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
      if (text !== undefined) node.textContent = text;
      svg.append(node);
    };
    for (const f of [1, 0.5]) add("polygon", {points: keys.map((_, i) => at(i, R * f).join(",")).join(" "), class: "grid"});
    add("polygon", {points: keys.map((k, i) => at(i, R * Math.min(100, risk[k] || 0) / 100).join(",")).join(" "), class: "area"});
    keys.forEach((k, i) => {
      const [x, y] = at(i, R + 16);
      add("text", {x, y, "text-anchor": "middle", "dominant-baseline": "middle"}, `${names[k]} ${risk[k] || 0}`);
    });
    return svg;
  }

  function diagnosis(r) {
    const box = $("diagnosis");
    const parts = [];
    if (r.errors && r.errors.length) {
      parts.push(el("h2", {}, say("problems") + ` (${r.errors.length})`),
        el("ul", {class: "problems"}, r.errors.map(p => el("li", {tabindex: 0, "data-finding-path": p.path || "",
          onclick: () => jump(p)}, p.path ? el("code", {}, p.path) : null, " ", p.message,
          p.line ? el("small", {}, ` ${p.line}:${p.column || 1}`) : null))));
    }
    if (!r.checked) {
      parts.push(el("p", {class: "muted"}, say("invalid")));
    } else {
      parts.push(el("div", {class: "scores"},
        el("div", {}, el("span", {}, say("completeness")), el("b", {id: "completeness"}, `${r.completeness}%`)),
        el("div", {}, el("span", {}, say("health")), el("b", {id: "health"}, String(r.health)))),
        el("h2", {}, say("risk")), radar(r.risk || {}, r.sins || {}),
        el("h2", {}, say("findings") + ` (${r.findings.length})`),
        r.findings.length ? el("ol", {class: "findings"}, r.findings.map(f => el("li", {
          class: "finding sev-" + f.severity, tabindex: 0, "data-rule": f.rule, "data-finding-path": f.path || "",
          onclick: () => jump(f), onkeydown: e => { if (e.key === "Enter") jump(f); }},
          el("strong", {}, f.title || f.rule), el("p", {}, f.message),
          f.remedy ? el("p", {class: "remedy"}, el("em", {}, say("remedy") + "："), f.remedy) : null)))
          : el("p", {class: "muted"}, say("no_findings")));
    }
    box.replaceChildren(...parts);
  }

  function jump(item) {
    if (S.syntax || !item.path) {
      tab("yaml");
      if (item.line) {
        const ta = $("yaml"), lines = ta.value.split("\n");
        const start = lines.slice(0, item.line - 1).join("\n").length + (item.line > 1 ? 1 : 0);
        ta.focus();
        ta.setSelectionRange(start, start + (lines[item.line - 1] || "").length);
      }
      return;
    }
    tab("form");
    S.form.focus(item.path);
  }

  /* ---- outputs --------------------------------------------------------------------------------- */
  async function preview() {
    const res = await api("/api/preview", {name: S.name, text: S.text});
    if (!res.ok) { $("preview-note").textContent = say("preview_wait"); $("preview").srcdoc = ""; return; }
    $("preview-note").textContent = "";
    $("preview").srcdoc = await res.text();
  }

  async function download(kind, id, format) {
    const res = await api("/api/sop", {name: S.name, text: S.text, kind, id, fmt: format});
    if (!res.ok) { status(errorText(await res.json()) || say("invalid"), "bad"); return; }
    const blob = await res.blob();
    const m = /filename="([^"]+)"/.exec(res.headers.get("Content-Disposition") || "");
    const a = el("a", {href: URL.createObjectURL(blob), download: m ? m[1] : `sop.${format}`});
    document.body.append(a);
    a.click();
    setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  }

  function sopPane() {
    const data = (S.result && S.result.data) || {};
    $("pane-sop").replaceChildren(...["sessions", "campaigns"].map(kind => {
      const items = Array.isArray(data[kind]) ? data[kind] : [];
      return el("section", {}, el("h2", {}, say(kind)), items.length ? el("ul", {class: "sop"}, items.map((it, i) =>
        el("li", {}, el("span", {}, (it && (it.title || it.goal || it.id)) || `#${i + 1}`), " ",
          ["md", "html", "ics"].map(f => el("button", {type: "button", "data-sop": `${kind}:${i}:${f}`,
            onclick: () => download(kind, it && it.id ? it.id : String(i + 1), f)}, `${say("download")} ${f.toUpperCase()}`)))))
        : el("p", {class: "muted"}, say("none")));
    }));
  }

  /* ---- save, drafts, plans --------------------------------------------------------------------- */
  async function save() {
    clearTimeout(S.timer);
    if (S.pending) await flush();
    status(say("saving"));
    const res = await api("/api/save", {name: S.name, text: S.text, loaded: S.loaded});
    const out = await res.json();
    if (res.status === 409) {
      banner([el("strong", {}, say("conflict"))], "conflict");
      status(out.error.message, "bad");
      api("/api/draft", {name: S.name, text: S.text});
      return;
    }
    if (!res.ok) { status(errorText(out), "bad"); return; }
    banner([]);
    S.loaded = out.loaded;
    S.saved = out.text;
    setText(out.text, false);
    status(out.saved.length ? say("saved", {keys: out.saved.join(", ")}) : say("nothing_to_save"), "ok");
    $("save").disabled = true;
  }

  async function openPlan(name) {
    const res = await api("/api/plan?name=" + encodeURIComponent(name));
    const out = await res.json();
    if (!res.ok) { status(errorText(out), "bad"); return; }
    S.name = name;
    S.loaded = out.loaded;
    S.saved = out.text;
    $("plan-select").value = name;
    history.replaceState(null, "", "?plan=" + encodeURIComponent(name));
    setText(out.text, false);
    banner([]);
    tab("form");
    flush();
    if (out.draft !== null) {
      banner([el("span", {}, say("draft_offer")), " ",
        el("button", {type: "button", id: "draft-restore", onclick: () => { banner([]); setText(out.draft, false); flush(); }}, say("draft_restore")),
        el("button", {type: "button", id: "draft-discard", onclick: () => { banner([]); api("/api/draft", {name, text: S.saved}); }}, say("draft_discard"))], "draft");
    }
  }

  function wizard(schema) {
    tab("wizard");
    const pos = schema.properties.positioning.properties, st = schema.properties.structure.properties;
    const choice = (node, pick) => el("select", {name: pick}, node.enum.map(v => el("option", {value: v}, (node["x-enum-labels"] || {})[v] || v)));
    const row = (key, control) => el("label", {class: "field"}, el("span", {class: "label"}, say(key)), control);
    const kind = choice(pos.kind, "kind");
    for (const o of kind.options) o.disabled = !["product", "interest", "knowledge", "resource", "marketing"].includes(o.value);
    kind.value = "interest";
    const form = el("form", {id: "wizard"}, el("h2", {}, say("wizard_title")),
      row("wizard_goal", el("input", {name: "goal"})), row("wizard_members", el("input", {name: "members"})),
      row("wizard_mode", el("input", {name: "mode"})), row("wizard_strategy", el("input", {name: "strategy"})),
      row("wizard_revenue", el("input", {name: "revenue_model"})), row("wizard_kind", kind),
      row("wizard_platform", choice(st.platform, "platform")),
      row("wizard_file", el("input", {name: "file", value: "plan.yaml"})),
      el("button", {type: "submit"}, say("wizard_create")));
    form.addEventListener("submit", async e => {
      e.preventDefault();
      const f = new FormData(form), answers = {};
      for (const k of ["goal", "members", "mode", "strategy", "revenue_model", "kind", "platform"]) answers[k] = f.get(k);
      const res = await api("/api/new", {name: f.get("file"), answers});
      const out = await res.json();
      if (!res.ok) { status(errorText(out), "bad"); return; }
      fillPlans(out.plans);
      openPlan(out.name);
    });
    $("pane-wizard").replaceChildren(form);
  }

  function fillPlans(plans) {
    $("plan-select").replaceChildren(...plans.map(p => el("option", {value: p}, p)));
  }

  async function boot() {
    const boot = await (await api("/api/boot")).json();
    S.ui = boot.ui;
    S.lang = boot.lang;
    document.documentElement.lang = boot.lang;
    document.title = say("title");
    for (const n of document.querySelectorAll("[data-ui]")) n.textContent = say(n.dataset.ui);
    const schema = await (await api("/api/schema")).json();
    S.form = new Form($("form"), schema, S.ui, (key, value) => { schedule({key, value}); });
    fillPlans(boot.plans);
    for (const b of document.querySelectorAll("[data-tab]")) b.addEventListener("click", () => tab(b.dataset.tab));
    const ta = $("yaml");
    ta.addEventListener("input", () => { setText(ta.value, true); S.pending = null; schedule(); });
    ta.addEventListener("scroll", () => { $("gutter").scrollTop = ta.scrollTop; });
    $("save").addEventListener("click", save);
    $("new-plan").addEventListener("click", () => wizard(schema));
    $("plan-select").addEventListener("change", e => openPlan(e.target.value));
    const wanted = new URLSearchParams(location.search).get("plan");
    const first = boot.plans.includes(wanted) ? wanted : boot.first || boot.plans[0];
    if (first) openPlan(first); else wizard(schema);
  }

  document.addEventListener("DOMContentLoaded", boot);
})();
