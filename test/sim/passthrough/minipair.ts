/*
 * Two throwaway hosts for the passthrough tests (test/simhost/passthrough/testbed/minihost): each a private
 * net+mount namespace with libvirtd (preload library in) and a sysfs with PF 0000:e1:00.0 and VFs 0000:e1:00.1-7,
 * joined by a veth pair 192.0.2.1 <-> 192.0.2.2. Independent of the full simulator's host pair.
 * stop() ends every process of both namespaces by PID (minihost down).
 */
import type { OneCopyWatch } from "../../lib/one-copy";
import { spawnSync } from "child_process";
import fs from "fs";
import os from "os";
import path from "path";

export const PASSTHROUGH = path.resolve(__dirname, "../../simhost/passthrough");
export const WRAPPER = path.join(PASSTHROUGH, "qemu-vf-wrapper");
const MINIHOST = path.join(PASSTHROUGH, "testbed", "minihost");

export interface Result { status: number | null; stdout: string; stderr: string }

export function run(argv: string[], env?: NodeJS.ProcessEnv): Result {
    const r = spawnSync(argv[0], argv.slice(1), { encoding: "utf8", env: env ?? process.env, timeout: 120000 });
    return { status: r.status, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
}

function must(argv: string[], env?: NodeJS.ProcessEnv): string {
    const r = run(argv, env);
    if (r.status !== 0)
        throw new Error(`${argv.join(" ")} failed (${r.status}): ${r.stderr}`);
    return r.stdout;
}

/** PCI source address element of a VF 0000:e1:00.N */
export function vfSource(fn: number): string {
    return `<address type='pci' domain='0x0000' bus='0xe1' slot='0x00' function='0x${fn}'/>`;
}

export function hostdevInterface(fn: number, mac: string): string {
    return `<interface type='hostdev' managed='yes'>
  <mac address='${mac}'/>
  <source>
    ${vfSource(fn)}
  </source>
</interface>
`;
}

/** A diskless SeaBIOS guest on the wrapper; `ballast` (a file) is loaded into its RAM to make migrations last. */
export function domainXml(name: string, devices: string, ballast?: string): string {
    const extra = ballast
        ? `<qemu:commandline><qemu:arg value='-device'/><qemu:arg value='loader,file=${ballast},addr=0x2000000'/></qemu:commandline>`
        : "";
    return `<domain type='qemu' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>
  <name>${name}</name>
  <memory unit='MiB'>64</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
  <features><acpi/></features>
  <devices>
    <emulator>${WRAPPER}</emulator>
    ${devices}
    <memballoon model='none'/>
  </devices>
  ${extra}
</domain>
`;
}

export class MiniHost {
    readonly dir: string;
    pid = 0;

    constructor(readonly label: string, readonly ip: string, readonly hw: boolean) {
        this.dir = fs.mkdtempSync(path.join(os.tmpdir(), `vfsim-pt-${label}-`));
    }

    start(uuid: string, cache: string): void {
        const env = { ...process.env, VFSIM_MINIHOST_HW: this.hw ? "1" : "" };
        this.pid = Number(must([MINIHOST, "up", this.dir, uuid, cache], env).trim());
    }

    stop(): void {
        run([MINIHOST, "down", this.dir]);
        fs.rmSync(this.dir, { recursive: true, force: true });
    }

    /** URI another host's virsh uses to reach this libvirtd (its socket, through /proc). */
    get uri(): string {
        return `qemu+unix:///system?socket=/proc/${this.pid}/root/run/libvirt/libvirt-sock`;
    }

    virsh(...args: string[]): Result {
        return run(["nsenter", "-t", String(this.pid), "-m", "-n", "virsh", "-c", "qemu:///system", ...args]);
    }

    virshOk(...args: string[]): string {
        const r = this.virsh(...args);
        if (r.status !== 0)
            throw new Error(`virsh ${args.join(" ")} on ${this.label}: ${r.stderr}`);
        return r.stdout;
    }

    /** The driver a PCI function is bound to, as the host's sysfs shows it ("" if none). */
    driver(bdf: string): string {
        const r = run(["nsenter", "-t", String(this.pid), "-m", "readlink", `/sys/bus/pci/devices/${bdf}/driver`]);
        return path.basename(r.stdout.trim());
    }

    /** A file inside the host's mount namespace (its private /run). */
    read(file: string): string {
        return must(["nsenter", "-t", String(this.pid), "-m", "cat", file]);
    }

    write(name: string, text: string): string {
        const file = path.join(this.dir, name);
        fs.writeFileSync(file, text);
        return file;
    }

    /** The NICs QEMU gives the guest: [{id, mac}] from `info network`. */
    guestNics(vm: string): { id: string; model: string; mac: string }[] {
        const out = this.virshOk("qemu-monitor-command", vm, "--hmp", "info network");
        return [...out.matchAll(/^(\S+): index=\d+,type=nic,model=([\w-]+),macaddr=([0-9a-f:]+)/gm)]
            .map(m => ({ id: m[1], model: m[2], mac: m[3] }));
    }

    /** What the PF reports for VF n (`ip link show <pf>`: vf n link/ether MAC), as recorded by the preload. */
    vfMac(n: number): string {
        try {
            return JSON.parse(this.read(`/run/vfsim-host/vfnet/enp225s0np0_vf${n}`)).mac;
        } catch {
            return "00:00:00:00:00:00";
        }
    }
}

/** hw: the hardware simulator's FUSE sysfs (test/simhost/hw), where binding follows libvirt's writes;
 * else a static sysfs with the drivers pre-bound. */
export class MiniPair {
    readonly a: MiniHost;
    readonly b: MiniHost;
    readonly cache = fs.mkdtempSync(path.join(os.tmpdir(), "vfsim-pt-cache-"));

    constructor(hw: boolean) {
        this.a = new MiniHost("a", "192.0.2.1", hw);
        this.b = new MiniHost("b", "192.0.2.2", hw);
    }

    start(): void {
        this.a.start("5a3e2c6d-0000-4000-8000-0000000000a1", this.cache);
        this.b.start("5a3e2c6d-0000-4000-8000-0000000000b2", this.cache);
        must(["ip", "link", "add", "vfsimpta", "netns", String(this.a.pid), "type", "veth",
            "peer", "name", "vfsimptb", "netns", String(this.b.pid)]);
        for (const [h, dev] of [[this.a, "vfsimpta"], [this.b, "vfsimptb"]] as const) {
            must(["nsenter", "-t", String(h.pid), "-n", "ip", "addr", "add", `${h.ip}/24`, "dev", dev]);
            must(["nsenter", "-t", String(h.pid), "-n", "ip", "link", "set", dev, "up"]);
        }
    }

    stop(): void {
        this.a.stop();
        this.b.stop();
        fs.rmSync(this.cache, { recursive: true, force: true });
    }

    /** Both hosts, for the one-copy watch of the named VMs' migrations (test/lib/one-copy.js). */
    watch(...vms: string[]): OneCopyWatch {
        const on = (h: MiniHost) => ["nsenter", "-t", String(h.pid), "-m", "-n"];
        return { vms, hosts: { a: on(this.a), b: on(this.b) } };
    }
}
