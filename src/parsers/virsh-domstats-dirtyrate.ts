/**
 * `virsh domstats <vm> --dirtyrate`: "Domain: 'name'" then "  dirtyrate.<key>=<value>" lines.
 * calc_status 0 unstarted, 1 measuring, 2 measured; megabytes_per_second only once measured.
 * Measure before the VF is attached: with a Mellanox VF the figure covers guest RAM only.
 */
import { fail, failWhole, Line, requireContent, uint } from "./common";

export interface DirtyRate {
    domain?: string;
    status: "unstarted" | "measuring" | "measured";
    calcStatus: number;
    calcStartTime?: number;
    calcPeriod?: number;
    calcMode?: string;
    megabytesPerSecond?: number;
    /** dirtyrate.vcpu.<n>.megabytes_per_second (dirty-ring mode). */
    vcpuMegabytesPerSecond: Record<number, number>;
}

const STATUS = ["unstarted", "measuring", "measured"] as const;

export function parseDirtyRate(text: string): DirtyRate {
    const v: Record<string, [string, Line]> = {};
    let domain: string | undefined;
    const vcpu: Record<number, number> = {};
    for (const line of requireContent(text)) {
        const d = /^Domain: '(.*)'$/.exec(line.text.trim());
        if (d) {
            if (domain !== undefined || Object.keys(v).length > 0)
                fail(line, "more than one domain");
            domain = d[1];
            continue;
        }
        const m = /^\s*dirtyrate\.([a-z0-9_.]+)=(.*)$/.exec(line.text);
        if (!m)
            fail(line, 'expected "dirtyrate.<key>=<value>"');
        const cpu = /^vcpu\.([0-9]+)\.megabytes_per_second$/.exec(m[1]);
        if (cpu) {
            vcpu[Number(cpu[1])] = uint(m[2], line, m[1]);
            continue;
        }
        if (!["calc_status", "calc_start_time", "calc_period", "calc_mode", "megabytes_per_second"].includes(m[1]))
            fail(line, `unknown key dirtyrate.${m[1]}`);
        if (m[1] in v)
            fail(line, `dirtyrate.${m[1]} appears twice`);
        v[m[1]] = [m[2], line];
    }
    if (!v.calc_status)
        failWhole("no dirtyrate.calc_status line");
    const num = (k: string) => uint(v[k][0], v[k][1], `dirtyrate.${k}`);
    const calcStatus = num("calc_status");
    if (calcStatus > 2)
        fail(v.calc_status[1], `unknown calc_status ${calcStatus}`);
    const out: DirtyRate = { status: STATUS[calcStatus], calcStatus, vcpuMegabytesPerSecond: vcpu };
    if (domain !== undefined) out.domain = domain;
    if (v.calc_start_time) out.calcStartTime = num("calc_start_time");
    if (v.calc_period) out.calcPeriod = num("calc_period");
    if (v.calc_mode) out.calcMode = v.calc_mode[0];
    if (v.megabytes_per_second) out.megabytesPerSecond = num("megabytes_per_second");
    return out;
}
