import { _, format } from "../../lib/cockpit";
import type { ProgressPoint } from "../../migration/progress";
import { bytes, duration, rate } from "./MigrateText";

const W = 480;
const H = 120;
const PAD = 4;

/** Points of one series scaled to the box; missing values are skipped. */
function line(points: readonly ProgressPoint[], pick: (p: ProgressPoint) => number | undefined, t0: number, t1: number, max: number): string {
    const span = Math.max(1, t1 - t0);
    return points.flatMap(p => {
        const v = pick(p);
        if (v === undefined)
            return [];
        const x = PAD + (W - 2 * PAD) * (p.elapsedMs - t0) / span;
        const y = H - PAD - (H - 2 * PAD) * (max > 0 ? v / max : 0);
        return [`${x.toFixed(1)},${y.toFixed(1)}`];
    }).join(" ");
}

/**
 * Remaining data and transfer rate over the migration's time, each on its own scale (drawn by hand: an SVG with
 * two polylines, no charting library). The remaining data climbs back at each new pass over the dirtied memory.
 */
export function MigrateStageChart({ history }: { history: readonly ProgressPoint[] }) {
    if (history.length < 2)
        return null;
    const t0 = history[0].elapsedMs;
    const t1 = history[history.length - 1].elapsedMs;
    const maxRemaining = Math.max(0, ...history.map(p => p.remainingBytes ?? 0));
    const maxRate = Math.max(0, ...history.map(p => Math.max(p.transferBps ?? 0, p.dirtyBps ?? 0)));
    const label = format(_("Remaining data (up to $0) and transfer rate (up to $1) over $2"), bytes(maxRemaining), rate(maxRate), duration(t1 - t0));
    return (
        <figure id="vfm-migrate-chart" data-points={history.length}>
            <svg viewBox={`0 0 ${W} ${H}`} width="100%" height={H} role="img" aria-label={label} preserveAspectRatio="none">
                <rect x="0" y="0" width={W} height={H} fill="none" stroke="#d2d2d2" />
                <polyline id="vfm-migrate-chart-remaining" points={line(history, p => p.remainingBytes, t0, t1, maxRemaining)}
                          fill="none" stroke="#0066cc" strokeWidth="2" />
                <polyline id="vfm-migrate-chart-rate" points={line(history, p => p.transferBps, t0, t1, maxRate)}
                          fill="none" stroke="#3e8635" strokeWidth="2" strokeDasharray="6 3" />
                <polyline id="vfm-migrate-chart-dirty" points={line(history, p => p.dirtyBps, t0, t1, maxRate)}
                          fill="none" stroke="#c9190b" strokeWidth="1" strokeDasharray="2 2" />
            </svg>
            <figcaption>
                {format(_("Solid blue: remaining data (top = $0). Dashed green: transfer rate; dotted red: dirty rate (top = $1). Time: $2."),
                        bytes(maxRemaining), rate(maxRate), duration(t1 - t0))}
            </figcaption>
        </figure>
    );
}
