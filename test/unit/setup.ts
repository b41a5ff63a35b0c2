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
