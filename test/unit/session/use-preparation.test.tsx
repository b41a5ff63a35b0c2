/**
 * @jest-environment jsdom
 */
/*
 * The stage's hooks over the session: the run's questions reach the UI as `ask` and its reply goes back to the run;
 * the hosts' records and phases are re-rendered as the models and the run change; the UI holds no loop.
 */
import { TextEncoder as NodeTextEncoder } from "util";
import { deserialize, serialize } from "v8";
import { act, type MutableRefObject } from "react";
import { createRoot, type Root } from "react-dom/client";
import type { Role } from "../../../src/checks/facts";
import { DEFAULT_OPTIONS } from "../../../src/steps";
import { usePreparation } from "../../../src/ui/usePreparation";
import { useHostModel } from "../../../src/ui/useHostModel";
import { installFakeCockpit } from "../fake-cockpit";
import { facts, k } from "../steps/fixtures";
import { FakeHostModel, ScriptedHost } from "./fake-hosts";

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
globalThis.structuredClone ??= <T,>(v: T): T => deserialize(serialize(v)) as T;
globalThis.TextEncoder ??= NodeTextEncoder as typeof TextEncoder;

type Out = { prep: ReturnType<typeof usePreparation>; source: ReturnType<typeof useHostModel> };

function Harness({ hosts, out }: { hosts: Record<Role, FakeHostModel>; out: MutableRefObject<Out | null> }) {
    const source = useHostModel(hosts.source, true);
    useHostModel(hosts.destination, true);
    out.current = { prep: usePreparation(hosts, DEFAULT_OPTIONS), source };
    return null;
}

const pair = (src: ScriptedHost) =>
    ({ source: new FakeHostModel("source", src), destination: new FakeHostModel("destination", new ScriptedHost("rhel-dst", facts())) });

let root: Root;
const out: MutableRefObject<Out | null> = { current: null };
beforeAll(() => { installFakeCockpit() });
afterEach(() => act(() => root.unmount()));

async function until(done: () => boolean) {
    for (let i = 0; i < 200 && !done(); i++)
        await act(async () => { await new Promise(r => setTimeout(r, 0)) });
    expect(done()).toBe(true);
}

test("a question is shown, answered no, and the run stops before the step; the hosts were read when the view opened", async () => {
    const src = new ScriptedHost("localhost", facts({ nextBootArgs: k(["ro"]), cmdline: k(["ro"]), iommuActive: k(false) }));
    const hosts = pair(src);
    root = createRoot(document.createElement("div"));
    act(() => root.render(<Harness hosts={hosts} out={out} />));
    await until(() => out.current?.source.facts !== null);
    expect(hosts.source.refreshes).toBe(1);
    act(() => out.current?.prep.start());
    await until(() => out.current?.prep.ask !== null);
    expect(out.current?.prep.ask).toMatchObject({ kind: "confirm", role: "source", planned: { step: { id: "iommu-kernel-args" } } });
    act(() => out.current?.prep.reply(false));
    await until(() => out.current?.prep.phase.kind === "stopped");
    expect(out.current?.prep.ask).toBeNull();
    expect(src.calls.filter(c => c.argv[0] === "grubby")).toEqual([]);
});

test("answered yes: the step runs and its live run and the host's record are rendered", async () => {
    const src = new ScriptedHost("localhost", facts({ nextBootArgs: k(["ro"]), cmdline: k(["ro"]), iommuActive: k(false) }));
    src.on.grubby = () => ({ exitStatus: 1, stderr: "grubby: no such entry" });
    const hosts = pair(src);
    root = createRoot(document.createElement("div"));
    act(() => root.render(<Harness hosts={hosts} out={out} />));
    await until(() => out.current?.source.facts !== null);
    act(() => out.current?.prep.start());
    await until(() => out.current?.prep.ask !== null);
    act(() => out.current?.prep.reply(true));
    await until(() => out.current?.prep.phase.kind === "failed");
    expect(out.current?.prep.runs.source["iommu-kernel-args"]).toMatchObject({ state: "failed", error: "grubby: no such entry" });
    expect(out.current?.prep.progress.source?.steps["iommu-kernel-args"].state).toBe("failed");
});
