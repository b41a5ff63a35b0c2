/**
 * @jest-environment jsdom
 */
/*
 * One row component for the status page's checks and the wizard's findings (src/ui/status/FindingRow.tsx): the
 * ids and data attributes the browser tests read, and the body in the order each page always showed it.
 */
import { act } from "react";
import { createRoot, type Root } from "react-dom/client";
import { CheckRow } from "../../../src/ui/status/CheckRow";
import { FindingRow } from "../../../src/ui/status/FindingRow";
import type { CheckDef } from "../../../src/checks/types";
import type { Finding } from "../../../src/checks/finding";
import { ev } from "../checks/fixtures";

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let root: Root;
let container: HTMLElement;
beforeEach(() => {
    container = document.createElement("div");
    document.body.appendChild(container);
    root = createRoot(container);
});
afterEach(() => {
    act(() => root.unmount());
    container.remove();
});

const expand = (li: Element) => act(() => { (li.querySelector("button") as HTMLButtonElement).click() });
const texts = (li: Element) => [...li.querySelectorAll(".pf-v6-c-expandable-section__content > *")]
    .map(e => `${e.tagName.toLowerCase()}:${e.textContent}`);

test("a status check: id vfm-check-<host>-<check>, verdict attributes, summary, what, why, fix, evidence", () => {
    const def: CheckDef<unknown> = {
        id: "iommu-kernel", group: "kernel", title: "IOMMU on", description: "The kernel has the IOMMU on.", why: "VFIO needs it.",
        evaluate: () => { throw new Error("not called") },
    };
    act(() => root.render(<ul><CheckRow hostKey="source" def={def}
        result={{ id: "iommu-kernel", verdict: "fail", summary: "intel_iommu=on missing", evidence: [ev(["cat", "/proc/cmdline"], "ro\n")],
                  fix: { kind: "manual", text: "Add it." } }} /></ul>));
    const li = container.querySelector("#vfm-check-source-iommu-kernel") as Element;
    expect(li.getAttribute("data-check")).toBe("iommu-kernel");
    expect(li.getAttribute("data-verdict")).toBe("fail");
    expect(li.querySelector(".vfm-check-summary-line")?.textContent).toBe("intel_iommu=on missing");
    expand(li);
    expect(texts(li).slice(0, 6)).toEqual([
        "p:intel_iommu=on missing", "p:The kernel has the IOMMU on.", "p:Why it matters: VFIO needs it.",
        "strong:Fix", "p:Add it.", "strong:Evidence",
    ]);
    expect(li.querySelector(".vfm-check-summary-line")).toBeNull();
});

test("a wizard finding: the caller's id, details after the summary, pending while unknown", () => {
    const finding: Finding = { id: "cpu", title: "CPU", verdict: "pass", summary: "identical", details: ["line 1"], evidence: [] };
    act(() => root.render(<ul>
        <FindingRow id="vfm-vmcheck-cpu" checkId="cpu" title="CPU" finding={finding} />
        <FindingRow id="vfm-vmcheck-storage" checkId="storage" title="Storage" finding={null} />
    </ul>));
    const li = container.querySelector("#vfm-vmcheck-cpu") as Element;
    expect(li.getAttribute("data-verdict")).toBe("pass");
    expand(li);
    expect(texts(li)).toEqual(["p:identical", "ul:line 1"]);
    const pending = container.querySelector("#vfm-vmcheck-storage") as Element;
    expect(pending.getAttribute("data-verdict")).toBe("pending");
    expect(pending.textContent).toContain("Checking…");
});
