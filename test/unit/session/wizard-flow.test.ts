/*
 * The wizard's state machine: every (stage, outcome) pair, where Next leads or why it cannot and what fixes it; and
 * the entry conditions of each stage. No pair may leave the admin with a disabled Next and nothing to do.
 */
import { type Move, OUTCOMES, type Outcome, STAGES, type StageId, entry, move } from "../../../src/session/wizard-flow";
import { installFakeCockpit } from "../fake-cockpit";

beforeAll(() => { installFakeCockpit() });

const summary = (m: Move): string => {
    switch (m.kind) {
    case "next": return `next ${m.to}${m.auto ? " (by itself)" : ""}`;
    case "wait": return "wait";
    case "act": return m.fix.kind === "here" ? `act here: ${m.fix.label}` : `act → ${m.fix.to}: ${m.fix.label}`;
    case "end": return "end";
    }
};

const EXPECTED: Record<string, string> = {
    "choose no-vm": "act here: Choose a VM",
    "choose input-invalid": "act here: Correct the field",
    "choose not-checked": "act here: Check the destination",
    "choose checking": "wait",
    "choose contact-failed": "act here: Check the destination",
    "choose answered": "next checks",
    "checks reading": "wait",
    "checks host-error": "act here: Check again",
    "checks blocked": "act here: Check again",
    "checks needs-preparation": "next prepare",
    "checks ready": "next attach",
    "prepare reading": "wait",
    "prepare limited": "act here: Turn on administrative access (“Limited access” at the top of the page)",
    "prepare host-error": "act here: Read the hosts again",
    "prepare record-refused": "act here: Discard the record",
    "prepare not-ready": "act here: Prepare both hosts",
    "prepare running": "wait",
    "prepare ready": "next attach",
    "prepare ready-no-vf": "next checks",
    "attach loading": "wait",
    "attach vm-gone": "act → choose: Choose a running VM",
    "attach no-free-vf": "act → prepare: Prepare the hosts",
    "attach needed": "act here: Attach the VF",
    "attach attaching": "wait",
    "attach failed": "act here: Attach the VF",
    "attach held": "next migrate",
    "migrate loading": "wait",
    "migrate blocked": "act → checks: Run the checks again",
    "migrate ready": "act here: Migrate",
    "migrate rechecking": "wait",
    "migrate refused": "act here: Check the VFs again",
    "migrate source-refused": "act → attach: Go to VF attach",
    "migrate running": "wait",
    "migrate failed": "act here: Back to the plan",
    "migrate absent": "next verify",
    "migrate done": "next verify (by itself)",
    "verify checking": "end",
    "verify verified": "end",
    "verify not-as-expected": "end",
};

const pairs: Outcome[] = STAGES.flatMap(stage => (OUTCOMES[stage] as readonly string[]).map(kind => ({ stage, kind }) as Outcome));

test("every (stage, outcome) pair is in the table below, and the table has no pair the wizard does not know", () => {
    expect(pairs.map(o => `${o.stage} ${o.kind}`).sort()).toEqual(Object.keys(EXPECTED).sort());
});

test.each(pairs.map(o => [`${o.stage} ${o.kind}`, o] as const))("%s", (name, o) => {
    const m = move(o);
    expect(summary(m)).toBe(EXPECTED[name]);
    // a Next that cannot be pressed always says why; a fix always names its action
    if (m.kind === "act" || m.kind === "wait")
        expect(m.why.length).toBeGreaterThan(10);
    if (m.kind === "act")
        expect(m.fix.label.length).toBeGreaterThan(2);
    // Next never leads back to where it is, and the last stage is the only end
    if (m.kind === "next")
        expect(m.to).not.toBe(o.stage);
    expect(m.kind === "end").toBe(o.stage === "verify");
});

test("from the first stage, the outcomes that move on reach verification along every route the table allows", () => {
    const routes = new Set<string>();
    const walk = (stage: StageId, path: StageId[]) => {
        if (stage === "verify") {
            routes.add(path.join(" → "));
            return;
        }
        for (const kind of OUTCOMES[stage] as readonly string[]) {
            const m = move({ stage, kind } as Outcome);
            if (m.kind === "next" && !path.includes(m.to))
                walk(m.to, [...path, m.to]);
        }
    };
    walk("choose", ["choose"]);
    expect([...routes].sort()).toEqual([
        "choose → checks → attach → migrate → verify",
        "choose → checks → prepare → attach → migrate → verify",
    ]);
});

describe("entering a stage needs what it works on", () => {
    const chosen = { vm: "guest1", destination: { host: "rhel-dst" }, destinationVf: "0000:c1:00.1" };
    test.each([
        ["choose", {}, null],
        ["checks", { vm: null }, "act → choose: Choose the VM and the destination"],
        ["checks", { destination: null }, "act → choose: Choose the VM and the destination"],
        ["checks", {}, null],
        ["prepare", { vm: null }, null],
        ["prepare", { destination: null }, "act → choose: Choose the destination"],
        ["attach", { destinationVf: null }, null],
        ["attach", { vm: null }, "act → choose: Choose the VM and the destination"],
        ["migrate", { destinationVf: null }, "act → checks: Run the checks"],
        ["migrate", { vm: "" }, "act → choose: Choose the VM and the destination"],
        ["migrate", {}, null],
        ["verify", { destinationVf: null }, "act → checks: Run the checks"],
        ["verify", {}, null],
    ] as const)("%s with %j", (stage, change, expected) => {
        const e = entry(stage, { ...chosen, ...change });
        expect(e === null ? null : summary(e)).toBe(expected);
    });
});
