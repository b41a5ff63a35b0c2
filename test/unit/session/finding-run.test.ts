/* A run of findings (src/session/finding-run.ts): findings kept by id, a new run making the older one's answers stale, close. */
import type { Finding } from "../../../src/checks/types";
import { FindingRun } from "../../../src/session/finding-run";

const f = (id: string, verdict: Finding["verdict"] = "pass"): Finding =>
    ({ id, title: id, verdict, summary: id, details: [], evidence: [] });

function deferred() {
    let resolve!: () => void;
    const promise = new Promise<void>(r => { resolve = r });
    return { promise, resolve };
}

test("findings by id as they come, running until the work ends; `seen` hears each", async () => {
    const run = new FindingRun<Finding>();
    const states: boolean[] = [];
    run.subscribe(s => states.push(s.running));
    const seen: string[] = [];
    await run.run(async report => { report(f("a")); report(f("b", "fail")) }, x => seen.push(x.id));
    expect(Object.keys(run.state.findings)).toEqual(["a", "b"]);
    expect(run.state.findings.b?.verdict).toBe("fail");
    expect(run.state.running).toBe(false);
    expect(states).toEqual([true, true, true, false]);
    expect(seen).toEqual(["a", "b"]);
});

test("a new run empties the findings and drops the older run's late answers; close drops everything after it", async () => {
    const run = new FindingRun<Finding>();
    const gate = deferred();
    let late!: (x: Finding) => void;
    let lateCurrent!: () => boolean;
    const first = run.run(async (report, isCurrent) => { late = report; lateCurrent = isCurrent; await gate.promise });
    await run.run(async report => report(f("new")));
    late(f("old"));
    expect(lateCurrent()).toBe(false);
    gate.resolve();
    await first;
    expect(Object.keys(run.state.findings)).toEqual(["new"]);
    expect(run.state.running).toBe(false);

    const gate2 = deferred();
    const third = run.run(async report => { await gate2.promise; report(f("after-close")) });
    run.close();
    gate2.resolve();
    await third;
    expect(run.state.findings).toEqual({});
    expect(run.state.running).toBe(true);
});
