/*
 * Verdicts as their facts come: with the firmware query still being read, the checks that need only the fast reads
 * give exactly the verdicts they give once everything is read, and the checks that read the firmware settings give
 * none yet (their rows stay "Checking…").
 */
import { evaluateHost, evaluateHostSoFar, PAIR_CHECKS, unlessReading } from "../../../src/checks";
import { stillReading } from "../../../src/checks/reading";
import { ctx, facts, nic } from "./fixtures";

const full = facts();
const soFar = facts({ nics: { ...full.nics, ...(full.nics.known ? { value: [nic({ params: stillReading() })] } : {}) } });

test("with the firmware query still being read: the other checks' verdicts are already final, the firmware ones wait", () => {
    const done = evaluateHost(ctx(full));
    const early = evaluateHostSoFar(ctx(soFar));
    const waiting = done.filter(r => !early.some(e => e.id === r.id)).map(r => r.id);
    // the checks of the firmware settings wait, and only they
    expect(waiting.length).toBeGreaterThan(0);
    expect(waiting.length).toBeLessThan(done.length / 2);
    for (const id of waiting)
        expect(id).toMatch(/^fw-|firmware/);
    // every verdict shown early is the one shown once all is read
    for (const e of early)
        expect(e).toEqual(done.find(r => r.id === e.id));
    expect(JSON.stringify(early)).not.toContain("still being read");
});

test("a pair check that reads a fact still being read gives no verdict yet; one that does not, gives its verdict", () => {
    const results = PAIR_CHECKS.map(def => ({ id: def.id, early: unlessReading(c => def.evaluate(c), { source: soFar, destination: full }),
                                              done: def.evaluate({ source: full, destination: full }) }));
    for (const r of results)
        expect(r.early === null || JSON.stringify(r.early) === JSON.stringify(r.done)).toBe(true);
    // the pair checks that compare only fast facts (firmware versions, from devlink) are shown early
    expect(results.filter(r => r.early !== null).length).toBeGreaterThan(0);
    expect(unlessReading(c => c.nics.known && c.nics.value[0].params.known, soFar)).toBeNull();
    expect(unlessReading(c => c.nics.known && c.nics.value[0].netdev, soFar)).toBe(nic().netdev);
});
