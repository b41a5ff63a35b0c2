#!/usr/bin/env node
/*
 * Builds dist/: index.js + index.css (esbuild, PatternFly 6 styles included), index.html, manifest.json,
 * po.<lang>.js and po.manifest.<lang>.js in the form Cockpit serves as po.js, and the POT of all strings.
 * `--watch` rebuilds on change; production (the default unless --dev/--watch) is minified, pruned of PatternFly CSS
 * that no element of this page can match, and gzipped; it fails when index.js + index.css gzipped exceed the budget.
 * `--analyze` prints what the bundle is made of (docs/performance.md, "Bundle").
 */
const esbuild = require("esbuild");
const fs = require("fs");
const path = require("path");
const zlib = require("zlib");
const po = require("./po/po-tools.js");

const args = process.argv.slice(2);
const watch = args.includes("--watch");
const analyze = args.includes("--analyze");
const production = !watch && !args.includes("--dev");
const BUDGET = 300 * 1000; // bytes of index.js.gz + index.css.gz
const root = __dirname;
const dist = path.join(root, "dist");

// PatternFly's CSS points at its own font copies; Cockpit already serves the same fonts to every page.
const cockpitFonts = {
    name: "cockpit-fonts",
    setup(build) {
        build.onResolve({ filter: /\.(woff2?|ttf|eot)$/ }, ({ path: p }) => {
            const m = p.match(/assets\/fonts\/(.*)$/);
            return { path: m ? `../../static/fonts/${m[1]}` : `../../static/fonts/${path.basename(p)}`, external: true };
        });
    },
};

/*
 * PatternFly parts our page never renders, replaced by stubs that throw if rendered after all: Page renders its
 * notification Drawer only with a `notificationDrawer` prop, Tabs its OverflowTab (a Menu) only with
 * `isOverflowHorizontal`; src/ passes neither. Together with their CSS they are 10 KB of the gzipped bundle.
 * Icons too (1.4 KB): Button's star and cog only with `isFavorite` / `isSettings` (MenuToggle's cog with
 * `isSettings`), the bell only for the "custom" variant of Alert, Label and Modal, FormGroupLabelHelp's help icon
 * only in that component; src/ uses none of them (grep isFavorite, isSettings, "custom", FormGroupLabelHelp).
 * Popper (11 KB with Tooltip): only Tooltip and the menus (Dropdown, Select, OverflowTab…) use it; PatternFly's
 * components get src/ui/Tooltip.tsx instead of their Tooltip, and src/ imports no menu.
 */
const ICONS = "@patternfly/react-icons/dist/esm/icons/";
const neverRendered = [
    { importer: /components\/Page\/Page\.js$/, path: "../Drawer", names: ["Drawer", "DrawerContent", "DrawerPanelContent"] },
    { importer: /components\/Tabs\/Tabs\.js$/, path: "./OverflowTab", names: ["OverflowTab"] },
    { importer: /@patternfly\/react-core\/dist\/esm\/helpers\/index\.js$/, path: "./Popper/Popper", names: ["Popper", "getOpacityTransition"] },
    ...["star-icon", "outlined-star-icon", "cog-icon", "bell-icon", "help-icon"].map(icon =>
        ({ importer: /@patternfly\/react-core\/dist\/esm\//, path: ICONS + icon, names: ["default"] })),
];
const stubs = {
    name: "never-rendered",
    setup(build) {
        build.onResolve({ filter: /^\.\.\/Tooltip$/ }, args => (/@patternfly\/react-core\/dist\/esm\/components\//.test(args.importer)
            ? { path: path.join(root, "src/ui/Tooltip.tsx") } : undefined));
        build.onResolve({ filter: /^(\.\.?\/(Drawer|OverflowTab|Popper\/Popper)|@patternfly\/react-icons\/dist\/esm\/icons\/(star|outlined-star|cog|bell|help)-icon)$/ }, args => {
            const stub = neverRendered.find(s => s.path === args.path && s.importer.test(args.importer));
            return stub && { path: args.path, namespace: "never-rendered", pluginData: stub };
        });
        build.onLoad({ filter: /.*/, namespace: "never-rendered" }, args => ({
            contents: args.pluginData.names.map(n => (n === "default"
                ? `export default function NotBundledIcon() { throw new Error("${args.path} is not bundled (build.js)") }`
                : `export function ${n}() { throw new Error("${n} is not bundled (build.js)") }`)).join("\n"),
            loader: "js",
        }));
    },
};

/*
 * Classes no element of this page ever has, so no rule that requires one can match: the Font Awesome and pficon
 * icon fonts (our icons are SVG components), the high-contrast and glass themes (only theme.ts sets a theme class on
 * <html>, and only the dark one) and the alert group (we render lone Alerts; Alert only looks up a group around it).
 * Neither src/ nor react-core's code applies any of them (grep for the class and for themeGlass/pficon/faX).
 */
const DEAD_CLASS = /^(fa|fas|fab|fa-.*|sr-only.*|pf-v6-pficon.*|pf-v6-theme-high-contrast|pf-v6-theme-glass|pf-v6-c-alert-group(__.*)?)$/;
/*
 * The parts and modifiers of the card's CSS (src/ui/SimpleCard.tsx renders a card's markup, imports card.css) that
 * only a selectable, clickable, expandable, toggled or footed card has. No other CSS we ship uses them; the build
 * fails if the page's JS ever names one, so that a component that starts applying one keeps its rules.
 */
const NEVER_APPLIED = [
    "pf-v6-c-card__header-toggle", "pf-v6-c-card__header-toggle-icon", "pf-v6-c-card__selectable-actions", "pf-v6-c-card__clickable-action",
    "pf-v6-c-card__expandable-content", "pf-v6-c-card__footer", "pf-v6-c-card__subtitle",
    "pf-m-selectable", "pf-m-selected", "pf-m-toggle-right", "pf-m-full-height", "pf-m-no-offset",
    // the page's parts and modifiers that src/ui/App.tsx never renders (it writes the page's markup, imports page.css)
    ...["main-breadcrumb", "main-group", "main-wizard", "main-subnav", "main-body", "main-drawer", "drawer", "dock-main",
        "sidebar", "sidebar-body", "sidebar-main", "sidebar-title", "sidebar-header"].map(p => `pf-v6-c-page__${p}`),
    ...["top", "bottom"].flatMap(e => [`pf-m-sticky-${e}-base`, `pf-m-sticky-${e}-stuck`,
        ...["sm", "md", "lg", "xl", "2xl"].map(b => `pf-m-sticky-${e}-on-${b}-height`)]),
];
const isDead = c => DEAD_CLASS.test(c) || NEVER_APPLIED.includes(c);

// Splits at `sep` outside parentheses and strings.
function splitTop(s, sep) {
    const parts = [];
    let depth = 0, last = 0;
    for (let i = 0; i < s.length; i++) {
        const c = s[i];
        if (c === '"' || c === "'")
            i = s.indexOf(c, i + 1);
        else if (c === "(")
            depth++;
        else if (c === ")")
            depth--;
        else if (c === sep && !depth) {
            parts.push(s.slice(last, i));
            last = i + 1;
        }
    }
    parts.push(s.slice(last));
    return parts.filter(p => p.trim());
}

// Minified CSS as a tree: { raw } statements, { prelude, children } for conditional groups, { prelude, body } rules.
function cssTree(css) {
    const out = [];
    let i = 0, start = 0;
    while (i < css.length) {
        const c = css[i];
        if (c === '"' || c === "'") {
            i = css.indexOf(c, i + 1) + 1;
        } else if (c === "/" && css[i + 1] === "*") {
            i = start = css.indexOf("*/", i) + 2;
        } else if (c === ";") {
            out.push({ raw: css.slice(start, i + 1) });
            start = ++i;
        } else if (c === "{") {
            let depth = 1, j = i + 1;
            for (; depth; j++) {
                const e = css[j];
                if (e === '"' || e === "'")
                    j = css.indexOf(e, j + 1);
                else if (e === "{")
                    depth++;
                else if (e === "}")
                    depth--;
            }
            const prelude = css.slice(start, i).trim(), body = css.slice(i + 1, j - 1);
            out.push(/^@(media|supports|container|layer)\b/.test(prelude) ? { prelude, children: cssTree(body) } : { prelude, body });
            start = i = j;
        } else {
            i++;
        }
    }
    return out;
}

// A selector requires a class named outside any pseudo-class function, or as the only argument of :where()/:is().
function requiresDeadClass(selector) {
    const top = selector.replace(/:(where|is)\(([^(),]*)\)/g, " $2 ").replace(/:[a-z-]+\((?:[^()]|\([^()]*\))*\)/g, "");
    return (top.match(/\.[\w-]+/g) || []).some(c => isDead(c.slice(1)));
}

/*
 * Drops selectors that require a dead class, then custom properties that nothing reads: a property is observable only
 * through var() in the CSS that is left or by its name in the JS, so one named in neither can go (repeated, as tokens
 * read only by dropped tokens go too).
 */
function pruneCss(css, js) {
    const tree = cssTree(css);
    const eachBlock = (list, f) => list.forEach(b => (b.children ? eachBlock(b.children, f) : b.body !== undefined && f(b)));
    const eachRule = (list, f) => eachBlock(list, b => b.prelude.startsWith("@") || f(b)); // not @keyframes, @font-face
    eachRule(tree, r => { r.prelude = splitTop(r.prelude, ",").filter(s => !requiresDeadClass(s)).join(",") });
    for (let dropped = 1; dropped;) {
        const read = new Set(js.match(/--[\w-]+/g));
        eachBlock(tree, b => { if (b.prelude) for (const m of b.body.matchAll(/var\(\s*(--[\w-]+)/g)) read.add(m[1]) });
        dropped = 0;
        eachRule(tree, r => {
            const decls = splitTop(r.body, ";");
            const kept = decls.filter(d => !/^\s*--[\w-]+\s*:/.test(d) || read.has(d.match(/--[\w-]+/)[0]));
            dropped += decls.length - kept.length;
            r.body = kept.join(";");
        });
    }
    const text = list => list.map(b => {
        if (b.raw !== undefined)
            return b.raw;
        if (b.children) {
            const inner = text(b.children);
            return inner ? `${b.prelude}{${inner}}` : "";
        }
        return b.prelude && (b.body.trim() || b.prelude.startsWith("@")) ? `${b.prelude}{${b.body}}` : "";
    }).join("");
    return text(tree);
}

async function pruneDist() {
    const cssFile = path.join(dist, "index.css");
    const js = fs.readFileSync(path.join(dist, "index.js"), "utf8");
    const named = NEVER_APPLIED.filter(c => new RegExp(`${c}(?![\\w-])`).test(js));
    if (named.length)
        throw new Error(`build.js prunes the CSS of ${named.join(", ")}, which the page's JS now names: take them off NEVER_APPLIED`);
    const pruned = pruneCss(fs.readFileSync(cssFile, "utf8"), js);
    fs.writeFileSync(cssFile, (await esbuild.transform(pruned, { loader: "css", minify: true })).code);
}

// Bytes per part of the bundle (minified; gzip shrinks each part by about the ratio of the whole).
function printAnalysis(metafile) {
    for (const [file, out] of Object.entries(metafile.outputs)) {
        if (!/\.(js|css)$/.test(file))
            continue;
        const parts = {};
        for (const [input, { bytesInOutput }] of Object.entries(out.inputs)) {
            const m = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)/);
            let part = m ? m[1] : input.split("/").slice(0, 2).join("/");
            if (m && m[1].startsWith("@patternfly/react-"))
                part += "/" + (m[2].match(/(?:components|layouts|helpers|icons)\/([^/]+)/)?.[1] ?? "other");
            parts[part] = (parts[part] || 0) + bytesInOutput;
        }
        const gz = zlib.gzipSync(fs.readFileSync(file), { level: 9 }).length;
        console.log(`${path.relative(root, file)}: ${out.bytes} bytes, ${gz} gzipped, before pruning; bytes, ≈ gzipped:`);
        for (const [part, bytes] of Object.entries(parts).sort((a, b) => b[1] - a[1]).slice(0, 25))
            console.log(`${String(bytes).padStart(9)} ${String(Math.round(bytes * gz / out.bytes)).padStart(7)}  ${part}`);
    }
}

function writeStatic() {
    fs.mkdirSync(dist, { recursive: true });
    fs.copyFileSync(path.join(root, "src", "index.html"), path.join(dist, "index.html"));
    fs.copyFileSync(path.join(root, "manifest.json"), path.join(dist, "manifest.json"));
    po.writePot(root);
    for (const lang of po.languages(root)) {
        fs.writeFileSync(path.join(dist, `po.${lang}.js`), po.compile(root, lang, "src"));
        fs.writeFileSync(path.join(dist, `po.manifest.${lang}.js`), po.compile(root, lang, "manifest"));
    }
}

function gzipAll() {
    let total = 0;
    for (const f of fs.readdirSync(dist)) {
        if (!/\.(js|css|html)$/.test(f) || f === "index.html")
            continue;
        const file = path.join(dist, f);
        const gz = zlib.gzipSync(fs.readFileSync(file), { level: 9 });
        fs.writeFileSync(file + ".gz", gz);
        fs.unlinkSync(file);
        if (f === "index.js" || f === "index.css")
            total += gz.length;
    }
    console.log(`dist/index.js + dist/index.css gzipped: ${total} bytes (budget ${BUDGET})`);
    if (total > BUDGET) {
        console.error(`the bundle is ${total - BUDGET} bytes over its budget: see docs/performance.md, "Bundle"`);
        process.exitCode = 1;
    }
}

const options = {
    entryPoints: [path.join(root, "src", "index.tsx")],
    bundle: true,
    outdir: dist,
    entryNames: "index",
    minify: production,
    sourcemap: production ? false : "linked",
    target: ["es2020"],
    loader: { ".svg": "dataurl", ".sh": "text" },
    jsx: "automatic", // as tsconfig.json says; src/ui/Tooltip.tsx, reached from PatternFly's files, needs it said here
    legalComments: "external",
    define: { "process.env.NODE_ENV": JSON.stringify(production ? "production" : "development") },
    metafile: true,
    plugins: [cockpitFonts, stubs, {
        name: "static-files",
        setup(build) {
            build.onEnd(result => {
                if (result.errors.length)
                    return;
                try {
                    writeStatic();
                } catch (e) {
                    console.error(e.message);
                    if (!watch)
                        process.exitCode = 1;
                }
                console.log(`built dist/ (${production ? "production" : "development"})`);
            });
        },
    }],
    logLevel: "warning",
};

async function main() {
    fs.rmSync(dist, { recursive: true, force: true });
    if (watch) {
        const ctx = await esbuild.context(options);
        await ctx.watch();
        console.log("watching src/ …");
        return;
    }
    const result = await esbuild.build(options);
    if (analyze)
        printAnalysis(result.metafile);
    // PatternFly moved an import: its Tooltip, and Popper with it, would come back unnoticed (stubs above)
    const swapped = Object.keys(result.metafile.inputs).filter(f => /react-core\/dist\/esm\/(components\/Tooltip\/Tooltip|helpers\/Popper\/Popper)\.js$/.test(f));
    if (swapped.length)
        throw new Error(`${swapped.join(", ")} is bundled: build.js no longer gives PatternFly src/ui/Tooltip.tsx`);
    if (production && !process.exitCode) {
        await pruneDist();
        gzipAll();
    }
}

main().catch(e => { console.error(e.message); process.exit(1) });
