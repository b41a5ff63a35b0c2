/*
 * Live migration of the real test guest between the simulated hosts, as an admin runs it with virsh: peer to peer
 * over qemu+ssh as root, no --migrateuri (each host's name resolves to its LAN address), there and back.
 */
import { withOneCopy } from "../../lib/one-copy";
import { PAIR_WATCH, lastTick, requirePair, run, runningGuests, scenarioOf, ticksAfter, trustHostKeys, virsh, Host } from "./pair";

function migrate(from: Host, to: Host): number {
    const t0 = Date.now();
    withOneCopy(PAIR_WATCH, () => virsh(from, "migrate", "--live", "--persistent", "--undefinesource", "guest1",
                                        `qemu+ssh://root@${scenarioOf(to).hostname}/system`));
    return Date.now() - t0;
}

describe("live migration between the simulated hosts", () => {
    let restoreKeys: () => void = () => undefined;

    beforeAll(async () => {
        requirePair();
        restoreKeys = trustHostKeys();
        // the guest of ready-pair runs on the source and has booted
        await ticksAfter("source", 0);
    });

    afterAll(() => {
        // leave the pair as ready-pair has it, even if a test failed half-way
        if (!runningGuests("source").includes("guest1") && runningGuests("destination").includes("guest1"))
            migrate("destination", "source");
        restoreKeys();
    });

    test("the guest runs on the source and prints its heartbeat", async () => {
        expect(runningGuests("source")).toContain("guest1");
        expect(runningGuests("destination")).not.toContain("guest1");
        await ticksAfter("source", lastTick("source"));
    });

    test("virsh migrate --live --persistent --undefinesource moves it to the destination, still running", async () => {
        const before = lastTick("source");
        migrate("source", "destination");

        expect(runningGuests("destination")).toContain("guest1");
        expect(virsh("destination", "dominfo", "guest1")).toMatch(/Persistent:\s+yes/);
        // --undefinesource: the source no longer knows the guest at all
        expect(run("source", ["virsh", "-c", "qemu:///system", "dominfo", "guest1"]).status).not.toBe(0);
        // the same guest, not a reboot: its heartbeat counts on from where it was
        const after = await ticksAfter("destination", before);
        expect(after).toBeGreaterThan(before);
        expect(after - before).toBeLessThan(120);
    });

    test("and back to the source the same way", async () => {
        const before = lastTick("destination");
        migrate("destination", "source");

        expect(runningGuests("source")).toContain("guest1");
        expect(virsh("source", "dominfo", "guest1")).toMatch(/Persistent:\s+yes/);
        expect(run("destination", ["virsh", "-c", "qemu:///system", "dominfo", "guest1"]).status).not.toBe(0);
        expect(await ticksAfter("source", before)).toBeGreaterThan(before);
    });
});
