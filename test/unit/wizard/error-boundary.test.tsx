/**
 * @jest-environment jsdom
 */
/*
 * Bad host data never blanks the page: an error while a view renders (here the review's proof, a recorded run
 * without commands turned into a run inside a state updater) shows that view's error state with the message and a
 * way on; the rest of the page stays. Without a boundary, React unmounts the whole root.
 */
import { act, useState } from "react";
import { createRoot, type Root } from "react-dom/client";
import { installFakeCockpit } from "../fake-cockpit";
import { ViewErrorBoundary } from "../../../src/ui/ViewErrorBoundary";
import { runFromRecord } from "../../../src/session/run-view";

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

// a stage that throws while it renders, standing in for any stage the wizard shows
jest.mock("../../../src/ui/wizard/ChooseStage", () => ({
    ChooseStage: () => {
        throw new TypeError("Cannot read properties of undefined (reading 'map')");
    },
}));
jest.mock("../../../src/ui/HostStatusView", () => ({
    HostStatusView: () => {
        throw new RangeError("a host's data broke the status page");
    },
}));

let root: Root;
let container: HTMLElement;
beforeAll(() => { installFakeCockpit() });
beforeEach(() => {
    container = document.createElement("div");
    document.body.appendChild(container);
    root = createRoot(container);
    jest.spyOn(console, "error").mockImplementation(() => {});
});
afterEach(() => {
    act(() => root.unmount());
    container.remove();
    jest.restoreAllMocks();
});

/** A view that, on a click, puts a host's recorded step into its state through an updater (as loadProgress did). */
function RecordedRuns({ record }: { record: unknown }) {
    const [runs, setRuns] = useState<string[]>([]);
    return (
        <div>
            <button id="load" onClick={() => setRuns(rs => [...rs, runFromRecord(record as never, "rhel-dst").state])}>load</button>
            <span id="runs">{runs.join(",")}</span>
        </div>
    );
}

const click = (sel: string) => act(() => { (container.querySelector(sel) as HTMLElement).click() });

test("the review's proof: a record's step without commands throws a TypeError inside an updater, and without a boundary the page is blank", () => {
    expect(() => runFromRecord({ state: "ok" } as never, "rhel-dst")).toThrow(TypeError);
    act(() => root.render(<main><h1 id="title">VF live migration</h1><RecordedRuns record={{ state: "ok" }} /></main>));
    expect(() => click("#load")).toThrow(TypeError);
    expect(container.innerHTML).toBe("");
});

test("inside a view's boundary the same crash shows the view's error state with the message; the rest of the page stays; Reload mounts the view afresh", () => {
    act(() => root.render(
        <main>
            <h1 id="title">VF live migration</h1>
            <ViewErrorBoundary id="stage-prepare" title="Host preparation"><RecordedRuns record={{ state: "ok" }} /></ViewErrorBoundary>
        </main>));
    click("#load");
    expect(container.querySelector("#title")?.textContent).toBe("VF live migration");
    const state = container.querySelector("#vfm-view-error-stage-prepare");
    expect(state?.textContent).toContain("Host preparation could not be shown");
    expect(container.querySelector("#vfm-view-error-stage-prepare-message")?.textContent).toMatch(/^TypeError: /);
    expect(container.querySelector("#load")).toBeNull();

    click("#vfm-view-error-stage-prepare-reload");
    expect(container.querySelector("#vfm-view-error-stage-prepare")).toBeNull();
    expect(container.querySelector("#runs")?.textContent).toBe("");
});

test("the wizard: a stage that throws leaves the stepper and the wizard's buttons (Start over is a way on)", async () => {
    const { WizardView } = await import("../../../src/ui/wizard/WizardView");
    localStorage.clear();
    act(() => root.render(<WizardView />));
    expect(container.querySelector("#vfm-view-error-stage-choose-message")?.textContent)
            .toBe("TypeError: Cannot read properties of undefined (reading 'map')");
    expect(container.querySelector("#vfm-wizard-stepper")).not.toBeNull();
    expect(container.querySelector("#vfm-wizard-restart")).not.toBeNull();
});

test("the page: the status view that throws leaves the title, the tabs and the command log", async () => {
    const { App } = await import("../../../src/ui/App");
    act(() => root.render(<App />));
    expect(container.querySelector("#vfm-view-error-status-message")?.textContent).toBe("RangeError: a host's data broke the status page");
    expect(container.querySelector("#vfm-title")?.textContent).toBe("VF live migration");
    expect(container.querySelector("#vfm-views")?.textContent).toContain("Migrate a VM");
    click("#vfm-command-log-open");
    expect(document.querySelector("#vfm-command-log")).not.toBeNull();
});
