/*
 * The systemd stand-in answers what Cockpit 337's own pages ask on load (services/README.md, "What Cockpit asks"):
 * the failed-unit count every page shows through the preloaded Services frame, the Services list and its filters,
 * and the unit properties its details view reads.
 */
import { Host, unitPath } from "./host";

const SD = "org.freedesktop.systemd1";
const MANAGER = `${SD}.Manager`;
const OBJ = "/org/freedesktop/systemd1";

describe("systemd stand-in, as Cockpit's pages call it", () => {
    let host: Host;

    /** A Manager call as busctl shows it: the reply's D-Bus signature and its data. */
    const call = (method: string, ...args: string[]): { type: string; data: unknown[] } => {
        const out = host.ok(["busctl", `--address=${host.address}`, "--json=short", "call", SD, OBJ, MANAGER, method,
                             ...args]);
        const reply = out.trim() ? JSON.parse(out) : { type: "", data: [] };
        return { type: reply.type, data: reply.data[0] };
    };
    const ids = (rows: unknown[]) => (rows as string[][]).map(r => r[0]);

    beforeAll(async () => {
        host = new Host({
            services: {
                units: {
                    "libvirtd.service": "failed disabled",
                    "nfs-server.service": "inactive masked",
                    "dnf-makecache.timer": "active enabled",
                },
            },
        });
        await host.start();
    });

    afterAll(async () => {
        await host.stop();
    });

    test("the bridge finds every method Cockpit calls in the Manager's introspection, with systemd's signatures", () => {
        const [xml] = host.busctl(["call", SD, OBJ, "org.freedesktop.DBus.Introspectable", "Introspect"]) as string[];
        const args = (method: string) => {
            const body = new RegExp(`<method name="${method}">([\\s\\S]*?)</method>`).exec(xml)?.[1] ?? "";
            return [...body.matchAll(/<arg direction="(in|out)"\s+type="([^"]+)"/g)].map(m => `${m[1]} ${m[2]}`);
        };
        expect(args("ListUnitsFiltered")).toEqual(["in as", "out a(ssssssouso)"]);
        expect(args("ListUnitsByPatterns")).toEqual(["in as", "in as", "out a(ssssssouso)"]);
        expect(args("ListUnitFilesByPatterns")).toEqual(["in as", "in as", "out a(ss)"]);
        expect(args("ResetFailedUnit")).toEqual(["in s"]);
        for (const m of ["Subscribe", "ListUnits", "ListUnitFiles", "LoadUnit", "StartUnit", "Reload"])
            expect(xml).toContain(`<method name="${m}">`);
    });

    test("ListUnitsFiltered([failed]) gives the failed unit the shell counts as '1 service has failed'", () => {
        const r = call("ListUnitsFiltered", "as", "1", "failed");
        expect(r.type).toBe("a(ssssssouso)");
        expect(r.data).toEqual([[
            "libvirtd.service", "libvirt legacy monolithic daemon", "loaded", "failed", "failed", "",
            unitPath("libvirtd.service"), 0, "", "/",
        ]]);
        // a state matches the load, active or sub state, as systemd's; no state: every unit
        expect(ids(call("ListUnitsFiltered", "as", "1", "masked").data)).toEqual(["nfs-server.service"]);
        expect(ids(call("ListUnitsFiltered", "as", "1", "listening").data))
                .toEqual(["virtproxyd-tls.socket", "virtqemud.socket"]);
        expect(call("ListUnitsFiltered", "as", "0").data).toHaveLength(ids(call("ListUnits").data).length);
    });

    test("ListUnitsByPatterns filters by state and by glob, as the Services page's search shows them", () => {
        const r = call("ListUnitsByPatterns", "asas", "1", "active", "2", "virt*", "*.timer");
        expect(r.type).toBe("a(ssssssouso)");
        expect(ids(r.data)).toEqual(["dnf-makecache.timer", "virtproxyd-tls.socket", "virtqemud.service",
                                     "virtqemud.socket"]);
        expect(ids(call("ListUnitsByPatterns", "asas", "2", "inactive", "failed", "1", "*d.service").data))
                .toEqual(["libvirtd.service"]);
        expect(call("ListUnitsByPatterns", "asas", "0", "1", "nope*").data).toEqual([]);
    });

    test("ListUnitFilesByPatterns gives unit files by enablement and glob", () => {
        const r = call("ListUnitFilesByPatterns", "asas", "1", "enabled", "1", "*.socket");
        expect(r.type).toBe("a(ss)");
        expect(r.data).toEqual([
            ["/usr/lib/systemd/system/virtproxyd-tls.socket", "enabled"],
            ["/usr/lib/systemd/system/virtqemud.socket", "enabled"],
        ]);
        expect(call("ListUnitFilesByPatterns", "asas", "2", "masked", "static", "0").data).toEqual([
            ["/usr/lib/systemd/system/nfs-server.service", "masked"],
            ["/usr/lib/systemd/system/packagekit.service", "static"],
        ]);
    });

    test("a unit's details carry what Cockpit's details view lists: what it triggers and why it did not load", () => {
        const unit = (name: string) => host.busctl(["call", SD, unitPath(name), "org.freedesktop.DBus.Properties",
                                                    "GetAll", "s", `${SD}.Unit`]) as Record<string, { data: unknown }>[];
        const tls = unit("virtproxyd-tls.socket")[0];
        expect(tls.Triggers.data).toEqual(["virtproxyd.service"]);
        expect(tls.Requires.data).toEqual([]);
        expect(tls.Conditions.data).toEqual([]);
        expect(tls.LoadError.data).toEqual(["", ""]);
        expect(unit("virtqemud.service")[0].TriggeredBy.data).toEqual(["virtqemud.socket"]);

        host.busctl(["call", SD, OBJ, MANAGER, "LoadUnit", "s", "nope.service"]);
        const nope = unit("nope.service")[0];
        expect(nope.LoadState.data).toBe("not-found");
        expect(nope.LoadError.data).toEqual(["org.freedesktop.systemd1.NoSuchUnit", "Unit nope.service not found."]);
        // systemd gives a unit its type's interface even when it did not load (Cockpit's service proxy waits on it)
        expect(host.property(SD, unitPath("nope.service"), `${SD}.Service`, "MainPID")).toBe(0);
    });

    test("a timer has the properties the Timers tab reads; memory is 'not set' where the host has no figure", () => {
        const timer = host.property(SD, unitPath("dnf-makecache.timer"), `${SD}.Timer`, "LastTriggerUSec");
        expect(timer).toBe(0);
        expect(host.property(SD, unitPath("dnf-makecache.timer"), `${SD}.Timer`, "NextElapseUSecRealtime")).toBe(0);
        expect(host.property(SD, unitPath("dnf-makecache.timer"), `${SD}.Timer`, "Unit")).toBe("dnf-makecache.service");
        expect(host.property(SD, unitPath("dnf-makecache.timer"), `${SD}.Unit`, "SubState")).toBe("waiting");
        // 2^64-1 ("[not set]"), which Cockpit shows as no figure; JSON gives it as the nearest double
        expect(host.property(SD, unitPath("sshd.service"), `${SD}.Service`, "MemoryCurrent")).toBe(2 ** 64);
    });

    test("the Manager reports the failed unit as a degraded system, and ResetFailedUnit clears it", () => {
        expect(host.property(SD, OBJ, MANAGER, "NFailedUnits")).toBe(1);
        expect(host.property(SD, OBJ, MANAGER, "SystemState")).toBe("degraded");
        expect(host.property(SD, OBJ, MANAGER, "Tainted")).toBe("");
        expect(host.property(SD, OBJ, MANAGER, "Features")).toMatch(/^\+PAM .* default-hierarchy=unified$/);
        call("ResetFailedUnit", "s", "libvirtd.service");
        expect(host.property(SD, unitPath("libvirtd.service"), `${SD}.Unit`, "ActiveState")).toBe("inactive");
        expect(call("ListUnitsFiltered", "as", "1", "failed").data).toEqual([]);
        expect(host.property(SD, OBJ, MANAGER, "SystemState")).toBe("running");
    });
});
