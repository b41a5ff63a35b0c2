/*
 * The fake tools in the form the product reads: each command built by the product's own argv builders
 * (src/host/commands), its output parsed by the product's own parser (src/parsers), next to the real sample parsed
 * by that same parser. The JSON forms (`devlink -j`) have no real capture for `dev info` and `port show`: their fake
 * JSON must say what their fake text says, and that text is compared with the real text sample (here and in
 * tools.test.ts). test/simhost/hw/README.md lists, per tool and form, the sample each is checked against.
 */
import { HwHost, sample, scenarioHost } from "./hwhost";
import { afterCommand, section } from "../../unit/parsers/samples";
import { parse, type Tool, type ToolValues } from "../../../src/parsers";
import { devlinkDevInfo, devlinkEswitchShow, devlinkPortMigratable, devlinkPortShow } from "../../../src/host/commands/devlink";
import { mstconfigQuery, mstconfigSet, mstfwresetReset } from "../../../src/host/commands/mst";
import { lspciMellanox } from "../../../src/host/commands/system";
import { DevlinkPort, PciAddress } from "../../../src/host/values";

const PF = PciAddress.of("0000:e1:00.0");

function parsed<T extends Tool>(tool: T, text: string): ToolValues[T] {
    const r = parse(tool, text) as { ok: true; value: ToolValues[T] } | { ok: false; error: unknown };
    if (!r.ok)
        throw new Error(`${tool}: the product's parser refused ${JSON.stringify(text.slice(0, 200))}: ${JSON.stringify(r.error)}`);
    return r.value;
}

const keys = (o: object | undefined) => Object.keys(o ?? {}).sort();

describe("the fake tools, read as the product reads them, against the real samples", () => {
    const host = new HwHost();
    const run = (argv: readonly string[], stdin?: string) => host.run([...argv], stdin);

    beforeAll(() => host.start(scenarioHost("ready-pair", "source")));
    afterAll(() => host.stop());

    test("devlink -j dev eswitch show: its JSON says what its text says, with the real text's fields and the real JSON's keys", () => {
        const json = parsed("devlink-eswitch", run(devlinkEswitchShow(PF)).stdout).devices;
        const text = parsed("devlink-eswitch", run(["devlink", "dev", "eswitch", "show", `pci/${PF}`]).stdout).devices;
        expect(json).toEqual(text);
        const realText = parsed("devlink-eswitch", afterCommand("devlink-eswitch-show.txt", "$ devlink dev eswitch show pci/0000:08:00.0")).devices[0];
        expect(keys(json[0])).toEqual(keys(realText));
        // the real JSON (a shape quoted from netplan, mode alone): its keys are among the fake's
        const realJson = parsed("devlink-eswitch", sample("devlink-eswitch-show.json")).devices[0];
        expect(keys(json[0])).toEqual(expect.arrayContaining(keys(realJson)));
        expect(json[0].mode).toBe("switchdev");
    });

    test("lspci -D -nn -d 15b3: the real ConnectX-7 line's fields, and the VFs as the kernel names them (before the firmware reset below removes them)", () => {
        const fake = parsed("lspci", run(lspciMellanox()).stdout).devices;
        const realLine = sample("lspci-sysfs-connectx7.txt").split("\n").find(l => l.startsWith("0000:01:00.0 Ethernet")) ?? "";
        const real = parsed("lspci", `${realLine}\n`).devices[0];
        const pf = fake.find(d => d.address === "0000:e1:00.0");
        expect(keys(pf)).toEqual(keys(real));
        expect([pf?.vendorId, pf?.deviceId, pf?.name]).toEqual([real.vendorId, real.deviceId, real.name]);
        expect(fake.filter(d => d.deviceId === "101e").length).toBeGreaterThan(0);
    });

    test("devlink -j dev info: its JSON says what its text says, and the facts the product reads are where the real text has them", () => {
        const json = parsed("devlink-dev-info", run(devlinkDevInfo(PF)).stdout).devices;
        const text = parsed("devlink-dev-info", run(["devlink", "dev", "info", `pci/${PF}`]).stdout).devices;
        expect(json).toEqual(text);
        const real = parsed("devlink-dev-info", afterCommand("devlink-dev-info.txt", "$ devlink dev info pci/0000:00:06.0")).devices[0];
        for (const g of ["fixed", "running", "stored"] as const)
            expect(Object.keys(json[0].versions[g]).length > 0).toBe(Object.keys(real.versions[g]).length > 0);
        expect(json[0].driver).toBe("mlx5_core");
        expect(json[0].versions.fixed["fw.psid"]).toBe("MT_0000000838");
        expect(json[0].versions.running["fw.version"]).toBe("28.43.1014");
    });

    test("devlink -j port show: its JSON says what its text says; no field the real tool does not print, none of the real uplink's and VF's missing", () => {
        const json = parsed("devlink-port", run(devlinkPortShow()).stdout).ports;
        const text = parsed("devlink-port", run(["devlink", "port", "show"]).stdout).ports;
        expect(json).toEqual(text);
        const real = [
            ...[0, 1, 2, 3].flatMap(n => parsed("devlink-port", afterCommand("devlink-port-show.txt", "$ devlink port show pci/0000:06:00.0/2", n)).ports),
            ...parsed("devlink-port", afterCommand("devlink-port-show.txt", "$ devlink port show", 0)).ports,
            ...parsed("devlink-port", afterCommand("devlink-port-show.txt", "$ devlink port show", 1)).ports,
            ...parsed("devlink-port", afterCommand("devlink-port-show.txt", "$ devlink port show ens2f0npf0sf88")).ports,
        ];
        const realKeys = new Set(real.flatMap(p => keys(p)));
        const realFunctionKeys = new Set(real.flatMap(p => keys(p.function)));
        for (const p of json) {
            expect([p.handle, keys(p).filter(k => !realKeys.has(k))]).toEqual([p.handle, []]);
            expect([p.handle, keys(p.function).filter(k => !realFunctionKeys.has(k))]).toEqual([p.handle, []]);
        }
        for (const flavour of ["physical", "pcivf"] as const) {
            const want = real.find(p => p.flavour === flavour);
            const got = json.find(p => p.flavour === flavour);
            expect([flavour, keys(got)]).toEqual([flavour, expect.arrayContaining(keys(want))]);
        }
        // one port, by its handle, as the steps ask for it
        expect(parsed("devlink-port", run(devlinkPortShow(DevlinkPort.of(`pci/${PF}/1`))).stdout).ports.map(p => p.vfnum)).toEqual([0]);
    });

    test("devlink port function set migratable on a VF with a driver: the kernel's message, classified as the real strings are", () => {
        host.sh("echo 0000:e1:00.1 > /sys/bus/pci/drivers_probe");
        try {
            const r = run(devlinkPortMigratable(DevlinkPort.of(`pci/${PF}/1`), false));
            expect(r.status).toBe(1);
            const fake = parsed("devlink-errors", r.stderr);
            const realMessages = sample("devlink-port-function-set-errors.txt").split("\n")
                .filter(l => l !== "" && !l.startsWith("#")).map(l => l.split(/\s{2,}/)[0]);
            expect(realMessages).toContain(fake.message);
            expect(fake.kind).not.toBe("invalid-argument");
        } finally {
            host.sh("echo 0000:e1:00.1 > /sys/bus/pci/drivers/mlx5_core/unbind");
        }
    });

    test("mstconfig -e query: the real sample's device fields and columns, for the parameters the product reads", () => {
        const fake = parsed("mstconfig-query-e", run(mstconfigQuery(PF)).stdout);
        const real = parsed("mstconfig-query-e", section("mstconfig-query-e.txt", "# Older mstflint (2019"));
        if (fake.kind !== "query-e" || real.kind !== "query-e")
            throw new Error(`not a query: ${fake.kind} / ${real.kind}`);
        expect(keys(fake.device)).toEqual(keys(real.device));
        const column = keys(Object.values(real.params)[0]);
        const names = sample("mstconfig-query.txt");
        for (const name of ["VF_MIGRATION_MODE", "SRIOV_EN", "NUM_OF_VFS", "LINK_TYPE_P1"]) {
            expect([name, keys(fake.params[name])]).toEqual([name, column]);
            // the name as the real tool prints it (the RHEL 9.4 sample of `mstconfig query`)
            expect(names).toMatch(new RegExp(`^\\s+${name}\\s`, "m"));
        }
    });

    test("mstconfig -y set: read as the real transcript is (changes, the answer, the outcome)", () => {
        const fake = parsed("mstconfig-set", run(mstconfigSet(PF, [{ key: "NUM_OF_VFS", value: 4 }])).stdout);
        const real = parsed("mstconfig-set", afterCommand("mstconfig-set.txt", "# mstconfig -d 5e:00.0 set SRIOV_EN=1 NUM_OF_VFS=8"));
        expect(fake.outcome).toBe(real.outcome);
        expect(keys(fake)).toEqual(keys(real));
        expect(fake.changes.map(c => [c.name, keys(c)])).toEqual([["NUM_OF_VFS", keys(real.changes[0])]]);
    });

    test("mstfwreset -y reset: read as the real mlxfwreset transcript is (level, steps, success)", () => {
        const fake = parsed("mstfwreset", run(mstfwresetReset(PF)).stdout);
        const real = parsed("mstfwreset", afterCommand("mlxfwreset.txt", "sh-5.1# mlxfwreset -d /dev/mst/mt4129_pciconf0 reset -y"));
        expect(keys(fake)).toEqual(keys(real));
        expect(fake.success).toBe(true);
        expect(fake.steps.map(s => s.text)).toEqual(real.steps.map(s => s.text));
    });
});
