/**
 * @jest-environment jsdom
 */
/*
 * The evacuation's rows as the admin reads them (src/ui/evacuate/EvacuationRunView.tsx): a VM that libvirt has
 * moved while its departure is being noted says "Finishing", already runs on the destination, offers no Cancel,
 * and the run is not shown finished until it says "Moved".
 */
import { act } from "react";
import { EvacuationRunView } from "../../../src/ui/evacuate/EvacuationRunView";
import type { EvacuationState, RowState, RowStatus } from "../../../src/session/evacuation-run";
import type { EvacuationRow } from "../../../src/migration/evacuation-plan";
import { initialProgress } from "../../../src/migration/progress";
import { rootPerTest } from "./dom-root";

const dom = rootPerTest();

const row = (vm: string, status: RowStatus, percent = 40): RowState => ({
    row: { vm, sourceVf: "0000:e1:00.1", sourcePort: "0000:e1:00.0", destinationVf: "0000:c1:00.1", destinationPort: "0000:c1:00.0", memoryMiB: 128 } satisfies EvacuationRow,
    status, progress: { ...initialProgress().view, percent }, error: null, startedAt: 1000, endedAt: status === "moved" ? 9000 : null,
});

function render(state: EvacuationState) {
    act(() => dom.root.render(<EvacuationRunView state={state} destination="rhel-dst" limit={2} attached={false}
        onResume={() => {}} onAbortOne={async () => {}} onAbortAll={async () => []} onClear={() => {}} backUrl="https://rhel-dst:9090/x" />));
    const cells = (vm: string) => [...dom.container.querySelectorAll(`#vfm-evacuation-row-${vm} td`)].map(td => td.textContent);
    return { cells, abortAll: dom.container.querySelector("#vfm-evacuation-abort-all"), back: dom.container.querySelector("#vfm-evacuation-back") };
}

test("finishing: on the destination at 100 %, no Cancel; the run is not over, and Cancel all stays for the one migrating", () => {
    const v = render({ phase: "running", halted: null, started: true, rows: [row("guest1", "finishing", 99), row("guest2", "running")] });
    const [vm, state, , runsOn, , , actions] = v.cells("guest1");
    expect([vm, state, runsOn, actions]).toEqual(["guest1", "Finishing", "rhel-dst, on VF 0000:c1:00.1", ""]);
    expect(dom.container.querySelector("#vfm-evacuation-row-guest1 [role='progressbar']")?.getAttribute("aria-valuenow")).toBe("100");
    expect(v.cells("guest2")[6]).toBe("Cancel");
    expect(v.abortAll).not.toBeNull();
    expect(v.back).toBeNull();
});

test("only finishing rows left: no Cancel all, and no report's way back until each says Moved", () => {
    let v = render({ phase: "running", halted: null, started: true, rows: [row("guest1", "moved", 100), row("guest2", "finishing", 100)] });
    expect(v.abortAll).toBeNull();
    expect(v.back).toBeNull();
    v = render({ phase: "finished", halted: null, started: true, rows: [row("guest1", "moved", 100), row("guest2", "moved", 100)] });
    expect(v.cells("guest2")[1]).toBe("Moved");
    expect(v.back).not.toBeNull();
});
