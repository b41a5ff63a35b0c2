/*
 * The dirty-page rate (src/migration/dirty-rate.ts): a measurement begun when the admin chose the VM serves the
 * checks that follow within DIRTY_RATE_FRESH_MS, once (QEMU asked once); "Check again" measures anew; a measurement
 * under way is joined; one that gave no rate is never kept.
 */
import { DIRTY_RATE_FRESH_MS, DIRTY_RATE_SECONDS, measureDirtyRate } from "../../../src/migration/dirty-rate";
import { VmName } from "../../../src/host/values";
import type { HostTransport } from "../../../src/host/transport";
import { fakeTransport, type Answer } from "../session/fake-transport";
import { measureAhead } from "../../../src/session/vms";

const VM = VmName.of("rhel9-vf");
// virsh 11.3 on the simulated pair (test/simhost): `domstats --dirtyrate` once QEMU has measured, and before
const MEASURED = "Domain: 'rhel9-vf'\n  dirtyrate.calc_status=2\n  dirtyrate.calc_start_time=100\n  dirtyrate.calc_period=3\n"
    + "  dirtyrate.calc_mode=page-sampling\n  dirtyrate.megabytes_per_second=7\n\n";
const MEASURING = "Domain: 'rhel9-vf'\n  dirtyrate.calc_status=1\n  dirtyrate.calc_start_time=100\n  dirtyrate.calc_period=3\n"
    + "  dirtyrate.calc_mode=page-sampling\n\n";
// virsh-domain.c cmdDomDirtyRateCalc
const STARTED = { stdout: "Start to calculate domain's memory dirty rate successfully.\n" };

function host(o: { calc?: () => Answer; stats?: string } = {}) {
    return fakeTransport("localhost", line => {
        if (line.includes(" domdirtyrate-calc "))
            return o.calc ? o.calc() : STARTED;
        if (line.includes(" domstats --dirtyrate "))
            return { stdout: o.stats ?? MEASURED };
        return undefined;
    });
}
const calcs = (t: { runs: string[] }) => t.runs.filter(l => l.includes(" domdirtyrate-calc ")).length;
const SECONDS = DIRTY_RATE_SECONDS * 1000;

let clock = 1_000_000;
const now = () => clock;
beforeEach(() => {
    jest.useFakeTimers();
    clock = 1_000_000;
});
afterEach(() => jest.useRealTimers());

test("begun when the VM was chosen: the checks within the window take it once, a second run of the checks measures anew", async () => {
    const t = host();
    const chosen = measureDirtyRate(t, VM, { ahead: true, now });
    await jest.advanceTimersByTimeAsync(SECONDS);
    await expect(chosen).resolves.toMatchObject({ rate: 7, period: 3, startedAt: 1_000_000, ahead: true });
    expect((await chosen).evidence).toHaveLength(2);
    clock += DIRTY_RATE_FRESH_MS - 1_000;
    // the VM chosen again (the list reloaded): still that one
    expect(await measureDirtyRate(t, VM, { ahead: true, now })).toBe(await chosen);
    expect(await measureDirtyRate(t, VM, { now })).toBe(await chosen);
    expect(calcs(t)).toBe(1);
    // "Check again": the admin may have lowered the VM's load meanwhile
    const again = measureDirtyRate(t, VM, { now });
    await jest.advanceTimersByTimeAsync(SECONDS);
    await expect(again).resolves.toMatchObject({ startedAt: clock, ahead: false });
    expect(calcs(t)).toBe(2);
    // nor does a measurement of the checks' own serve the next checks
    const third = measureDirtyRate(t, VM, { now });
    await jest.advanceTimersByTimeAsync(SECONDS);
    await third;
    expect(calcs(t)).toBe(3);
});

test("one under way is joined: QEMU refuses a second meanwhile", async () => {
    const t = host();
    const chosen = measureDirtyRate(t, VM, { ahead: true, now });
    clock += 1_000;
    const checks = measureDirtyRate(t, VM, { now });
    await jest.advanceTimersByTimeAsync(SECONDS);
    expect(await checks).toBe(await chosen);
    expect(calcs(t)).toBe(1);
    // joined by the checks, it served them: the next checks measure anew
    void measureDirtyRate(t, VM, { now });
    expect(calcs(t)).toBe(2);
});

test("checks that join it under way after it served others read it as their own; a choice after the checks' own measures anew", async () => {
    const t = host();
    void measureDirtyRate(t, VM, { ahead: true, now });
    const first = measureDirtyRate(t, VM, { now });
    const second = measureDirtyRate(t, VM, { now });
    await jest.advanceTimersByTimeAsync(SECONDS);
    expect([(await first).ahead, (await second).ahead, (await second).rate]).toEqual([true, false, 7]);
    expect(calcs(t)).toBe(1);
    // the checks' own measurement is not the admin's choice: choosing the VM again begins one
    const own = measureDirtyRate(t, VM, { now });
    await jest.advanceTimersByTimeAsync(SECONDS);
    await own;
    void measureDirtyRate(t, VM, { ahead: true, now });
    expect(calcs(t)).toBe(3);
});

test("begun when the VM was chosen more than the window before the checks: measured again", async () => {
    const t = host();
    const chosen = measureDirtyRate(t, VM, { ahead: true, now });
    await jest.advanceTimersByTimeAsync(SECONDS);
    await chosen;
    clock += DIRTY_RATE_FRESH_MS;
    const checks = measureDirtyRate(t, VM, { now });
    await jest.advanceTimersByTimeAsync(SECONDS);
    await expect(checks).resolves.toMatchObject({ rate: 7, startedAt: 1_000_000 + DIRTY_RATE_FRESH_MS });
    expect(calcs(t)).toBe(2);
});

test("a refusal is said with libvirt's words and not kept: the checks ask QEMU again", async () => {
    // libvirt's words for a VM that is not running (src/conf/domain_conf.c, virDomainObjCheckActive)
    const t = host({ calc: () => ({ exit: 1, stderr: "error: Requested operation is not valid: domain is not running\n" }) });
    const r = await measureDirtyRate(t, VM, { ahead: true, now });
    expect(r.rate).toBeUndefined();
    expect(r.error).toBe("The dirty-page rate could not be measured: error: Requested operation is not valid: domain is not running");
    await measureDirtyRate(t, VM, { now });
    expect(calcs(t)).toBe(2);
});

test("QEMU never done within a minute: no rate, with the last answer as evidence, and not kept", async () => {
    const t = host({ stats: MEASURING });
    const r = measureDirtyRate(t, VM, { ahead: true, now });
    await jest.advanceTimersByTimeAsync(SECONDS + 60_000);
    const got = await r;
    expect(got.error).toBe("libvirt gave no dirty-page rate");
    expect(got.evidence).toHaveLength(2);
    void measureDirtyRate(t, VM, { now });
    expect(calcs(t)).toBe(2);
});

test("a command that could not be run (the transport failed): the measurement rejects, and the next one asks again", async () => {
    const base = host();
    let fail = true;
    const t: HostTransport = { ...base, run: (argv, o) => (fail ? Promise.reject(new Error("channel closed")) : base.run(argv, o)) };
    const chosen = measureDirtyRate(t, VM, { ahead: true, now });
    const joined = measureDirtyRate(t, VM, { now });
    await expect(chosen).rejects.toThrow("channel closed");
    await expect(joined).rejects.toThrow("channel closed");
    fail = false;
    const next = measureDirtyRate(t, VM, { now });
    await jest.advanceTimersByTimeAsync(SECONDS);
    await expect(next).resolves.toMatchObject({ rate: 7 });
});

test("another host's measurement of a VM of the same name is its own", async () => {
    const a = host();
    const b = host();
    const pa = measureDirtyRate(a, VM, { ahead: true });
    const pb = measureDirtyRate(b, VM);
    await jest.advanceTimersByTimeAsync(SECONDS);
    await Promise.all([pa, pb]);
    expect([calcs(a), calcs(b)]).toEqual([1, 1]);
});

test("the VM the admin chose is measured only when libvirt showed it with no VF and its XML was read", () => {
    const t = host();
    measureAhead(t, { name: "with-vf", vfs: [{ pci: "0000:e1:00.1", mac: "52:54:00:4d:16:01" }] });
    measureAhead(t, { name: "unread", vfs: [], problem: "GetXMLDesc failed" });
    expect(calcs(t)).toBe(0);
    measureAhead(t, { name: "rhel9-vf", vfs: [] });
    expect(t.runs).toEqual(["virsh -c qemu:///system domdirtyrate-calc --domain rhel9-vf --seconds 3"]);
});
