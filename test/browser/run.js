#!/usr/bin/env node
/* `npm run e2e [-- jest options]`: the browser suite alone (see test/browser/README.md). */
const { spawnSync } = require("child_process");
const path = require("path");

const root = path.join(__dirname, "..", "..");
const r = spawnSync("npx", ["jest", "-c", "test/browser/jest.config.js", ...process.argv.slice(2)],
                    { cwd: root, stdio: "inherit" });
process.exit(r.status === null ? 1 : r.status);
