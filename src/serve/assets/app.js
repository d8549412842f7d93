// zongjie serve: the list and table editors of the report form, the 篇 order of a 汇编, and
// the preview. Structured values travel as JSON in a hidden field that this script keeps
// current; every other field is a plain form field.
"use strict";

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "text") e.textContent = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const c of children) if (c) e.append(c);
  return e;
}

const phrases = (() => {
  const s = document.getElementById("phrases");
  try { return s ? JSON.parse(s.textContent) : {}; } catch (_) { return {}; }
})();

// ---- table of names and values (统计, 核对, 字体, 上年, a custom 分类方案); with `nested`, each
// value is itself such a table (历年: year → that year's counts) ----
function mapEditor(box, hidden, value, nested) {
  pairs(box, value, nested, (out) => { hidden.value = JSON.stringify(out); changed(); });
}

function pairs(box, value, nested, onChange) {
  const table = el("table", { class: "pairs" });
  const rows = [];
  const sync = () => {
    const out = {};
    for (const r of rows) {
      const k = r.name.value.trim();
      if (k) out[k] = r.get();
    }
    onChange(out);
  };
  const add = (k, v) => {
    const r = { name: el("input", { type: "text", value: k, placeholder: nested ? "年份，如 2022" : "名称", "data-testid": "pair-name" }) };
    let cell;
    if (nested && (v === "" || (v && typeof v === "object" && !Array.isArray(v)))) {
      let inner = v && typeof v === "object" ? v : { "总数": "" };
      cell = el("div", {});
      pairs(cell, inner, false, (out) => { inner = out; sync(); });
      r.get = () => inner;
    } else if (v !== null && typeof v === "object") {
      cell = el("span", { class: "muted", text: "（较复杂，请在文件中修改）" });
      r.get = () => v;
    } else {
      cell = el("input", { type: "text", value: v == null ? "" : String(v), placeholder: "数值", "data-testid": "pair-value" });
      cell.addEventListener("input", sync);
      r.get = () => cell.value.trim();
    }
    const tr = el("tr", {}, el("td", {}, r.name), el("td", {}, cell),
      el("td", {}, el("button", { type: "button", class: "small", text: "删除", onclick: () => { rows.splice(rows.indexOf(r), 1); tr.remove(); sync(); } })));
    r.name.addEventListener("input", sync);
    rows.push(r);
    table.append(tr);
  };
  for (const [k, v] of Object.entries(value || {})) add(k, v);
  box.append(table, el("button", { type: "button", class: "small", text: "添加一项", "data-testid": "pair-add", onclick: () => { add("", ""); } }));
}

// ---- items of 基本情况 / 主要做法 / 存在问题 / 下一步打算 ----
const KINDS = [["段落", "一段文字"], ["标题", "带小标题的一项"], ["分项", "带小标题、内容再分几项"], ["常用", "模板常用语"], ["自动", "自动（程序按数字写出）"]];

function kindOf(v) {
  if (v === "自动") return "自动";
  if (typeof v === "string") return "段落";
  if (v && typeof v === "object" && !Array.isArray(v)) {
    const keys = Object.keys(v);
    if (keys.length === 1 && keys[0] === "常用") return "常用";
    if (keys.every((k) => k === "标题" || k === "内容")) return Array.isArray(v["内容"]) ? "分项" : "标题";
  }
  return "其他";
}

function itemsEditor(box, items, onChange) {
  const list = el("div", { class: "items" });
  const entries = [];
  // An item left empty is no item: it is not sent.
  const sync = () => onChange(entries.map((e) => e.get()).filter((v) => v !== ""));
  const render = () => { list.replaceChildren(...entries.map((e) => e.node)); sync(); };
  const make = (v) => {
    const entry = {};
    const node = el("div", { class: "item", "data-testid": "item" });
    const body = el("div", { class: "body" });
    const select = el("select", { "data-testid": "item-kind" });
    let kind = kindOf(v);
    for (const [k, label] of KINDS) select.append(el("option", { value: k, text: label }));
    if (kind === "其他") select.append(el("option", { value: "其他", text: "其他（请在文件中修改）" }));
    select.value = kind;
    const move = (d) => { const i = entries.indexOf(entry), j = i + d; if (j < 0 || j >= entries.length) return; entries.splice(i, 1); entries.splice(j, 0, entry); render(); };
    node.append(el("div", { class: "row" }, select,
      el("button", { type: "button", class: "small", text: "上移", onclick: () => move(-1) }),
      el("button", { type: "button", class: "small", text: "下移", onclick: () => move(1) }),
      el("button", { type: "button", class: "small", text: "删除", "data-testid": "item-delete", onclick: () => { entries.splice(entries.indexOf(entry), 1); render(); } })), body);
    let title, text, phrase, children = [];
    const build = () => {
      body.replaceChildren();
      const t = v && typeof v === "object" ? v : {};
      if (kind === "段落") {
        text = el("textarea", { rows: 3, "data-testid": "item-text" }); text.value = typeof v === "string" && v !== "自动" ? v : (t["内容"] && typeof t["内容"] === "string" ? t["内容"] : "");
        text.addEventListener("input", sync); body.append(text);
      } else if (kind === "标题" || kind === "分项") {
        title = el("input", { type: "text", placeholder: "小标题，如：压实办理责任", value: t["标题"] || "", "data-testid": "item-title" });
        title.addEventListener("input", sync); body.append(title);
        if (kind === "标题") {
          text = el("textarea", { rows: 3, placeholder: "内容", "data-testid": "item-text" });
          text.value = typeof t["内容"] === "string" ? t["内容"] : (typeof v === "string" ? v : "");
          text.addEventListener("input", sync); body.append(text);
        } else {
          const sub = el("div", { class: "children" });
          itemsEditor(sub, Array.isArray(t["内容"]) ? t["内容"] : [], (vals) => { children = vals; sync(); });
          body.append(sub);
        }
      } else if (kind === "常用") {
        phrase = el("select", { "data-testid": "item-phrase" });
        for (const name of Object.keys(phrases)) phrase.append(el("option", { value: name, text: name }));
        if (t["常用"] && !(t["常用"] in phrases)) phrase.append(el("option", { value: t["常用"], text: t["常用"] + "（模板中没有）" }));
        if (t["常用"]) phrase.value = t["常用"];
        const preview = el("div", { class: "phrase-preview", "data-testid": "phrase-preview" });
        const show = () => { preview.textContent = phrases[phrase.value] || ""; sync(); };
        phrase.addEventListener("change", show); body.append(phrase, preview); show();
      } else if (kind === "自动") {
        body.append(el("div", { class: "muted", text: "程序按数字自动写出这一项。" }));
      } else {
        body.append(el("div", { class: "muted", text: JSON.stringify(v) }));
      }
    };
    select.addEventListener("change", () => {
      const keepText = text ? text.value : "", keepTitle = title ? title.value : "";
      kind = select.value;
      v = kind === "段落" ? keepText : kind === "标题" ? { "标题": keepTitle, "内容": keepText } : kind === "分项" ? { "标题": keepTitle, "内容": [] } : kind === "自动" ? "自动" : { "常用": Object.keys(phrases)[0] || "" };
      text = title = phrase = undefined; children = [];
      build(); sync();
    });
    entry.node = node;
    entry.get = () => {
      if (kind === "段落") return text.value.trim();
      if (kind === "标题") return { "标题": title.value.trim(), "内容": text.value.trim() };
      if (kind === "分项") return { "标题": title.value.trim(), "内容": children };
      if (kind === "常用") return { "常用": phrase.value };
      if (kind === "自动") return "自动";
      return v;
    };
    build();
    return entry;
  };
  for (const v of items || []) entries.push(make(v));
  box.append(list, el("button", { type: "button", class: "small", text: "添加一项", "data-testid": "item-add", onclick: () => { entries.push(make("")); render(); } }));
  render();
}

// An items editor, rebuilt from `value`; for 存在问题 a switch puts the 自动 item first or
// takes it out.
function mountItems(box, hidden, value) {
  for (const c of [...box.children]) if (c !== hidden) c.remove();
  const write = (vals) => { hidden.value = JSON.stringify(vals); changed(); };
  if (box.hasAttribute("data-auto")) {
    const on = value.includes("自动");
    const toggle = el("input", { type: "checkbox", "data-testid": "auto-switch" });
    toggle.checked = on;
    toggle.addEventListener("change", () => {
      const now = JSON.parse(hidden.value).filter((v) => v !== "自动");
      if (toggle.checked) now.unshift("自动");
      hidden.value = JSON.stringify(now);
      mountItems(box, hidden, now);
      changed();
    });
    box.append(el("label", { class: "switch" }, toggle, " 自动列出数字显示的问题（超期、不满意、C/D 类占比偏高等，只写事实）"));
  }
  itemsEditor(box, value, write);
}

function setUpEditors() {
  for (const box of document.querySelectorAll(".editor[data-editor]")) {
    const hidden = box.querySelector("input[type=hidden]");
    let value;
    try { value = JSON.parse(hidden.value); } catch (_) { continue; }
    if (box.dataset.editor === "map") mapEditor(box, hidden, value, box.hasAttribute("data-nested"));
    else mountItems(box, hidden, value);
  }
  for (const b of document.querySelectorAll("button[data-action=to-map]")) {
    b.addEventListener("click", () => {
      const key = b.dataset.key, input = document.getElementById("field-" + key);
      const box = el("div", { class: "editor", id: "field-" + key, "data-testid": "field-" + key });
      const start = JSON.parse(b.dataset.start || "{}");
      const hidden = el("input", { type: "hidden", name: "json:" + key, value: JSON.stringify(start) });
      box.append(hidden);
      mapEditor(box, hidden, start);
      input.replaceWith(box); b.remove();
      changed();
    });
  }
  for (const b of document.querySelectorAll("button[data-action=custom-scheme]")) {
    b.addEventListener("click", () => {
      const key = b.dataset.key, select = document.getElementById("field-" + key);
      const box = el("div", { class: "editor", id: "field-" + key, "data-testid": "field-" + key });
      const hidden = el("input", { type: "hidden", name: "json:" + key, value: "{}" });
      box.append(hidden);
      const start = select.value === "三类" ? { A: "解决采纳", B: "计划解决", C: "留作参考" } : { A: "所提问题已经解决或基本解决", B: "正在解决或列入规划逐步解决", C: "因目前条件限制或其他原因需待以后解决", D: "留作参考" };
      hidden.value = JSON.stringify(start);
      mapEditor(box, hidden, start);
      select.replaceWith(box); b.remove();
    });
  }
}

// ---- 汇编: 篇 up and down ----
function setUpParts() {
  const list = document.querySelector("ol.parts");
  if (!list) return;
  // One listener for the list: 篇 added later move and go like the others.
  list.addEventListener("click", (ev) => {
    const b = ev.target.closest("button[data-action]");
    if (!b) return;
    const li = b.closest("li");
    if (b.dataset.action === "up" && li.previousElementSibling) list.insertBefore(li, li.previousElementSibling);
    if (b.dataset.action === "down" && li.nextElementSibling) list.insertBefore(li.nextElementSibling, li);
    if (b.dataset.action === "remove") li.remove();
  });
  const pick = document.getElementById("add-part");
  const add = document.querySelector("button[data-action=add]");
  if (!pick || !add) return;
  add.addEventListener("click", () => {
    const option = pick.selectedOptions[0];
    if (!option) return;
    const button = (action, text) => el("button", { class: "small", type: "button", "data-action": action, text });
    list.append(el("li", { "data-testid": "part" },
      el("input", { type: "hidden", name: "篇目", value: option.value }),
      el("span", { text: option.textContent }), " ",
      button("up", "上移"), button("down", "下移"), button("remove", "删除")));
    option.remove();
  });
}

// ---- preview: the pages as SVG and what changed since the last build; re-rendered from
// the form's current values a moment after the last edit, without saving ----
let timer = null;
let ready = false;
function changed() {
  if (!ready || !document.getElementById("preview")) return;
  clearTimeout(timer);
  timer = setTimeout(() => refresh(true), 800);
}

function showChanges(c) {
  const box = document.getElementById("changes");
  if (!box || !c) return;
  if (!c.built) {
    box.replaceChildren(el("p", { class: "muted", "data-testid": "changes-none",
      text: c.message || "还没有生成过这份总结。生成后，这里列出此后数字和句子的变化。" }));
    return;
  }
  if (!c.figures.length && !c.sentences.length) {
    box.replaceChildren(el("p", { class: "muted", "data-testid": "changes-same", text: "与上次生成时相比，没有变化。" }));
    return;
  }
  const figures = el("ul", { "data-testid": "changed-figures" });
  for (const f of c.figures) figures.append(el("li", { text: f.name + "：" + f.old + " → " + f.new }));
  const sentences = el("ul", { class: "sentences", "data-testid": "changed-sentences" });
  for (const s of c.sentences) {
    const li = el("li");
    for (const t of s.old) li.append(el("del", { text: t }));
    for (const t of s.new) li.append(el("ins", { text: t }));
    sentences.append(li);
  }
  if (c.more) sentences.append(el("li", { class: "muted", text: "另有 " + c.more + " 处句子变化，用“生成”后的 zongjie diff 可看全部。" }));
  box.replaceChildren(
    c.figures.length ? el("p", { text: "数字：" }) : null, c.figures.length ? figures : null,
    c.sentences.length ? el("p", { text: "句子（删去的划线，新写的加底色）：" }) : null, c.sentences.length ? sentences : null);
}

async function refresh(edited) {
  const box = document.getElementById("preview");
  if (!box) return;
  const form = document.querySelector("form.report");
  let resp;
  try {
    if (edited && form && form.dataset.testid === "report-form") {
      const body = new URLSearchParams(new FormData(form));
      resp = await fetch(box.dataset.src, { method: "POST", body, headers: { "Content-Type": "application/x-www-form-urlencoded" } });
    } else {
      resp = await fetch(box.dataset.src);
    }
    const facts = await resp.json();
    if (!facts.ok) {
      box.replaceChildren(el("p", { class: "notice bad", "data-testid": "preview-error", text: facts.message }));
      return;
    }
    showChanges(facts.changes);
    const pages = el("div", { class: "pages" });
    const stamp = Date.now();
    for (let n = 0; n < facts.shown; n++) {
      pages.append(el("img", { src: facts.page + "&n=" + n + "&v=" + stamp, loading: "lazy", alt: "第 " + (n + 1) + " 页", "data-testid": "preview-page" }));
    }
    const note = facts.shown < facts.pages ? "，此处显示前 " + facts.shown + " 页" : "";
    box.replaceChildren(
      el("p", { "data-testid": "page-count", "data-pages": String(facts.pages),
        text: "共 " + facts.pages + " 页" + note + (edited ? "（含未保存的修改）" : "") }),
      pages);
  } catch (_) {
    box.replaceChildren(el("p", { class: "notice bad", text: "预览暂时无法生成，请确认 zongjie serve 仍在运行。" }));
  }
}

document.addEventListener("DOMContentLoaded", () => {
  setUpEditors();
  setUpParts();
  ready = true;
  const form = document.querySelector("form[data-testid=report-form]");
  if (form) form.addEventListener("input", changed);
  refresh(false);
});
