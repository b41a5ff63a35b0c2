/* Running a step: commands in order, stop at the first failure with the tool's own words, every result kept. */
import { readFileSync } from "fs";
import path from "path";
import type { Argv } from "../../../src/host/argv";
import { type CommandResult, type HostTransport, type RunOptions, TransportError, writeSysfsVia } from "../../../src/host/transport";
import type { SysfsPath, SysfsValue } from "../../../src/host/values";
import { type RunEvent, runStep, stepById, undoStep } from "../../../src/steps";
import type { StepDef } from "../../../src/steps/types";
import { ctxOf, facts, freshNic, k, nic, vf } from "./fixtures";

import { FORMATS } from "../parsers/samples";
/** Real `devlink dev eswitch set` failure text (shared/formats/devlink-eswitch-set-errors.txt, case a). */
const BUSY = readFileSync(path.join(FORMATS, "devlink-eswitch-set-errors.txt"), "utf8")
        .split("\n").filter(l => /^(Error: mlx5_core: Can't change mode|kernel answers: Device or resource busy)/.test(l)).join("\n") + "\n";

type Answer = Partial<CommandResult> | Error;

class FakeTransport implements HostTransport {
    readonly host = "rhel-dst.example.test";
    calls: { argv: string[]; options: RunOptions }[] = [];
    constructor(private answer: (argv: string[], input?: string) => Answer = () => ({})) {}
    async run(argv: Argv, options: RunOptions = {}): Promise<CommandResult> {
        this.calls.push({ argv: [...argv], options });
        const a = this.answer([...argv], options.input);
        if (a instanceof Error)
            throw a;
        return { host: this.host, argv: [...argv], stdout: "", stderr: "", exitStatus: 0, durationMs: 1, startedAt: 0, wire: [...argv], ...a };
    }
    writeSysfs(p: SysfsPath, v: SysfsValue): Promise<CommandResult> {
        return writeSysfsVia(this, p, v);
    }
    probe(): never {
        throw new Error("no probe");
    }
    async close() {}
}

const step = (id: string): StepDef => stepById(id) as StepDef;
const withVfs = ctxOf(facts({ nics: k([nic({ eswitchMode: k("legacy"), vfs: [vf(0, { driver: "mlx5_core" })] })]) }));

describe("running a step", () => {
    test("commands run in order as root, journaled; a sysfs value goes on stdin to tee; events for each", async () => {
        const t = new FakeTransport();
        const events: RunEvent[] = [];
        const run = await runStep(t, step("eswitch-switchdev"), withVfs, { onOutput: e => events.push(e) });
        expect(run.ok).toBe(true);
        expect(t.calls.map(c => c.argv)).toEqual([
            ["tee", "--", "/sys/bus/pci/devices/0000:e1:00.0/sriov_numvfs"],
            ["devlink", "dev", "eswitch", "set", "pci/0000:e1:00.0", "mode", "switchdev"]]);
        expect(t.calls[0].options).toEqual(expect.objectContaining({ input: "0\n", superuser: true, changes: true }));
        expect(t.calls[1].options).toEqual(expect.objectContaining({ superuser: true, changes: true, timeoutMs: 120_000 }));
        expect(events.map(e => e.type)).toEqual(["start", "done", "start", "done"]);
        expect(run.results).toHaveLength(2);
        expect(run.commands).toEqual(["echo 0 | tee -- /sys/bus/pci/devices/0000:e1:00.0/sriov_numvfs", "devlink dev eswitch set pci/0000:e1:00.0 mode switchdev"]);
    });

    test("a failing tool stops the run; the StepRun carries its stderr, and the commands after it never ran", async () => {
        const t = new FakeTransport(argv => (argv[0] === "devlink" ? { exitStatus: 1, stderr: BUSY } : {}));
        const s = step("ovs-bridge-pf");
        // a two-command step whose first command fails
        const failFirst = new FakeTransport(argv => (argv[3] === "add-br" || argv[2] === "add-br" ? { exitStatus: 1, stderr: "ovs-vsctl: unix:/var/run/openvswitch/db.sock: database connection failed (No such file or directory)\n" } : {}));
        const noBridge = ctxOf(facts({ ovs: k({ running: true, otherConfig: {}, bridges: {}, version: null }) }));
        const r1 = await runStep(failFirst, s, noBridge);
        expect(r1).toEqual(expect.objectContaining({ ok: false, failure: { index: 0, kind: "exit", message: "Open vSwitch's database does not answer: is openvswitch.service running?\n" +
            "ovs-vsctl: unix:/var/run/openvswitch/db.sock: database connection failed (No such file or directory)" } }));
        expect(failFirst.calls).toHaveLength(1);

        const r2 = await runStep(t, step("eswitch-switchdev"), withVfs);
        expect(r2.ok).toBe(false);
        expect(r2.failure).toEqual({ index: 1, kind: "exit", message: "The e-switch is in use (offload rules, tc filters, Open vSwitch ports): remove the representors from Open vSwitch\n" +
            "Error: mlx5_core: Can't change mode, E-Switch is busy.\nkernel answers: Device or resource busy" });
        expect(r2.results[1].stderr).toBe(BUSY);
    });

    test("a transport failure ends the run with its message and the tool's detail", async () => {
        const t = new FakeTransport(() => new TransportError("timeout", "rhel-dst", "“mstfwreset” on rhel-dst did not finish within 300 seconds and was stopped", ["mstfwreset"], "-I- Sending Reset Command To Fw"));
        const ctx = ctxOf(facts({ nics: k([nic({ params: freshNic().params })]) }));
        const r = await runStep(t, step("firmware-reset"), ctx);
        expect(r.failure).toEqual({ index: 0, kind: "transport", message: "“mstfwreset” on rhel-dst did not finish within 300 seconds and was stopped\n-I- Sending Reset Command To Fw" });
    });

    test("a guarded step does not run; an override runs it only where the guard offers one", async () => {
        const t = new FakeTransport();
        const mgmt = ctxOf(facts({ managementInterfaces: k(["enp225s0np0"]), nics: k([freshNic()]) }));
        const refused = await runStep(t, step("eswitch-switchdev"), mgmt);
        expect(refused).toEqual(expect.objectContaining({ ok: false, results: [] }));
        expect(refused.failure?.kind).toBe("guard");
        expect(t.calls).toEqual([]);
        expect((await runStep(t, step("eswitch-switchdev"), mgmt, { override: true })).ok).toBe(true);
        const vms = ctxOf(facts(), "source", {}, ["guest1"]);
        expect((await runStep(t, step("reboot"), vms, { override: true })).failure?.message).toMatch(/^VMs run on this host \(guest1\)/);
    });

    test("cancelled before a command: it does not run", async () => {
        const ac = new AbortController();
        const t = new FakeTransport(() => { ac.abort(); return {}; });
        const r = await runStep(t, step("eswitch-switchdev"), withVfs, { signal: ac.signal });
        expect(r.failure).toEqual(expect.objectContaining({ index: 1, kind: "cancelled" }));
        expect(t.calls).toHaveLength(1);
    });

    test("install: through the PackageKit installer when given (with progress), else dnf -y install over the transport", async () => {
        const t = new FakeTransport();
        const ctx = ctxOf(facts({ packages: k({}) }));
        const progress: RunEvent[] = [];
        const installer = {
            install: jest.fn(async (names: string[], o: { onProgress?: (p: { percent: number | null; status: string; packages: string[]; cancellable: boolean }) => void }) => {
                o.onProgress?.({ percent: 50, status: "downloading", packages: ["mstflint;4.28.0-1.el9;x86_64;appstream"], cancellable: true });
                return { host: "localhost", argv: ["PackageKit", "InstallPackages", ...names], stdout: "", stderr: "", exitStatus: 0, durationMs: 1, startedAt: 0, wire: [] };
            }),
        };
        const r = await runStep(t, step("install-mstflint"), ctx, { installer, onOutput: e => progress.push(e) });
        expect(r.ok).toBe(true);
        expect(installer.install).toHaveBeenCalledWith(["mstflint"], expect.anything());
        expect(progress).toContainEqual(expect.objectContaining({ type: "progress", percent: 50, status: "downloading", cancellable: true }));
        expect(t.calls).toEqual([]);
        await runStep(t, step("install-mstflint"), ctx);
        expect(t.calls[0].argv).toEqual(["dnf", "-y", "install", "mstflint"]);
    });

    test("undo runs the undo commands; a step without undo says why", async () => {
        const t = new FakeTransport();
        const r = await undoStep(t, step("create-vfs"), withVfs);
        expect(r).toEqual(expect.objectContaining({ ok: true, mode: "undo" }));
        expect(t.calls[0].options.input).toBe("0\n");
        const none = await undoStep(t, step("reboot"), withVfs);
        expect(none.failure).toEqual({ index: 0, kind: "guard", message: "A reboot cannot be undone." });
    });

    test("undoing switchdev while the PF is still in a bridge runs nothing and says which undo comes first", async () => {
        const t = new FakeTransport();
        const inBridge = (bridges: Record<string, string[]>) => ctxOf(facts({
            nics: k([nic({ eswitchMode: k("switchdev"), vfs: [vf(0, { driver: "mlx5_core" })] })]),
            ovs: k({ running: true, otherConfig: { "hw-offload": "true" }, bridges, version: "3.3.0" }),
        }));
        const r = await undoStep(t, step("eswitch-switchdev"), inBridge({ br0: ["enp225s0np0", "eth1"] }));
        expect(r.ok).toBe(false);
        expect(r.failure).toEqual({ index: 0, kind: "guard", message:
            "enp225s0np0 is still in Open vSwitch bridge br0, and the adapter refuses to leave switchdev mode while it is: undo “Put the PF in an Open vSwitch bridge” first." });
        expect(t.calls).toHaveLength(0);
        // once the PF is out of the bridge, the undo runs: the VFs go, then the mode
        const out = await undoStep(t, step("eswitch-switchdev"), inBridge({ br0: ["eth1"] }));
        expect(out.ok).toBe(true);
        expect(t.calls.map(c => c.argv.join(" ")).at(-1)).toBe("devlink dev eswitch set pci/0000:e1:00.0 mode legacy");
    });
});
