/*
 * The superuser state, asked once for the page as it starts (index.tsx), so that the first view knows whether it
 * may read the host as root without a round trip of its own; the "Limited access" switch reaches every view.
 */
import { installFakeCockpit } from "../fake-cockpit";
import type { DBusClient } from "../../../src/lib/cockpit";
import { followSuperuser, superuserNow, watchSuperuser } from "../../../src/lib/cockpit";

const fake = installFakeCockpit();
let current = "init";
let asked = 0;
const opened: string[] = [];
let changed: (() => void) | null = null;
fake.dbus = ((_name: string | null, options?: { bus?: string }) => {
    opened.push(options?.bus ?? "system");
    return {
        call: async () => { asked++; return [{ v: current }] },
        subscribe: (_m: unknown, cb: () => void) => { changed = cb; return { remove: () => {} } },
        close: () => {},
    } as unknown as DBusClient;
}) as typeof fake.dbus;
const settle = () => new Promise(r => setTimeout(r, 0));

test("asked once at the start; a view that opens after the answer knows it at once; the switch reaches every view", async () => {
    current = "any";
    expect(superuserNow()).toBeNull();
    followSuperuser();
    followSuperuser();
    await settle();
    expect(opened).toEqual(["internal"]);
    expect(asked).toBe(1);
    expect(superuserNow()).toBe(true);

    const first: (boolean | null)[] = [];
    const second: (boolean | null)[] = [];
    const off = watchSuperuser(a => first.push(a));
    watchSuperuser(a => second.push(a));
    expect(first).toEqual([true]);
    expect(second).toEqual([true]);
    expect(asked).toBe(1);

    // the admin turns administrative access off in the shell
    current = "none";
    changed?.();
    await settle();
    expect(first).toEqual([true, false]);
    expect(second).toEqual([true, false]);
    expect(superuserNow()).toBe(false);

    // a view that closed hears nothing more; "init" (the superuser bridge starting) is not yet known
    off();
    current = "init";
    changed?.();
    await settle();
    expect(first).toEqual([true, false]);
    expect(second).toEqual([true, false, null]);
});
