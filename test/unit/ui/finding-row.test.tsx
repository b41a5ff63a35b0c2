/**
 * @jest-environment jsdom
 */
/*
 * One row component for every finding (src/ui/status/FindingRow.tsx): the status page's checks, the wizard's VM
 * checks, the verification and the VF re-check. The ids and data attributes the browser tests read, and the body in
 * the order each page always showed it.
 */
import { act } from "react";
import { FindingRow, checkRowId } from "../../../src/ui/status/FindingRow";
import type { CheckDef, Finding } from "../../../src/checks/types";
import { ev } from "../checks/fixtures";
import { rootPerTest } from "./dom-root";

const dom = rootPerTest();

const expand = (li: Element) => act(() => { (li.querySelector("button") as HTMLButtonElement).click() });
const texts = (li: Element) => [...li.querySelectorAll(".pf-v6-c-expandable-section__content > *")]
    .map(e => `${e.tagName.toLowerCase()}:${e.textContent}`);

test("a status check: id vfm-check-<host>-<check>, verdict attributes, summary, what, why, fix, evidence", () => {
    const def: CheckDef<unknown> = {
        id: "iommu-kernel", group: "kernel", title: "IOMMU on", description: "The kernel has the IOMMU on.", why: "VFIO needs it.",
        evaluate: () => { throw new Error("not called") },
    };
    act(() => dom.root.render(<ul><FindingRow id={checkRowId("source", def.id)} check={def}
        finding={{ id: "iommu-kernel", verdict: "fail", summary: "intel_iommu=on missing", details: [],
                   evidence: [ev(["cat", "/proc/cmdline"], "ro\n")], fix: { kind: "manual", text: "Add it." } }} /></ul>));
    const li = dom.container.querySelector("#vfm-check-source-iommu-kernel") as Element;
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

test("a wizard finding: the caller's id, details after the summary, its fix, pending while unknown", () => {
    const finding: Finding = { id: "cpu", title: "CPU", verdict: "fail", summary: "not accepted", details: ["line 1"], evidence: [],
                               fix: { kind: "manual", text: "Pick another CPU model." } };
    act(() => dom.root.render(<ul>
        <FindingRow id="vfm-vmcheck-cpu" check={finding} finding={finding} />
        <FindingRow id="vfm-vmcheck-storage" check={{ id: "storage", title: "Storage" }} finding={null} />
    </ul>));
    const li = dom.container.querySelector("#vfm-vmcheck-cpu") as Element;
    expect(li.getAttribute("data-check")).toBe("cpu");
    expect(li.getAttribute("data-verdict")).toBe("fail");
    expect(li.textContent).toContain("Failed");
    expand(li);
    expect(texts(li)).toEqual(["p:not accepted", "ul:line 1", "strong:Fix", "p:Pick another CPU model."]);
    const pending = dom.container.querySelector("#vfm-vmcheck-storage") as Element;
    expect(pending.getAttribute("data-verdict")).toBe("pending");
    expect(pending.textContent).toContain("Checking…");
});
