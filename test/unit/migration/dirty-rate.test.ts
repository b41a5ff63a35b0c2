/*
 * The dirty-page rate (src/migration/dirty-rate.ts): a measurement begun when the admin chose the VM serves the Checks
 * stage that asks within DIRTY_RATE_FRESH_MS (QEMU asked once); an older one, or one that gave no rate, is made again.
 */
import { DIRTY_RATE_FRESH_MS, DIRTY_RATE_SECONDS, measureDirtyRate } from "../../../src/migration/dirty-rate";
import { VmName } from "../../../src/host/values";
import { fakeTransport, type Answer } from "../session/fake-transport";

const VM = VmName.of("rhel9-vf");
// virsh 11.3's words on the simulated pair (test/simhost), as `virsh domstats --dirtyrate` prints them once measured
const MEASURED = "Domain: 'rhel9-vf'\n  dirtyrate.calc_status=2\n  dirtyrate.calc_start_time=100\n  dirtyrate.calc_period=3\n"
    + "  dirtyrate.calc_mode=page-sampling\n  dirtyrate.megabytes_per_second=7\n\n";

// virsh-domain.c cmdDomDirtyRateCalc
function host(calc: Answer = { stdout: "Start to calculate domain's memory dirty rate successfully.\n" }) {
    return fakeTransport("localhost", line => {
        if (line.includes(" domdirtyrate-calc "))
            return calc;
        if (line.includes(" domstats --dirtyrate "))
            return { stdout: MEASURED };
        return undefined;
    });
}
const calcs = (t: { runs: string[] }) => t.runs.filter(l => l.includes(" domdirtyrate-calc ")).length;

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

test("asked again while measuring and within the freshness window: QEMU is asked once, both get its figure", async () => {
    const t = host();
    let clock = 1_000_000;
    const now = () => clock;
    const first = measureDirtyRate(t, VM, now);
    clock += 1_000;
    const second = measureDirtyRate(t, VM, now);
    await jest.advanceTimersByTimeAsync(DIRTY_RATE_SECONDS * 1000);
    await expect(first).resolves.toMatchObject({ rate: 7, period: 3, startedAt: 1_000_000 });
    expect(await second).toBe(await first);
    clock += DIRTY_RATE_FRESH_MS - 2_000;
    await expect(measureDirtyRate(t, VM, now)).resolves.toMatchObject({ startedAt: 1_000_000 });
    expect(calcs(t)).toBe(1);
    // the evidence is the commands QEMU was asked with
    expect((await first).evidence).toHaveLength(2);
});

test("a measurement older than the window is made again", async () => {
    const t = host();
    let clock = 1_000_000;
    const now = () => clock;
    const first = measureDirtyRate(t, VM, now);
    await jest.advanceTimersByTimeAsync(DIRTY_RATE_SECONDS * 1000);
    await first;
    clock += DIRTY_RATE_FRESH_MS;
    const again = measureDirtyRate(t, VM, now);
    await jest.advanceTimersByTimeAsync(DIRTY_RATE_SECONDS * 1000);
    await expect(again).resolves.toMatchObject({ rate: 7, startedAt: 1_000_000 + DIRTY_RATE_FRESH_MS });
    expect(calcs(t)).toBe(2);
});

test("a refusal is said with libvirt's words and not kept: the next asks QEMU again", async () => {
    // libvirt's words for a VM that is not running (src/qemu/qemu_driver.c, virDomainObjCheckActive)
    const t = host({ exit: 1, stderr: "error: Requested operation is not valid: domain is not running\n" });
    const now = () => 5_000;
    const r = await measureDirtyRate(t, VM, now);
    expect(r.rate).toBeUndefined();
    expect(r.error).toBe("The dirty-page rate could not be measured: error: Requested operation is not valid: domain is not running");
    await measureDirtyRate(t, VM, now);
    expect(calcs(t)).toBe(2);
});

test("another host's measurement of a VM of the same name is its own", async () => {
    const a = host();
    const b = host();
    const pa = measureDirtyRate(a, VM);
    const pb = measureDirtyRate(b, VM);
    await jest.advanceTimersByTimeAsync(DIRTY_RATE_SECONDS * 1000);
    await Promise.all([pa, pb]);
    expect([calcs(a), calcs(b)]).toEqual([1, 1]);
});
