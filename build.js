#!/usr/bin/env node
/*
 * Builds dist/: index.js + index.css (esbuild, PatternFly 6 styles included), index.html, manifest.json,
 * po.<lang>.js and po.manifest.<lang>.js in the form Cockpit serves as po.js, and the POT of all strings.
 * `--watch` rebuilds on change; production (the default unless --dev/--watch) is minified and gzipped.
 */
const esbuild = require("esbuild");
const fs = require("fs");
const path = require("path");
const zlib = require("zlib");
const po = require("./po/po-tools.js");

const args = process.argv.slice(2);
const watch = args.includes("--watch");
const production = !watch && !args.includes("--dev");
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
    console.log(`dist/index.js + dist/index.css gzipped: ${(total / 1024).toFixed(1)} KiB (budget 350 KB)`);
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
    legalComments: "external",
    define: { "process.env.NODE_ENV": JSON.stringify(production ? "production" : "development") },
    plugins: [cockpitFonts, {
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
    await esbuild.build(options);
    if (production && !process.exitCode)
        gzipAll();
}

main().catch(e => { console.error(e.message); process.exit(1) });
