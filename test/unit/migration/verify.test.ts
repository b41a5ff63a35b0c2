/*
 * The verification after a migration (src/migration/verify.ts) against scripted hosts: every check's verdict from
 * what the destination, this host and libvirt answer, a check whose command cannot run, and the guest agent's absence.
 */
import { runVerify, type VerifyCheck, type VerifyInput } from "../../../src/migration/verify";
import { parseMigrationForm, type MigrationOptions } from "../../../src/migration/plan";
import { FakeLibvirt } from "../session/fake-libvirt";
import { fakeTransport, type Answer } from "../session/fake-transport";
import { VF_DEST, VF_SOURCE } from "./fixtures";

const VM = "rhel9-vf";
const MAC = "52:54:00:00:00:01";
const DEST_XML = `<domain type='kvm'><name>${VM}</name><devices>
<interface type='hostdev' managed='yes'><mac address='${MAC}'/><source>
<address type='pci' domain='0x0000' bus='0x81' slot='0x00' function='0x3'/></source></interface></devices></domain>`;

function options(): MigrationOptions {
    const r = parseMigrationForm({ transport: "ssh", host: "192.0.2.2" });
    if (!r.ok) throw new Error("options");
    return r.value;
}

const DESTINATION: Record<string, Answer> = {
    [`virsh -c qemu:///system domstate --domain ${VM} --reason`]: { stdout: "running (migrated)\n" },
    [`virsh -c qemu:///system dumpxml --domain ${VM}`]: { stdout: DEST_XML },
    [`virsh -c qemu:///system dumpxml --domain ${VM} --inactive`]: { stdout: DEST_XML },
    [`readlink -f -- /sys/bus/pci/devices/${VF_DEST}/driver`]: { stdout: "/sys/bus/pci/drivers/mlx5_vfio_pci\n" },
    [`virsh -c qemu:///system domifaddr --domain ${VM} --source agent --full`]: { stdout: ` eth1   ${MAC}    ipv4   192.0.2.50/24\n` },
};

async function verify(o: { destination?: Record<string, Answer>; sourceDriver?: string; sourceStill?: boolean } = {}) {
    const libvirt = new FakeLibvirt();
    if (o.sourceStill)
        libvirt.domains.set(VM, { active: true, persistent: true, xml: DEST_XML });
    const answers = { ...DESTINATION, ...o.destination };
    const input: VerifyInput = {
        libvirt: libvirt.asClient(), vm: VM, options: options(), destinationVf: VF_DEST, sourceVf: VF_SOURCE,
        ssh: fakeTransport("root@dst", line => answers[line]),
        local: fakeTransport("localhost", line => (line === `readlink -f -- /sys/bus/pci/devices/${VF_SOURCE}/driver`
            ? { stdout: `/sys/bus/pci/drivers/${o.sourceDriver ?? "mlx5_core"}\n` } : undefined)),
    };
    const found: Partial<Record<VerifyCheck["id"], VerifyCheck>> = {};
    await runVerify(input, c => { found[c.id] = c });
    return found;
}

test("a migration that ended well: every check passes, each with its title and evidence", async () => {
    const c = await verify();
    expect(Object.fromEntries(Object.entries(c).map(([id, f]) => [id, f.verdict]))).toEqual({
        "destination-running": "pass", "source-gone": "pass", "destination-xml": "pass",
        "destination-vf-driver": "pass", "source-vf-released": "pass", "guest-interface": "pass",
    });
    expect(c["destination-running"])
        .toMatchObject({ title: "The VM runs on the destination", summary: "rhel9-vf on root@dst: running (migrated)" });
    expect(c["guest-interface"]?.summary).toBe(`The guest agent reports an interface with MAC ${MAC}`);
    expect(c["destination-xml"]?.evidence[0].command.argv.join(" ")).toBe(`virsh -c qemu:///system dumpxml --domain ${VM}`);
});

test("the VM still here, this host's VF still on mlx5_vfio_pci, no guest agent", async () => {
    const c = await verify({
        sourceStill: true, sourceDriver: "mlx5_vfio_pci",
        destination: {
            [`virsh -c qemu:///system domifaddr --domain ${VM} --source agent --full`]: { exit: 1, stderr: "error: Guest agent is not responding" },
        },
    });
    expect(c["source-gone"]).toMatchObject({ verdict: "fail", summary: "rhel9-vf still runs on this host" });
    expect(c["source-vf-released"]?.verdict).toBe("fail");
    expect(c["guest-interface"]?.verdict).toBe("warn");
    expect(c["guest-interface"]?.summary).toMatch(/no QEMU guest agent/);
});

test("a check whose command cannot run reports unknown with the error, under its own id and title", async () => {
    const stderr = "error: failed to get domain 'rhel9-vf'";
    const c = await verify({ destination: { [`virsh -c qemu:///system domstate --domain ${VM} --reason`]: { exit: 1, stderr } } });
    expect(c["destination-running"]).toMatchObject({ verdict: "fail", summary: `The destination does not know rhel9-vf: ${stderr}` });
});
