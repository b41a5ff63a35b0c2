/*
 * Unit tests run without cockpit.js: install a minimal stand-in so that modules calling _() at load time work.
 * Tests that need spawn/dbus install test/unit/fake-cockpit.ts over it.
 */
import { setCockpit, type CockpitApi } from "../../src/lib/cockpit";

const fmt = (t: string, ...args: (string | number)[]) => t.replace(/\$([0-9]+)/g, (_m, i) => String(args[Number(i)] ?? ""));

setCockpit({
    gettext: (a: string, b?: string) => b ?? a,
    ngettext: (one: string, many: string, n: number) => n === 1 ? one : many,
    format: fmt,
} as unknown as CockpitApi);

// jsdom (the views' tests) lacks the TextEncoder every browser Cockpit supports has; the page uses it to count bytes
if (typeof globalThis.TextEncoder === "undefined")
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    Object.assign(globalThis, { TextEncoder: require("util").TextEncoder, TextDecoder: require("util").TextDecoder });
