/* Installing through PackageKit: what will be installed, progress, cancel, and the error text as stderr. */
import type { DBusClient } from "../../../src/lib/cockpit";
import { installPackages, resolvePackages } from "../../../src/host/packagekit";

type Handler = (path: string, iface: string, signal: string, args: unknown[]) => void;
const TX = "org.freedesktop.PackageKit.Transaction";

/** A PackageKit that answers each transaction method with scripted signals. */
class FakePk implements DBusClient {
    calls: { path: string; method: string; args: unknown[] }[] = [];
    private subs: { path?: string; cb: Handler }[] = [];
    private n = 0;
    constructor(private script: (method: string, args: unknown[], emit: (signal: string, args: unknown[], iface?: string) => void, path: string) => void) {}
    async call(path: string, _iface: string, method: string, args: unknown[] | null): Promise<unknown[]> {
        this.calls.push({ path, method, args: args ?? [] });
        if (method === "CreateTransaction")
            return [`/${++this.n}`];
        const emit = (signal: string, a: unknown[], iface = TX) =>
            this.subs.filter(s => !s.path || s.path === path).forEach(s => s.cb(path, iface, signal, a));
        setTimeout(() => this.script(method, args ?? [], emit, path), 0);
        return [];
    }
    subscribe(match: { path?: string }, cb: Handler) {
        const s = { path: match.path, cb };
        this.subs.push(s);
        return { remove: () => { this.subs = this.subs.filter(x => x !== s) } };
    }
    close() {}
}

const MST = "mstflint;4.28.0-1.el9;x86_64;rhel-9-for-x86_64-appstream-rpms";
const OVS = "openvswitch3.3;3.3.0-49.el9fdp;x86_64;fast-datapath-for-rhel-9-x86_64-rpms";

function offering(extra: (m: string, a: unknown[], emit: (s: string, a: unknown[], i?: string) => void) => void) {
    return new FakePk((method, args, emit) => {
        if (method === "Resolve") {
            if ((args[1] as string[]).includes("mstflint"))
                emit("Package", [2, MST, "Firmware burning and diagnostics tools"]);
            emit("Finished", [1, 10]);
        } else if (method === "SearchNames") {
            emit("Package", [2, "openvswitch3.1;3.1.0-1.el9fdp;x86_64;fdp", "Open vSwitch"]);
            emit("Package", [2, OVS, "Open vSwitch"]);
            emit("Finished", [1, 10]);
        } else
            extra(method, args, emit);
    });
}

describe("PackageKit", () => {
    test("resolves names to what will be installed; openvswitch to the newest openvswitchN.M offered", async () => {
        const pk = offering(() => {});
        const found = await resolvePackages(["mstflint", "openvswitch"], pk);
        expect(found.map(c => c.id)).toEqual([MST, OVS]);
        expect(pk.calls.filter(c => c.method === "SearchNames")[0].args[1]).toEqual(["openvswitch"]);
    });

    test("installs with progress; the result reads like a command's", async () => {
        const pk = offering((m, _a, emit) => {
            if (m !== "InstallPackages")
                return;
            emit("PropertiesChanged", [TX, { Status: { v: 8 }, Percentage: { v: 25 }, AllowCancel: { v: true } }, []], "org.freedesktop.DBus.Properties");
            emit("Package", [12, MST, "Firmware burning and diagnostics tools"]);
            emit("Finished", [1, 2000]);
        });
        const progress: unknown[] = [];
        const r = await installPackages(["mstflint"], { client: pk, onProgress: p => progress.push(p) });
        expect(r).toEqual(expect.objectContaining({ exitStatus: 0, argv: ["PackageKit", "InstallPackages", MST], stderr: "" }));
        expect(r.stdout).toBe(`downloading 25 %\n${MST} Firmware burning and diagnostics tools`);
        expect(progress).toEqual([{ percent: 25, status: "downloading", cancellable: true, packages: [MST] }]);
        expect(pk.calls.find(c => c.method === "InstallPackages")?.args).toEqual([2, [MST]]);
    });

    test("a failed install carries PackageKit's error text; nothing offered says so", async () => {
        const pk = offering((m, _a, emit) => {
            if (m === "InstallPackages") {
                emit("ErrorCode", [58, "Error: Transaction failed: mstflint scriptlet"]);
                emit("Finished", [2, 10]);
            }
        });
        expect(await installPackages(["mstflint"], { client: pk })).toEqual(expect.objectContaining({ exitStatus: 1, stderr: "Error: Transaction failed: mstflint scriptlet" }));
        const none = new FakePk((_m, _a, emit) => emit("Finished", [1, 1]));
        expect(await installPackages(["mstflint"], { client: none })).toEqual(expect.objectContaining({ exitStatus: 1, stderr: "No repository offers mstflint" }));
    });

    test("cancel: PackageKit's Cancel is called and the result says cancelled", async () => {
        const ac = new AbortController();
        const pk = offering((m, _a, emit) => {
            if (m === "InstallPackages")
                setTimeout(() => ac.abort(), 0);
            if (m === "Cancel") {
                emit("ErrorCode", [17, "The task was stopped successfully"]);
                emit("Finished", [3, 10]);
            }
        });
        const r = await installPackages(["mstflint"], { client: pk, signal: ac.signal });
        expect(pk.calls.map(c => c.method)).toContain("Cancel");
        expect(r).toEqual(expect.objectContaining({ exitStatus: 130, stderr: "The task was stopped successfully" }));
    });
});
