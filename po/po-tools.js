/*
 * Translation tooling: extract strings from src/ (calls of _(), N_(), ngettext(), gettext()), from
 * manifest.json labels and keywords and from index.html, write po/vf-migration.pot, merge it into po/<lang>.po,
 * and compile po/<lang>.po into the `cockpit.locale({...})` files Cockpit serves as po.js / po.manifest.js.
 */
const fs = require("fs");
const path = require("path");
const ts = require("typescript");
const gettextParser = require("gettext-parser");

const DOMAIN = "vf-migration";

function walk(dir, out = []) {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory())
            walk(p, out);
        else if (/\.(ts|tsx)$/.test(e.name))
            out.push(p);
    }
    return out;
}

/** @returns Map msgid -> { plural?: string, refs: Set<string> } */
function extract(root) {
    const strings = new Map();
    const add = (msgid, ref, plural) => {
        if (!msgid)
            return;
        const e = strings.get(msgid) || { refs: new Set() };
        e.refs.add(ref);
        if (plural)
            e.plural = plural;
        strings.set(msgid, e);
    };
    const literal = n => n && (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) ? n.text : null;

    for (const file of walk(path.join(root, "src")).sort()) {
        const rel = path.relative(root, file);
        const src = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
        const visit = node => {
            if (ts.isCallExpression(node)) {
                const callee = node.expression;
                const name = ts.isIdentifier(callee) ? callee.text
                    : ts.isPropertyAccessExpression(callee) ? callee.name.text : "";
                const line = src.getLineAndCharacterOfPosition(node.getStart()).line + 1;
                const ref = `${rel}:${line}`;
                if (name === "_" || name === "N_" || name === "gettext")
                    add(literal(node.arguments[node.arguments.length - 1]), ref);
                else if (name === "ngettext")
                    add(literal(node.arguments[0]), ref, literal(node.arguments[1]));
            }
            ts.forEachChild(node, visit);
        };
        visit(src);
    }

    const manifest = JSON.parse(fs.readFileSync(path.join(root, "manifest.json"), "utf8"));
    for (const item of Object.values(manifest.menu || {})) {
        add(item.label, "manifest.json:0");
        for (const d of item.docs || [])
            add(d.label, "manifest.json:0");
        for (const k of item.keywords || [])
            for (const m of k.matches)
                add(m, "manifest.json:0");
    }
    const html = fs.readFileSync(path.join(root, "src", "index.html"), "utf8");
    for (const m of html.matchAll(/translate="yes">([^<]+)</g))
        add(m[1], "src/index.html:0");
    return strings;
}

function potEntries(strings) {
    const translations = { "": { "": { msgid: "", msgstr: ["Content-Type: text/plain; charset=UTF-8\n"] } } };
    for (const [msgid, e] of [...strings].sort((a, b) => a[0].localeCompare(b[0]))) {
        translations[""][msgid] = {
            msgid,
            ...(e.plural ? { msgid_plural: e.plural, msgstr: ["", ""] } : { msgstr: [""] }),
            comments: { reference: [...e.refs].join("\n") },
        };
    }
    return translations;
}

function writePot(root) {
    const pot = { charset: "utf-8", headers: { "Content-Type": "text/plain; charset=UTF-8", "Project-Id-Version": DOMAIN }, translations: potEntries(extract(root)) };
    fs.writeFileSync(path.join(root, "po", `${DOMAIN}.pot`), gettextParser.po.compile(pot, { sort: true }));
}

function languages(root) {
    return fs.readdirSync(path.join(root, "po")).filter(f => f.endsWith(".po")).map(f => f.slice(0, -3)).sort();
}

function readPo(root, lang) {
    return gettextParser.po.parse(fs.readFileSync(path.join(root, "po", `${lang}.po`)));
}

const isFuzzy = t => /fuzzy/.test((t.comments && t.comments.flag) || "");

/** Updates po/<lang>.po from the sources: new strings added empty, references refreshed, obsolete ones dropped. */
function merge(root, lang) {
    const old = readPo(root, lang);
    const oldT = old.translations[""] || {};
    const fresh = potEntries(extract(root));
    for (const [id, t] of Object.entries(fresh[""])) {
        if (id && oldT[id]) {
            t.msgstr = oldT[id].msgstr;
            if (oldT[id].comments && oldT[id].comments.flag)
                t.comments.flag = oldT[id].comments.flag;
        }
    }
    fresh[""][""] = oldT[""] || fresh[""][""];
    old.translations = fresh;
    fs.writeFileSync(path.join(root, "po", `${lang}.po`), gettextParser.po.compile(old, { sort: true }));
}

/** Strings of the sources that po/<lang>.po leaves untranslated or fuzzy. */
function missing(root, lang) {
    const t = readPo(root, lang).translations[""] || {};
    const out = [];
    for (const msgid of extract(root).keys()) {
        const e = t[msgid];
        if (!e || !e.msgstr.every(s => s !== "") || isFuzzy(e))
            out.push(msgid);
    }
    return out;
}

/** The cockpit.locale() file: "src" for the page's strings, "manifest" for the menu's. */
function compile(root, lang, which) {
    const parsed = readPo(root, lang);
    const header = parsed.headers || {};
    const pluralMatch = /plural=([^;]+)/.exec(header["Plural-Forms"] || "");
    const plural = pluralMatch ? pluralMatch[1] : "n != 1";
    if (!/^[n0-9\s<>=!&|?:%()]+$/.test(plural))
        throw new Error(`po/${lang}.po: unexpected Plural-Forms expression: ${plural}`);
    const body = {};
    for (const [msgid, t] of Object.entries(parsed.translations[""] || {})) {
        if (!msgid || isFuzzy(t) || !t.msgstr[0])
            continue;
        const refs = (t.comments && t.comments.reference) || "";
        const inManifest = refs.includes("manifest.json");
        if (which === "manifest" ? !inManifest : !refs.split(/\s+/).some(r => r.startsWith("src/")))
            continue;
        body[msgid] = [t.msgid_plural || null, ...t.msgstr];
    }
    const entries = Object.keys(body).sort().map(k => ` ${JSON.stringify(k)}: ${JSON.stringify(body[k])}`);
    return `cockpit.locale({\n "": {"plural-forms": (n) => ${plural}, "language": ${JSON.stringify(lang)}, "language-direction": "ltr"}` +
        entries.map(e => ",\n" + e).join("") + "\n});\n";
}

module.exports = { extract, writePot, merge, missing, compile, languages, DOMAIN };

if (require.main === module) {
    const root = path.join(__dirname, "..");
    const cmd = process.argv[2];
    if (cmd === "merge") {
        for (const lang of languages(root))
            merge(root, lang);
    } else if (cmd === "check") {
        let bad = 0;
        for (const lang of languages(root)) {
            const m = missing(root, lang);
            for (const id of m)
                console.error(`po/${lang}.po: missing or fuzzy: ${JSON.stringify(id)}`);
            bad += m.length;
        }
        if (bad) {
            console.error(`${bad} untranslated strings; run \`node po/po-tools.js merge\` and translate them`);
            process.exit(1);
        }
        console.log("translations complete");
    } else {
        console.error("usage: po-tools.js merge|check");
        process.exit(2);
    }
}
