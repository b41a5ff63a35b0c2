/*
 * The VM's dirty-page rate on this host: `virsh domdirtyrate-calc`, then `virsh domstats --dirtyrate` until QEMU has
 * measured. It takes DIRTY_RATE_SECONDS and can only be made while no VF is attached.
 */
import { _, format } from "../lib/cockpit";
import type { Evidence } from "../checks/types";
import { virshDirtyRateCalc, virshDomStatsDirtyRate } from "../host/commands/virsh";
import type { HostTransport } from "../host/transport";
import { VmName } from "../host/values";
import { parse } from "../parsers";
import { commandEvidence } from "./evidence";

export const DIRTY_RATE_SECONDS = 3;
/** how long a measurement begun when the admin chose the VM serves the checks that follow */
export const DIRTY_RATE_FRESH_MS = 30_000;

export interface DirtyRateReading {
    /** MiB/s; undefined when QEMU gave none (`error` says why) */
    rate?: number;
    /** the seconds it was measured over (another tool's measurement, joined, has its own) */
    period: number;
    /** when the measurement began (ms since the epoch) */
    startedAt: number;
    /** begun when the admin chose the VM, and served to these checks as such */
    ahead: boolean;
    error?: string;
    evidence: Evidence[];
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

async function measure(local: HostTransport, vm: VmName, startedAt: number, ahead: boolean): Promise<DirtyRateReading> {
    const evidence: Evidence[] = [];
    const calc = await local.run(virshDirtyRateCalc(vm, DIRTY_RATE_SECONDS), { superuser: true });
    evidence.push(commandEvidence(calc, [calc.stdout.trim() || calc.stderr.trim()]));
    // QEMU runs one measurement per VM: a second one (another tool's, or a page that measured before this one) is
    // refused with "the dirty rate is already being measured"; the one under way gives the same figure
    if (calc.exitStatus !== 0 && !/dirty rate is already being measured/.test(calc.stderr))
        return { period: DIRTY_RATE_SECONDS, startedAt, ahead, evidence, error: format(_("The dirty-page rate could not be measured: $0"), calc.stderr.trim()) };
    await sleep(DIRTY_RATE_SECONDS * 1000);
    // a measurement joined may be another tool's, over its own period (at most 60 s)
    let period = DIRTY_RATE_SECONDS;
    for (let n = 0; n < 60; n++) {
        const stats = await local.run(virshDomStatsDirtyRate(vm), { superuser: true });
        const p = parse("virsh-domstats-dirtyrate", stats.stdout);
        if (p.ok && p.value.status === "measured") {
            period = p.value.calcPeriod ?? period;
            evidence.push(commandEvidence(stats, stats.stdout.split("\n").filter(l => /calc_status|megabytes_per_second/.test(l)).map(l => l.trim())));
            return { rate: p.value.megabytesPerSecond, period, startedAt, ahead, evidence };
        }
        if (n === 59 || !p.ok) {
            evidence.push(commandEvidence(stats));
            break;
        }
        await sleep(1000);
    }
    return { period, startedAt, ahead, evidence, error: _("libvirt gave no dirty-page rate") };
}

interface Kept { at: number; ahead: boolean; done: boolean; reading: Promise<DirtyRateReading> }
const kept = new WeakMap<HostTransport, Map<string, Kept>>();

/**
 * The VM's rate. A measurement under way is joined (QEMU refuses a second one meanwhile). With `ahead` (the admin
 * chose the VM) a new one begins unless one begun ahead is less than DIRTY_RATE_FRESH_MS old; without (the checks),
 * such a one serves once, and any later checks ("Check again") measure anew. One that gave no rate is not kept.
 */
export function measureDirtyRate(local: HostTransport, vm: VmName, { ahead = false, now = Date.now }: { ahead?: boolean; now?: () => number } = {}):
    Promise<DirtyRateReading> {
    let byVm = kept.get(local);
    if (!byVm) {
        byVm = new Map();
        kept.set(local, byVm);
    }
    const known = byVm.get(vm);
    if (known && (!known.done || (known.ahead && now() - known.at < DIRTY_RATE_FRESH_MS))) {
        const served = known.ahead;
        known.ahead &&= ahead;
        // checks that join it after it served others read it as their own
        return ahead ? known.reading : known.reading.then(r => (r.ahead === served ? r : { ...r, ahead: served }));
    }
    const at = now();
    const entry: Kept = { at, ahead, done: false, reading: measure(local, vm, at, ahead) };
    const drop = () => { if (byVm.get(vm) === entry) byVm.delete(vm) };
    entry.reading.then(r => { entry.done = true; if (r.rate === undefined) drop() }, drop);
    byVm.set(vm, entry);
    return entry.reading;
}
