/*
 * Every value a step's script(ctx) takes from the facts or the options goes through the one quoting function: with
 * quoteArgv marking what it quoted, no fact or option value may appear in a script outside a marked word. A future
 * step that interpolates `${dev}` directly fails here.
 */
import { STEPS } from "../../../src/steps";
import type { StepContext } from "../../../src/steps/types";
import { ctxOf, fresh, freshNic, k, vf } from "../steps/fixtures";

const [OPEN, CLOSE] = ["\u27e6", "\u27e7"];
jest.mock("../../../src/host/quote", () => {
    const real = jest.requireActual("../../../src/host/quote");
    return { ...real, quoteArgv: (argv: string[]) => argv.map(w => OPEN + real.quoteArgv([w]) + CLOSE).join(" ") };
});

// values found nowhere in the steps' own text, so that any occurrence came from the context
const PF = "0000:5b:1f.7";
const NETDEV = "vfmnetdev0";
const BRIDGE = "vfmbridge0";
const NUM_VFS = 37;
const REP = "vfmrep0";

function contexts(): StepContext[] {
    const nic = freshNic({ pci: PF, netdev: NETDEV, numVfs: 2, totalVfs: 64, vfs: [vf(0, { representor: REP })] });
    const facts = fresh({ hostname: "vfmhostname0", nics: k([nic]), cpuVendor: k("amd") });
    return (["source", "destination"] as const).flatMap(role => [false, true].map(persist =>
        ctxOf(facts, role, { bridge: BRIDGE, numVfs: NUM_VFS, persist, protocol: role === "source" ? "ssh" : "tls" })));
}

const unquoted = (text: string) => text.replace(new RegExp(`${OPEN}[^${CLOSE}]*${CLOSE}`, "g"), "");

describe("step scripts quote every value from the facts and options", () => {
    test("the marking quote function is the one the steps use", () => {
        const s = STEPS.find(x => x.id === "pf-link-up")?.script(contexts()[0]);
        expect(s?.done).toContain(`${OPEN}${NETDEV}${CLOSE}`);
    });

    for (const step of STEPS)
        test(`${step.id}: no value outside a quoted word`, () => {
            for (const ctx of contexts().filter(c => step.roles.includes(c.role))) {
                const s = step.script(ctx);
                const rest = unquoted([s.done, ...s.run].join("\n"));
                for (const value of [PF, NETDEV, BRIDGE, String(NUM_VFS), REP, "vfmhostname0"])
                    expect([step.id, value, rest.includes(value)]).toEqual([step.id, value, false]);
            }
        });
});
